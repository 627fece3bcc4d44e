//! `Event` and `AsyncResult`, ported from gevent's test__event.py.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::{AsyncResult, Event};

#[green::test(timeout_ms = 10_000)]
fn set_wakes_every_waiter_and_wait_returns_at_once_when_set() {
    let event = Event::new();
    let woken = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let (event, woken) = (event.clone(), woken.clone());
            green::spawn(move || async move {
                event.wait().await;
                woken.set(woken.get() + 1);
            })
        })
        .collect();
    green::idle();
    assert_eq!(woken.get(), 0);
    event.set();
    green::joinall(tasks);
    assert_eq!(woken.get(), 5);
    // Already set: no blocking.
    event.wait();
    assert!(event.wait_timeout(Duration::ZERO));
}

#[green::test(timeout_ms = 10_000)]
fn set_then_clear_at_once_still_wakes_every_waiter() {
    let event = Event::new();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let event = event.clone();
            green::spawn(move || async move { event.wait_timeout(Duration::from_secs(5)).await })
        })
        .collect();
    green::idle();
    event.set();
    event.clear();
    let results = green::joinall(tasks);
    assert!(results.iter().all(|r| *r == Ok(true)), "{results:?}");
    assert!(!event.is_set());
}

#[green::test(timeout_ms = 20_000)]
fn a_thousand_waiters_on_one_event_all_wake() {
    let event = Event::new();
    let woken = Rc::new(Cell::new(0u32));
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (event, woken) = (event.clone(), woken.clone());
            green::spawn(move || async move {
                event.wait().await;
                woken.set(woken.get() + 1);
            })
        })
        .collect();
    green::idle();
    assert_eq!(woken.get(), 0);
    event.set();
    green::joinall(tasks);
    assert_eq!(woken.get(), 1000);
}

#[green::test(timeout_ms = 10_000)]
fn wait_timeout_gives_false_after_about_the_timeout() {
    let event = Event::new();
    let start = Instant::now();
    assert!(!event.wait_timeout(Duration::from_millis(50)));
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(45), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[green::test(timeout_ms = 10_000)]
fn a_cancelled_waiter_does_not_disturb_the_others() {
    let event = Event::new();
    let quitter = {
        let event = event.clone();
        green::spawn(move || async move { event.wait().await })
    };
    let stayer = {
        let event = event.clone();
        green::spawn(move || async move { event.wait().await })
    };
    green::idle();
    quitter.kill();
    event.set();
    assert_eq!(stayer.join(), Ok(()));
}

#[green::test(timeout_ms = 10_000)]
fn async_result_gives_the_value_to_every_getter() {
    let result: AsyncResult<String, String> = AsyncResult::new();
    let getters: Vec<_> = (0..3)
        .map(|_| {
            let result = result.clone();
            green::spawn(move || async move { result.get().await })
        })
        .collect();
    green::idle();
    assert!(!result.is_ready());
    result.set("value".to_owned());
    result.set("ignored: one-shot".to_owned());
    for outcome in green::joinall(getters) {
        assert_eq!(outcome, Ok(Ok("value".to_owned())));
    }
    assert_eq!(result.get(), Ok("value".to_owned()));
}

#[green::test(timeout_ms = 10_000)]
fn async_result_error_and_timeout() {
    let result: AsyncResult<u32, &str> = AsyncResult::new();
    let start = Instant::now();
    assert_eq!(
        result.get_timeout(Duration::from_millis(30)),
        Err(green::Elapsed)
    );
    assert!(start.elapsed() >= Duration::from_millis(25));
    let setter = {
        let result = result.clone();
        green::spawn(move || async move {
            green::sleep(Duration::from_millis(10)).await;
            result.set_error("failed");
        })
    };
    assert_eq!(
        result.get_timeout(Duration::from_secs(5)),
        Ok(Err("failed"))
    );
    setter.join().unwrap();
    assert!(result.is_ready());
}

#[green::test(timeout_ms = 10_000)]
fn a_killed_result_waiter_runs_its_drops() {
    struct Flag(Rc<RefCell<bool>>);
    impl Drop for Flag {
        fn drop(&mut self) {
            *self.0.borrow_mut() = true;
        }
    }
    let result: AsyncResult<(), ()> = AsyncResult::new();
    let dropped = Rc::new(RefCell::new(false));
    let waiter = {
        let (result, flag) = (result.clone(), Flag(dropped.clone()));
        green::spawn(move || async move {
            let _flag = flag;
            result.wait().await;
        })
    };
    green::idle();
    waiter.kill();
    assert!(*dropped.borrow());
}

#[green::test(timeout_ms = 10_000)]
fn a_wait_while_the_event_notifies_runs_after_the_woken_waiters() {
    // gevent's TestEventBasics.test_wait_while_notifying.
    let event = Event::new();
    let results = Rc::new(RefCell::new(Vec::new()));
    for arg in [1, 2] {
        let (event, results) = (event.clone(), results.clone());
        green::spawn(move || async move {
            event.wait().await;
            results.borrow_mut().push(arg);
        });
    }
    green::idle();
    event.set();
    event.wait();
    results.borrow_mut().push(3);
    assert_eq!(*results.borrow(), [1, 2, 3]);
    // Nobody pending any more: a wait on a set event returns at once.
    let log = Rc::new(RefCell::new(Vec::new()));
    let other = {
        let log = log.clone();
        green::spawn(move || async move { log.borrow_mut().push("other") })
    };
    event.wait();
    log.borrow_mut().push("main");
    other.join().unwrap();
    assert_eq!(*log.borrow(), ["main", "other"]);
}

#[green::test(timeout_ms = 10_000)]
fn clear_after_a_wait_makes_the_next_wait_block() {
    // gevent's test_set_during_wait (issue 771).
    let event = Event::new();
    let setter = {
        let event = event.clone();
        green::spawn(move || async move { event.set() })
    };
    event.wait();
    assert!(event.is_set());
    setter.join().unwrap();
    event.clear();
    assert!(!event.wait_timeout(Duration::from_millis(10)));
    assert!(!event.is_set());
}
