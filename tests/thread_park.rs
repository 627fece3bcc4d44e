//! `compat::thread::{park, park_timeout, Thread::unpark}` for green tasks:
//! std's token semantics (an unpark before the park makes the park return
//! at once, several unparks leave one token), a parked task blocks only
//! itself, and `unpark` works from a `JoinHandle`'s `Thread`, from
//! `current()` inside the task and from an OS thread.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::thread;

#[green::test(timeout_ms = 30_000)]
fn unpark_wakes_a_parked_task() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let parked = {
        let log = log.clone();
        thread::spawn(move || async move {
            log.borrow_mut().push("parking");
            thread::park().await;
            log.borrow_mut().push("woken");
        })
    };
    thread::sleep(Duration::from_millis(20));
    assert_eq!(*log.borrow(), ["parking"]);
    assert!(!parked.is_finished());
    log.borrow_mut().push("unparking");
    parked.thread().unpark();
    parked.join().unwrap();
    assert_eq!(*log.borrow(), ["parking", "unparking", "woken"]);
}

#[green::test(timeout_ms = 30_000)]
fn an_unpark_before_the_park_makes_it_return_at_once() {
    let me = thread::current();
    me.unpark();
    let start = Instant::now();
    thread::park();
    assert!(start.elapsed() < Duration::from_secs(5));

    // The same in a spawned task unparked before it even started.
    let task = thread::spawn(|| async {
        thread::park().await;
        "took the token"
    });
    task.thread().unpark();
    assert_eq!(task.join().unwrap(), "took the token");
}

#[green::test(timeout_ms = 30_000)]
fn several_unparks_leave_one_token() {
    let me = thread::current();
    me.unpark();
    me.unpark();
    me.unpark();
    thread::park(); // takes the one token
    let start = Instant::now();
    thread::park_timeout(Duration::from_millis(50)); // no second token
    assert!(start.elapsed() >= Duration::from_millis(45));
}

#[green::test(timeout_ms = 30_000)]
fn park_timeout_gives_up_and_keeps_a_later_token() {
    let start = Instant::now();
    thread::park_timeout(Duration::from_millis(50));
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(45), "{waited:?}");

    // A token that comes during park_timeout ends it early.
    let me = thread::current();
    let waker = thread::spawn(move || async move {
        thread::sleep(Duration::from_millis(20)).await;
        me.unpark();
    });
    let start = Instant::now();
    thread::park_timeout(Duration::from_secs(10));
    assert!(start.elapsed() < Duration::from_secs(5));
    waker.join().unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn current_inside_the_task_shares_the_handles_token() {
    // The task hands out its own `current()`; unparking through it and
    // through the JoinHandle's `Thread` reach the same token.
    let slot = Rc::new(RefCell::new(None));
    let task = {
        let slot = slot.clone();
        thread::spawn(move || async move {
            *slot.borrow_mut() = Some(thread::current());
            thread::park().await;
            thread::park().await;
            "twice"
        })
    };
    thread::yield_now();
    let inside = slot.borrow_mut().take().unwrap();
    assert_eq!(inside.id(), task.thread().id());
    inside.unpark();
    thread::sleep(Duration::from_millis(10));
    task.thread().unpark();
    assert_eq!(task.join().unwrap(), "twice");
}

#[green::test(timeout_ms = 30_000)]
fn an_os_thread_unparks_a_green_task() {
    let task = thread::spawn(|| async {
        thread::park().await;
        "woken by an OS thread"
    });
    let handle = task.thread().clone();
    let os_thread = unpark_from_an_os_thread(handle, Duration::from_millis(20));
    assert_eq!(task.join().unwrap(), "woken by an OS thread");
    os_thread.join().unwrap();
}

/// Plain code, outside any green body: an OS thread that unparks `thread`
/// after `delay`.
fn unpark_from_an_os_thread(
    thread: thread::Thread,
    delay: Duration,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        thread.unpark();
    })
}

#[green::test(timeout_ms = 30_000)]
fn a_parked_task_blocks_only_itself() {
    let ticks = Rc::new(Cell::new(0));
    let parked = thread::spawn(thread::park);
    let ticker = {
        let ticks = ticks.clone();
        thread::spawn(move || async move {
            for _ in 0..5 {
                thread::sleep(Duration::from_millis(2)).await;
                ticks.set(ticks.get() + 1);
            }
        })
    };
    ticker.join().unwrap();
    assert_eq!(ticks.get(), 5);
    assert!(!parked.is_finished());
    parked.thread().unpark();
    parked.join().unwrap();
}

#[green::green]
fn wait_for_flag(flag: Rc<Cell<bool>>) -> u32 {
    let mut parks = 0;
    while !flag.get() {
        thread::park();
        parks += 1;
    }
    parks
}

#[green::test(timeout_ms = 30_000)]
fn hundred_parked_tasks_are_unparked_together() {
    let flag = Rc::new(Cell::new(false));
    let start = Instant::now();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let flag = flag.clone();
            thread::spawn(move || wait_for_flag(flag))
        })
        .collect();
    thread::sleep(Duration::from_millis(50));
    flag.set(true);
    for task in &tasks {
        task.thread().unpark();
    }
    for task in tasks {
        assert_eq!(task.join().unwrap(), 1);
    }
    assert!(start.elapsed() < Duration::from_millis(2500));
}

#[test]
fn thread_is_send_and_sync_as_std() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<thread::Thread>();
}
