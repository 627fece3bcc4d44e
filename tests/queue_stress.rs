//! 100 producers and 100 consumers move items through a bounded queue while
//! random tasks are killed (and replaced): nothing is lost or duplicated.
//!
//! An item counts as sent when its `put` returned `Ok`; a producer killed
//! inside `put` never sent that item. An item counts as received when `get`
//! returned it (nothing yields between `get` returning and the count).

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use green::{Greenlet, Queue};

const PRODUCERS: usize = 100;
const CONSUMERS: usize = 100;

struct Books {
    next_id: Cell<usize>,
    total: usize,
    sent: RefCell<Vec<u8>>,
    received: RefCell<Vec<u8>>,
}

/// xorshift64: no dependency, reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn producer(queue: Queue<usize>, books: Rc<Books>) -> Greenlet<()> {
    green::spawn(move || async move {
        loop {
            let id = books.next_id.get();
            if id >= books.total {
                return;
            }
            books.next_id.set(id + 1);
            queue.put(id).await.expect("queue closed while producing");
            books.sent.borrow_mut()[id] += 1;
        }
    })
}

fn consumer(queue: Queue<usize>, books: Rc<Books>) -> Greenlet<()> {
    green::spawn(move || async move {
        while let Ok(id) = queue.get().await {
            books.received.borrow_mut()[id] += 1;
        }
    })
}

#[green::green]
fn run_stress(total: usize, capacity: usize, kills: usize) {
    let start = Instant::now();
    let queue = Queue::bounded(capacity);
    let books = Rc::new(Books {
        next_id: Cell::new(0),
        total,
        sent: RefCell::new(vec![0; total]),
        received: RefCell::new(vec![0; total]),
    });
    let producers: Rc<RefCell<Vec<Greenlet<()>>>> = Rc::new(RefCell::new(
        (0..PRODUCERS)
            .map(|_| producer(queue.clone(), books.clone()))
            .collect(),
    ));
    let consumers: Rc<RefCell<Vec<Greenlet<()>>>> = Rc::new(RefCell::new(
        (0..CONSUMERS)
            .map(|_| consumer(queue.clone(), books.clone()))
            .collect(),
    ));

    // Kill a random producer or consumer every few turns and replace it.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut killed = 0;
    while killed < kills && books.next_id.get() < total {
        for _ in 0..rng.below(20) + 1 {
            green::idle();
        }
        let index = rng.below(PRODUCERS + CONSUMERS);
        if index < PRODUCERS {
            producers.borrow()[index].kill_nowait();
            producers.borrow_mut()[index] = producer(queue.clone(), books.clone());
        } else {
            let index = index - PRODUCERS;
            consumers.borrow()[index].kill_nowait();
            consumers.borrow_mut()[index] = consumer(queue.clone(), books.clone());
        }
        killed += 1;
    }

    let producers: Vec<_> = producers.borrow_mut().drain(..).collect();
    for result in green::joinall(producers) {
        result.expect("a producer failed");
    }
    queue.close();
    let consumers: Vec<_> = consumers.borrow_mut().drain(..).collect();
    for result in green::joinall(consumers) {
        result.expect("a consumer failed");
    }

    let sent = books.sent.borrow();
    let received = books.received.borrow();
    let mut lost = 0;
    let mut duplicated = 0;
    let mut delivered = 0;
    for (s, r) in sent.iter().zip(received.iter()) {
        assert!(*s <= 1, "an item was sent twice");
        if *r > *s {
            duplicated += 1;
        }
        if *r < *s {
            lost += 1;
        }
        delivered += usize::from(*r);
    }
    assert_eq!((lost, duplicated), (0, 0), "lost / duplicated items");
    assert_eq!(books.next_id.get(), total);
    // Only the producers killed inside `put` lose their in-flight item.
    assert!(
        delivered + kills >= total,
        "{delivered} of {total} delivered"
    );
    assert!(queue.is_empty());
    eprintln!(
        "stress: {total} items, {killed} kills, {delivered} delivered in {:?}",
        start.elapsed()
    );
}

/// The size from the issue: 1,000,000 items through a queue of 64, with
/// 2,000 random kills (about 6 s in a debug build, 1.5 s optimised).
#[green::test(timeout_ms = 300_000)]
fn million_items_hundred_producers_hundred_consumers_random_kills_lose_nothing() {
    run_stress(1_000_000, 64, 2_000);
}
