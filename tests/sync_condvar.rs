//! compat::sync::Condvar: green waits on a compat Mutex, std's semantics
//! (wait_while, timeouts, notify_one/notify_all), and 100 waiters at once.

use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::sync::{Condvar, Mutex};

type Pair<T> = Rc<(Mutex<T>, Condvar)>;

#[green::green]
fn wait_until_set(pair: Pair<bool>) -> Duration {
    let start = Instant::now();
    let (lock, cvar) = &*pair;
    let guard = cvar.wait_while(lock.lock().unwrap(), |set| !*set).unwrap();
    assert!(*guard);
    start.elapsed()
}

#[green::green]
fn set_later(pair: Pair<bool>, delay: Duration) {
    green::sleep(delay);
    let (lock, cvar) = &*pair;
    *lock.lock().unwrap() = true;
    cvar.notify_all();
}

#[green::test(timeout_ms = 30_000)]
fn hundred_condvar_waits_with_sleeping_notifiers_overlap() {
    let start = Instant::now();
    let mut waiters = Vec::new();
    for _ in 0..100 {
        let pair: Pair<bool> = Rc::new((Mutex::new(false), Condvar::new()));
        let notifier_pair = pair.clone();
        waiters.push(green::spawn(move || wait_until_set(pair)));
        green::spawn(move || set_later(notifier_pair, Duration::from_millis(50)));
    }
    for waited in green::joinall(waiters) {
        assert!(waited.unwrap() >= Duration::from_millis(45));
    }
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_millis(2_500), "took {elapsed:?}");
}

#[green::test(timeout_ms = 10_000)]
fn notify_one_wakes_one_waiter_in_fifo_order() {
    let pair: Pair<Vec<u32>> = Rc::new((Mutex::new(Vec::new()), Condvar::new()));
    let mut tasks = Vec::new();
    for id in 0..3 {
        let pair = pair.clone();
        tasks.push(green::spawn(move || async move {
            let (lock, cvar) = &*pair;
            let guard = lock.lock().await.unwrap();
            let mut guard = cvar.wait(guard).await.unwrap();
            guard.push(id);
        }));
        green::idle(); // let the task start waiting, in order
    }
    let (lock, cvar) = &*pair;
    cvar.notify_one();
    green::sleep(Duration::from_millis(10));
    assert_eq!(*lock.lock().unwrap(), [0]);
    cvar.notify_all();
    green::joinall(tasks);
    assert_eq!(*lock.lock().unwrap(), [0, 1, 2]);
}

#[green::test(timeout_ms = 10_000)]
fn notify_without_waiters_is_lost_as_in_std() {
    let (lock, cvar) = (Mutex::new(()), Condvar::new());
    cvar.notify_one();
    cvar.notify_all();
    let (_guard, result) = cvar
        .wait_timeout(lock.lock().unwrap(), Duration::from_millis(20))
        .unwrap();
    assert!(result.timed_out());
}

#[green::test(timeout_ms = 10_000)]
fn wait_timeout_reports_a_notification_in_time() {
    let pair: Pair<bool> = Rc::new((Mutex::new(false), Condvar::new()));
    green::spawn({
        let pair = pair.clone();
        move || set_later(pair, Duration::from_millis(10))
    });
    let (lock, cvar) = &*pair;
    let start = Instant::now();
    let (guard, result) = cvar
        .wait_timeout_while(lock.lock().unwrap(), Duration::from_secs(5), |set| !*set)
        .unwrap();
    assert!(*guard);
    assert!(!result.timed_out());
    assert!(start.elapsed() < Duration::from_secs(4));
    drop(guard);

    let (guard, result) = cvar
        .wait_timeout_while(lock.lock().unwrap(), Duration::from_millis(20), |set| *set)
        .unwrap();
    assert!(result.timed_out());
    assert!(*guard);
}

#[green::test(timeout_ms = 10_000)]
fn the_lock_is_released_while_waiting() {
    let pair: Pair<u32> = Rc::new((Mutex::new(0), Condvar::new()));
    let waiter = {
        let pair = pair.clone();
        green::spawn(move || async move {
            let (lock, cvar) = &*pair;
            let guard = cvar
                .wait_while(lock.lock().await.unwrap(), |n| *n < 3)
                .await
                .unwrap();
            *guard
        })
    };
    let (lock, cvar) = &*pair;
    for _ in 0..3 {
        green::idle();
        *lock.lock().unwrap() += 1; // would deadlock if the waiter kept the lock
        cvar.notify_one();
    }
    assert_eq!(waiter.join(), Ok(3));
}
