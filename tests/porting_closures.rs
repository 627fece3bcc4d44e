//! std's closure idioms, ported by changing `use` lines only: a closure
//! literal written where green work is expected is green work, with no
//! attribute on it.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use green::compat::io::{Read, Write};
use green::compat::net::{TcpListener, TcpStream};
use green::compat::sync::{Arc, Mutex, mpsc};
use green::compat::thread;
use green::prelude::*;

#[green::test]
fn thread_spawn_move_closure_does_green_work() {
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let tx = tx.clone();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(5 * (4 - i)));
                tx.send(i).unwrap();
                i * 10
            })
        })
        .collect();
    drop(tx);
    let mut got = Vec::new();
    for i in rx {
        got.push(i);
    }
    got.sort_unstable();
    assert_eq!(got, [0, 1, 2, 3]);
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.join().unwrap());
    }
    assert_eq!(results, [0, 10, 20, 30]);
}

#[green::test]
fn builder_spawn_and_a_closure_that_only_panics() {
    let named = thread::Builder::new()
        .name("worker-7".into())
        .spawn(move || {
            thread::yield_now();
            thread::current().name().map(str::to_owned)
        })
        .unwrap();
    assert_eq!(named.join().unwrap().as_deref(), Some("worker-7"));

    let failing = thread::spawn(|| panic!("boom"));
    let payload = failing.join().unwrap_err();
    // The payload is std's: the `&str` of `panic!("boom")`.
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
}

#[green::test]
fn scoped_closures_borrow_and_mutate_locals() {
    let mut a = vec![1, 2, 3];
    let mut x = 0;
    thread::scope(|s| {
        s.spawn(|| {
            thread::sleep(Duration::from_millis(2));
            assert_eq!(a.len(), 3);
        });
        s.spawn(|| {
            x += a[0] + a[2];
        });
    });
    a.push(4);
    assert_eq!(x, 4);
    assert_eq!(a.len(), 4);
}

#[green::test]
fn green_spawn_timeout_and_pools_take_closure_literals() {
    let hits = Rc::new(Cell::new(0));
    let counter = Rc::clone(&hits);
    let task = green::spawn(move || {
        green::sleep(Duration::from_millis(1));
        counter.set(counter.get() + 1);
        counter.get()
    });
    assert_eq!(task.join(), Ok(1));

    let later = green::spawn_later(Duration::from_millis(1), || {
        green::idle();
        "later"
    });
    assert_eq!(later.join(), Ok("later"));

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = TcpStream::connect(addr).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    let mut buf = [0u8; 4];
    // Nothing to read yet: the read inside the timeout is cancelled.
    let elapsed = green::timeout(Duration::from_millis(20), || server.read(&mut buf));
    assert!(elapsed.is_err());
    client.write_all(b"ping").unwrap();
    let n = green::timeout(Duration::from_secs(5), || {
        let n = server.read(&mut buf).unwrap();
        n
    });
    assert_eq!(n, Ok(4));
    let fallback = green::with_timeout(
        Duration::from_millis(10),
        || {
            green::sleep(Duration::from_secs(5));
            1
        },
        2,
    );
    assert_eq!(fallback, 2);

    let pool = Pool::new(2);
    let total = Arc::new(Mutex::new(0));
    for i in 1..=4 {
        let total = Arc::clone(&total);
        pool.spawn(move || {
            green::idle();
            *total.lock().unwrap() += i;
        });
    }
    pool.join();
    assert_eq!(*total.lock().unwrap(), 10);
}

#[green::green]
fn double(x: u32) -> u32 {
    green::idle();
    x * 2
}

#[green::test]
fn closures_elsewhere_stay_plain_and_older_forms_still_work() {
    // A closure passed to an iterator adapter is plain code.
    let doubled: Vec<u32> = [1, 2, 3].iter().map(|x| x * 2).collect();
    assert_eq!(doubled, [2, 4, 6]);
    // A closure returning green work, an async block or a #[green] closure.
    assert_eq!(green::spawn(|| double(4)).join(), Ok(8));
    assert_eq!(green::spawn(|| async { 9 }).join(), Ok(9));
    assert_eq!(
        green::spawn(
            #[green]
            || double(5)
        )
        .join(),
        Ok(10)
    );
}

#[green::test]
fn green_closures_without_move_borrow_like_plain_ones() {
    let names = ["a".to_owned(), "bb".to_owned(), "ccc".to_owned()];
    let len_of = #[green]
    |i: usize| {
        green::idle();
        names[i].len()
    };
    // Called more than once, in a green body: awaited each time.
    assert_eq!(len_of(0), 1);
    assert_eq!(len_of(2), 3);
    // Handed to scoped work, which borrows it.
    let lengths = thread::scope(|s| {
        let first = s.spawn(|| len_of(1));
        let second = s.spawn(|| len_of(0));
        (first.join().unwrap(), second.join().unwrap())
    });
    assert_eq!(lengths, (2, 1));
    // `names` was borrowed, not moved.
    names.iter().for_each(|name| assert!(!name.is_empty()));
    assert_eq!(names.len(), 3);
}

#[green::test]
fn a_closure_returning_a_name_gives_its_value_or_awaits_its_work() {
    let n = 7_u64;
    let value = thread::spawn(move || n);
    assert_eq!(value.join().unwrap(), 7);
    let work = green::nowait!(double(21));
    let awaited = green::spawn(move || work);
    assert_eq!(awaited.join(), Ok(42));
}
