//! compat::sync::Condvar: green waits on a compat Mutex, std's semantics
//! (wait_while, timeouts, notify_one/notify_all), 100 waiters at once, and
//! no notification lost with a killed or timed-out waiter.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
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

#[green::test(timeout_ms = 10_000)]
fn a_notify_one_given_to_a_killed_waiter_goes_to_the_next() {
    let pair: Pair<()> = Rc::new((Mutex::new(()), Condvar::new()));
    let spawn_waiter = |pair: Pair<()>| {
        green::spawn(move || async move {
            let (lock, cvar) = &*pair;
            drop(cvar.wait(lock.lock().await.unwrap()).await.unwrap());
        })
    };
    let first = spawn_waiter(pair.clone());
    green::idle();
    let second = spawn_waiter(pair.clone());
    green::idle();
    let (_, cvar) = &*pair;
    assert_eq!(format!("{cvar:?}"), "Condvar { waiting: 2 }");
    cvar.notify_one(); // to `first`, which is killed before it runs
    first.kill_nowait();
    assert!(
        second.join_timeout(Duration::from_secs(5)).is_ok(),
        "the notification died with the killed waiter"
    );
    assert_eq!(format!("{cvar:?}"), "Condvar { waiting: 0 }");
}

/// An OS thread that calls `notify_one` once per round, when `round` says
/// the round started, after a short sleep that varies.
fn spawn_notifier(
    pair: Arc<(Mutex<()>, Condvar)>,
    round: Arc<AtomicU32>,
    rounds: u32,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for r in 1..=rounds {
            while round.load(Ordering::SeqCst) != r {
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_micros(u64::from(r % 7) * 300));
            pair.1.notify_one();
        }
    })
}

#[green::test(timeout_ms = 60_000)]
fn a_notify_one_racing_with_a_timeout_is_never_lost() {
    // A timed waiter and a patient one; another thread notifies once at
    // about the deadline. Whoever the notification reaches, nobody is left
    // waiting for it: if the timed waiter reports a timeout, the patient
    // one was woken.
    let pair = Arc::new((Mutex::new(()), Condvar::new()));
    let round = Arc::new(AtomicU32::new(0));
    let rounds = 200u32;
    let notifier = spawn_notifier(pair.clone(), round.clone(), rounds);
    let mut timeouts = 0;
    for r in 1..=rounds {
        let timed = {
            let pair = pair.clone();
            green::spawn(move || async move {
                let (lock, cvar) = &*pair;
                let guard = lock.lock().await.unwrap();
                let (_, result) = cvar
                    .wait_timeout(guard, Duration::from_millis(1))
                    .await
                    .unwrap();
                result.timed_out()
            })
        };
        green::idle(); // `timed` waits first: the notification is its
        let patient = {
            let pair = pair.clone();
            green::spawn(move || async move {
                let (lock, cvar) = &*pair;
                drop(cvar.wait(lock.lock().await.unwrap()).await.unwrap());
            })
        };
        green::idle();
        round.store(r, Ordering::SeqCst);
        let timed_out = timed.join().unwrap();
        if timed_out {
            timeouts += 1;
        } else {
            // The timed wait took the notification: release the patient one.
            pair.1.notify_one();
        }
        assert!(
            patient.join_timeout(Duration::from_secs(5)).is_ok(),
            "round {r}: a notification was lost (timed out: {timed_out})"
        );
    }
    assert_eq!(
        green::spawn_blocking(move || notifier.join().is_ok()).join(),
        Ok(true)
    );
    // Both outcomes happen on a normal machine; either is correct.
    println!("{timeouts} of {rounds} timed waits timed out");
}
