//! Semaphores and locks, ported from gevent's test__semaphore.py.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::{BoundedSemaphore, Lock, RLock, Semaphore};

#[green::test(timeout_ms = 10_000)]
fn acquire_timeout_on_semaphore_zero_returns_after_about_the_timeout() {
    let semaphore = Semaphore::new(0);
    let start = Instant::now();
    assert_eq!(
        semaphore
            .acquire_timeout(Duration::from_millis(50))
            .unwrap_err(),
        green::Elapsed
    );
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(45), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(semaphore.available(), 0);
}

#[green::test(timeout_ms = 10_000)]
fn waiters_acquire_in_arrival_order() {
    let semaphore = Semaphore::new(1);
    let order = Rc::new(RefCell::new(Vec::new()));
    let first = semaphore.acquire();
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let (semaphore, order) = (semaphore.clone(), order.clone());
            green::spawn(move || async move {
                let _permit = semaphore.acquire().await;
                order.borrow_mut().push(i);
                green::idle().await;
            })
        })
        .collect();
    green::idle();
    drop(first);
    green::joinall(tasks);
    assert_eq!(*order.borrow(), [0, 1, 2, 3, 4]);
    assert_eq!(semaphore.available(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn never_more_holders_than_permits() {
    let semaphore = Semaphore::new(3);
    let (running, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (semaphore, running, most) = (semaphore.clone(), running.clone(), most.clone());
            green::spawn(move || async move {
                let _permit = semaphore.acquire().await;
                running.set(running.get() + 1);
                most.set(most.get().max(running.get()));
                green::sleep(Duration::from_millis(i % 3)).await;
                running.set(running.get() - 1);
            })
        })
        .collect();
    green::joinall(tasks);
    assert_eq!(most.get(), 3);
}

#[green::test(timeout_ms = 10_000)]
fn a_killed_holder_releases_its_permit() {
    let semaphore = Semaphore::new(1);
    let holder = {
        let semaphore = semaphore.clone();
        green::spawn(move || async move {
            let _permit = semaphore.acquire().await;
            green::sleep(Duration::from_secs(60)).await;
        })
    };
    green::idle();
    assert_eq!(semaphore.available(), 0);
    holder.kill();
    assert_eq!(semaphore.available(), 1);
    assert!(semaphore.try_acquire().is_some());
}

#[green::test(timeout_ms = 10_000)]
fn a_holder_that_times_out_releases_its_permit() {
    let semaphore = Semaphore::new(1);
    let result = green::timeout(Duration::from_millis(10), || async {
        let _permit = semaphore.acquire().await;
        green::sleep(Duration::from_secs(60)).await;
    });
    assert!(result.is_err());
    assert_eq!(semaphore.available(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn a_woken_acquirer_killed_before_it_ran_passes_the_permit_on() {
    let semaphore = Semaphore::new(0);
    let spawn_acquirer = |semaphore: Semaphore| {
        green::spawn(move || async move {
            let permit = semaphore.acquire().await;
            permit.forget();
        })
    };
    let first = spawn_acquirer(semaphore.clone());
    let second = spawn_acquirer(semaphore.clone());
    green::idle();
    semaphore.release(); // wakes `first`...
    first.kill(); // ...which dies before taking the permit
    assert_eq!(second.join(), Ok(()));
    assert_eq!(semaphore.available(), 0);
}

#[green::test(timeout_ms = 10_000)]
fn a_bounded_semaphore_refuses_over_release() {
    let semaphore = BoundedSemaphore::new(2);
    assert!(semaphore.release().is_err());
    semaphore.acquire().forget();
    assert!(semaphore.release().is_ok());
    let error = semaphore.release().unwrap_err();
    assert_eq!(error.to_string(), "semaphore released too many times");
    assert_eq!(semaphore.available(), 2);
}

#[green::test(timeout_ms = 10_000)]
fn a_lock_excludes_and_release_of_an_unlocked_lock_is_an_error() {
    let lock = Lock::new();
    assert!(lock.release().is_err());
    let log = Rc::new(RefCell::new(Vec::new()));
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let (lock, log) = (lock.clone(), log.clone());
            green::spawn(move || async move {
                let _guard = lock.acquire().await;
                log.borrow_mut().push(("in", i));
                green::sleep(Duration::from_millis(2)).await;
                log.borrow_mut().push(("out", i));
            })
        })
        .collect();
    green::joinall(tasks);
    let expected: Vec<_> = (0..3).flat_map(|i| [("in", i), ("out", i)]).collect();
    assert_eq!(*log.borrow(), expected);
    assert!(!lock.is_locked());
}

#[green::test(timeout_ms = 10_000)]
fn an_rlock_is_reentrant_in_its_task_and_excludes_others() {
    let lock = RLock::new();
    let outer = lock.acquire();
    let inner = lock.acquire();
    assert!(lock.is_owned());
    let other = {
        let lock = lock.clone();
        green::spawn(move || async move {
            let guard = lock.acquire().await;
            let owned = lock.is_owned();
            drop(guard);
            owned
        })
    };
    green::sleep(Duration::from_millis(5));
    assert!(!other.is_ready());
    drop(inner);
    green::sleep(Duration::from_millis(5));
    assert!(!other.is_ready(), "released after one of two acquisitions");
    drop(outer);
    assert_eq!(other.join(), Ok(true));
    assert!(!lock.is_locked());
}

#[green::test(timeout_ms = 10_000)]
fn releasing_an_rlock_from_another_task_is_an_error() {
    let lock = RLock::new();
    lock.acquire().forget();
    let other = {
        let lock = lock.clone();
        green::spawn(move || async move { lock.release() })
    };
    assert!(other.join().unwrap().is_err());
    assert!(lock.is_locked());
    assert!(lock.release().is_ok());
    assert!(!lock.is_locked());
    assert!(lock.release().is_err());
}

#[green::test(timeout_ms = 10_000)]
fn a_killed_rlock_holder_releases_it() {
    let lock = RLock::new();
    let holder = {
        let lock = lock.clone();
        green::spawn(move || async move {
            let _a = lock.acquire().await;
            let _b = lock.acquire().await;
            green::sleep(Duration::from_secs(60)).await;
        })
    };
    green::idle();
    assert!(lock.is_locked());
    assert!(lock.acquire_timeout(Duration::from_millis(5)).is_err());
    holder.kill();
    assert!(!lock.is_locked());
    assert!(lock.acquire_timeout(Duration::from_millis(5)).is_ok());
}

type Chain = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

fn acquire_then_spawn(semaphore: Semaphore, quit: Rc<Cell<bool>>) -> Chain {
    Box::pin(async move {
        if quit.get() {
            return;
        }
        semaphore.acquire().await.forget();
        let next = green::spawn(move || release_then_spawn(semaphore, quit));
        let _ = next.join().await;
    })
}

fn release_then_spawn(semaphore: Semaphore, quit: Rc<Cell<bool>>) -> Chain {
    Box::pin(async move {
        semaphore.release();
        if quit.get() {
            return;
        }
        let next = green::spawn(move || acquire_then_spawn(semaphore, quit));
        let _ = next.join().await;
    })
}

#[green::test(timeout_ms = 10_000)]
fn a_fair_semaphore_lets_a_third_waiter_in() {
    // gevent's TestSemaphoreFair.test_fair_or_hangs (issue 1487): without
    // FIFO fairness the first two chains pass the permit between themselves
    // forever and the third waiter never gets it.
    let semaphore = Semaphore::new(1);
    let quit = Rc::new(Cell::new(false));
    let keep_going = [
        green::spawn({
            let (s, q) = (semaphore.clone(), quit.clone());
            move || acquire_then_spawn(s, q)
        }),
        green::spawn({
            let (s, q) = (semaphore.clone(), quit.clone());
            move || acquire_then_spawn(s, q)
        }),
    ];
    let exiting = {
        let (semaphore, quit) = (semaphore.clone(), quit.clone());
        green::spawn(move || async move {
            semaphore.acquire().await.forget();
            quit.set(true);
        })
    };
    let joined = green::timeout(Duration::from_secs(5), || exiting.join());
    assert_eq!(joined, Ok(Ok(())), "the third waiter starved");
    green::killall(&keep_going);
}
