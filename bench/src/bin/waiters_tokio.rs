//! waiters, hand-written tokio twin of `waiters_green`: N `spawn_local` tasks
//! wait on one primitive, then all are woken.
//!
//! `waiters_tokio --n 100000 --on queue|event|lock [--rounds 5]` prints
//! `wake_ms` and `total_ms` (best of `rounds`) as `waiters_green` does:
//!
//! - queue: a `RefCell<VecDeque>` and a `Notify`; each getter takes an item
//!   or waits for a `notify_one`, which the filler calls once per item (an
//!   mpsc channel has one receiver, so N tasks cannot wait on it);
//! - event: a `Notify` and `notify_waiters`;
//! - lock: a `tokio::sync::Mutex` the main task holds, then releases.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, Notify};
use tokio::task::spawn_local;

/// Spawns `n` tasks that run `wait`, yields until each has started, runs
/// `wake`, joins them: (time to wake and join, total time).
async fn park_and_wake<W, F, G>(n: u64, wait: W, wake: G) -> (Duration, Duration)
where
    W: Fn() -> F + Clone + 'static,
    F: Future<Output = ()> + 'static,
    G: FnOnce(),
{
    let parked = Rc::new(Cell::new(0u64));
    let start = Instant::now();
    let mut handles = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let (wait, parked) = (wait.clone(), parked.clone());
        handles.push(spawn_local(async move {
            parked.set(parked.get() + 1);
            wait().await;
        }));
    }
    while parked.get() < n {
        tokio::task::yield_now().await;
    }
    let woken = Instant::now();
    wake();
    for handle in handles {
        handle.await.expect("a waiter");
    }
    (woken.elapsed(), start.elapsed())
}

/// The twin of a green `Queue`: items and one `Notify` for the getters.
#[derive(Default)]
struct NotifyQueue {
    items: RefCell<VecDeque<u64>>,
    ready: Notify,
}

impl NotifyQueue {
    fn put(&self, item: u64) {
        self.items.borrow_mut().push_back(item);
        self.ready.notify_one();
    }

    async fn get(&self) -> u64 {
        loop {
            let notified = self.ready.notified();
            if let Some(item) = self.items.borrow_mut().pop_front() {
                return item;
            }
            notified.await;
        }
    }
}

async fn queue(n: u64) -> (Duration, Duration) {
    let queue = Rc::new(NotifyQueue::default());
    let getter = queue.clone();
    let wait = move || {
        let queue = getter.clone();
        async move {
            queue.get().await;
        }
    };
    park_and_wake(n, wait, || {
        for i in 0..n {
            queue.put(i);
        }
    })
    .await
}

async fn event(n: u64) -> (Duration, Duration) {
    let notify = Rc::new(Notify::new());
    let waiter = notify.clone();
    let wait = move || {
        let notify = waiter.clone();
        async move {
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            notified.await;
        }
    };
    park_and_wake(n, wait, || notify.notify_waiters()).await
}

async fn lock(n: u64) -> (Duration, Duration) {
    let lock = Rc::new(Mutex::new(()));
    let held = lock.try_lock().expect("a new lock is free");
    let waiter = lock.clone();
    let wait = move || {
        let lock = waiter.clone();
        async move {
            drop(lock.lock().await);
        }
    };
    park_and_wake(n, wait, || drop(held)).await
}

fn main() {
    let n: u64 = green_bench::arg("n", 100_000);
    let on: String = green_bench::arg("on", "queue".to_owned());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    let rounds: u32 = green_bench::arg("rounds", 5);
    let (wake, total) = local.block_on(&runtime, async move {
        let mut best = (Duration::MAX, Duration::MAX);
        for _ in 0..rounds.max(1) {
            let (wake, total) = match on.as_str() {
                "queue" => queue(n).await,
                "event" => event(n).await,
                "lock" => lock(n).await,
                other => panic!("--on queue|event|lock, not `{other}`"),
            };
            best = (best.0.min(wake), best.1.min(total));
        }
        best
    });
    green_bench::report(&[
        ("n", n as f64),
        ("wake_ms", wake.as_secs_f64() * 1e3),
        ("total_ms", total.as_secs_f64() * 1e3),
    ]);
}
