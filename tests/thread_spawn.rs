//! `compat::thread`: spawn/join as std's threads, panics as `Err`, names,
//! and sleep/yield_now interleaving.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::thread;

#[green::green]
fn square(x: u64) -> u64 {
    thread::yield_now();
    x * x
}

#[green::test(timeout_ms = 20_000)]
fn join_gives_the_value() {
    let handle = thread::spawn(|| square(12));
    assert_eq!(handle.join().unwrap(), 144);

    let handles: Vec<_> = (0..10).map(|x| thread::spawn(move || square(x))).collect();
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.join().unwrap());
    }
    assert_eq!(results, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
}

#[green::test(timeout_ms = 20_000)]
fn the_closure_need_not_be_send() {
    let shared = Rc::new(RefCell::new(Vec::new()));
    let handle = {
        let shared = shared.clone();
        thread::spawn(move || async move { shared.borrow_mut().push("from the task") })
    };
    handle.join().unwrap();
    assert_eq!(*shared.borrow(), ["from the task"]);
}

#[green::test(timeout_ms = 20_000)]
fn a_panic_is_an_err_holding_the_message() {
    let handle = thread::spawn(|| async {
        let n = 3;
        if n > 2 {
            panic!("too big: {n}");
        }
        n
    });
    let payload = handle.join().unwrap_err();
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("too big: 3")
    );

    let handle = thread::spawn(|| async { panic!("static message") });
    let payload = handle.join().unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"static message"));

    // The hub and other tasks go on.
    assert_eq!(thread::spawn(|| square(3)).join().unwrap(), 9);
}

#[green::green]
fn alternate(name: &'static str, log: Rc<RefCell<Vec<String>>>) {
    for step in 1..=3 {
        log.borrow_mut().push(format!("{name}{step}"));
        thread::yield_now();
    }
}

#[green::test(timeout_ms = 20_000)]
fn yield_now_interleaves_tasks() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let a = {
        let log = log.clone();
        thread::spawn(move || alternate("a", log))
    };
    let b = {
        let log = log.clone();
        thread::spawn(move || alternate("b", log))
    };
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(*log.borrow(), ["a1", "b1", "a2", "b2", "a3", "b3"]);
}

#[green::green]
fn nap_then_log(ms: u64, name: &'static str, log: Rc<RefCell<Vec<&'static str>>>) {
    thread::sleep(Duration::from_millis(ms));
    log.borrow_mut().push(name);
}

#[green::test(timeout_ms = 20_000)]
fn sleeping_tasks_run_concurrently_and_wake_in_order() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let start = Instant::now();
    let handles: Vec<_> = [(150, "slow"), (50, "fast"), (100, "middle")]
        .into_iter()
        .map(|(ms, name)| {
            let log = log.clone();
            thread::spawn(move || nap_then_log(ms, name, log))
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(*log.borrow(), ["fast", "middle", "slow"]);
    // Concurrent: well under the 300 ms the naps add up to (generous bound).
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[green::test(timeout_ms = 20_000)]
fn is_finished_thread_and_current() {
    let handle = thread::spawn(|| async { thread::current().id() });
    assert!(!handle.is_finished());
    let id = handle.thread().id();
    assert_eq!(handle.thread().name(), None);
    while !handle.is_finished() {
        thread::yield_now();
    }
    assert_eq!(handle.join().unwrap(), id);
    assert_ne!(thread::current().id(), id);
    assert_eq!(thread::current().name(), Some("main"));
}

#[green::test(timeout_ms = 20_000)]
fn builder_names_the_task() {
    let handle = thread::Builder::new()
        .name("worker-1".to_string())
        .stack_size(64 * 1024)
        .spawn(|| async { thread::current().name().map(str::to_owned) })
        .unwrap();
    assert_eq!(handle.thread().name(), Some("worker-1"));
    assert_eq!(handle.join().unwrap().as_deref(), Some("worker-1"));

    let panicking = thread::Builder::new()
        .name("doomed".to_string())
        .spawn(|| async { panic!("named panic") })
        .unwrap();
    let payload = panicking.join().unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"named panic"));
}
