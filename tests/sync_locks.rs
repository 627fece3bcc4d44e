//! compat::sync locks: Mutex, RwLock, Barrier and OnceLock hold across green
//! calls, wait without blocking the hub, and are never poisoned.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::sync::{Barrier, Mutex, Once, OnceLock, RwLock, TryLockError};

#[green::green]
fn add_slowly(total: Rc<Mutex<Vec<u32>>>, n: u32) {
    let mut guard = total.lock().unwrap();
    let before = guard.len();
    green::sleep(Duration::from_millis(1)); // held across a green call
    assert_eq!(
        guard.len(),
        before,
        "another task got in while the lock was held"
    );
    guard.push(n);
}

#[green::test(timeout_ms = 10_000)]
fn mutex_is_exclusive_across_green_calls_and_fifo() {
    let total = Rc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..10)
        .map(|n| {
            let total = total.clone();
            green::spawn(move || add_slowly(total, n))
        })
        .collect();
    green::joinall(tasks);
    assert_eq!(*total.lock().unwrap(), (0..10).collect::<Vec<_>>());
}

#[green::test(timeout_ms = 10_000)]
fn try_lock_would_block_while_held() {
    let mutex = Mutex::new(1);
    let guard = mutex.lock().unwrap();
    assert!(matches!(mutex.try_lock(), Err(TryLockError::WouldBlock)));
    drop(guard);
    assert_eq!(*mutex.try_lock().unwrap(), 1);
    assert!(!mutex.is_poisoned());
}

#[green::test(timeout_ms = 10_000)]
fn a_panic_while_locked_does_not_poison() {
    let mutex = Rc::new(Mutex::new(0));
    let task = {
        let mutex = mutex.clone();
        green::spawn(move || async move {
            let mut guard = mutex.lock().await.unwrap();
            *guard += 1;
            panic!("boom while holding the lock");
        })
    };
    assert!(task.join().is_err());
    assert!(!mutex.is_poisoned());
    assert_eq!(*mutex.lock().unwrap(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn rwlock_readers_share_writers_exclude() {
    let lock = Rc::new(RwLock::new(0));
    let r1 = lock.read().unwrap();
    let r2 = lock.read().unwrap();
    assert!(matches!(lock.try_write(), Err(TryLockError::WouldBlock)));
    let writer = {
        let lock = lock.clone();
        green::spawn(move || async move {
            *lock.write().await.unwrap() += 1;
        })
    };
    green::sleep(Duration::from_millis(10));
    assert_eq!(*r1 + *r2, 0, "the writer waits for the readers");
    drop((r1, r2));
    writer.join().unwrap();
    assert_eq!(*lock.read().unwrap(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn barrier_releases_rounds_with_one_leader() {
    let barrier = Rc::new(Barrier::new(5));
    let arrivals = Rc::new(RefCell::new(Vec::new()));
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let (barrier, arrivals) = (barrier.clone(), arrivals.clone());
            green::spawn(move || async move {
                green::sleep(Duration::from_millis(i * 5)).await;
                arrivals.borrow_mut().push(i);
                let first = barrier.wait().await.is_leader();
                // Everyone arrived before anyone left.
                assert_eq!(arrivals.borrow().len(), 5);
                let second = barrier.wait().await.is_leader();
                u32::from(first) + u32::from(second)
            })
        })
        .collect();
    let leaders: u32 = green::joinall(tasks).into_iter().map(Result::unwrap).sum();
    assert_eq!(leaders, 2);
}

#[green::green]
fn slow_answer(runs: Rc<Cell<u32>>) -> u32 {
    runs.set(runs.get() + 1);
    green::sleep(Duration::from_millis(20));
    42
}

#[green::test(timeout_ms = 10_000)]
fn once_lock_runs_green_init_once() {
    let cell = Rc::new(OnceLock::new());
    let runs = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (cell, runs) = (cell.clone(), runs.clone());
            green::spawn(move || async move { *cell.get_or_init(|| slow_answer(runs)).await })
        })
        .collect();
    for result in green::joinall(tasks) {
        assert_eq!(result, Ok(42));
    }
    assert_eq!(runs.get(), 1);
    assert_eq!(cell.get(), Some(&42));
    assert_eq!(cell.set(1), Err(1));
}

#[green::test(timeout_ms = 10_000)]
fn once_runs_green_work_once_and_waiters_wait_for_it() {
    let once = Rc::new(Once::new());
    let runs = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let (once, runs) = (once.clone(), runs.clone());
            green::spawn(move || async move {
                once.call_once(|| async {
                    green::sleep(Duration::from_millis(20)).await;
                    runs.set(runs.get() + 1);
                })
                .await;
                // Every caller returns only after the work is done.
                runs.get()
            })
        })
        .collect();
    for result in green::joinall(tasks) {
        assert_eq!(result, Ok(1));
    }
    assert!(once.is_completed());
}

static GLOBAL: Mutex<u32> = Mutex::new(0);
static CONFIG: OnceLock<String> = OnceLock::new();

#[green::test(timeout_ms = 10_000)]
fn statics_work() {
    *GLOBAL.lock().unwrap() += 1;
    assert!(*GLOBAL.lock().unwrap() >= 1);
    let value = CONFIG.get_or_init(|| async { "set".to_owned() });
    assert_eq!(value, "set");
}

#[green::green]
fn hold_briefly(lock: Rc<Mutex<u32>>) {
    let mut guard = lock.lock().unwrap();
    *guard += 1;
    green::sleep(Duration::from_millis(1));
}

#[green::test(timeout_ms = 30_000)]
fn a_contended_mutex_does_not_block_the_hub() {
    let lock = Rc::new(Mutex::new(0));
    let ticks = Rc::new(Cell::new(0u32));
    let ticker = {
        let ticks = ticks.clone();
        green::spawn(move || async move {
            loop {
                green::idle().await;
                ticks.set(ticks.get() + 1);
            }
        })
    };
    let start = Instant::now();
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let lock = lock.clone();
            green::spawn(move || hold_briefly(lock))
        })
        .collect();
    green::joinall(tasks);
    ticker.kill();
    assert_eq!(*lock.lock().unwrap(), 100);
    assert!(ticks.get() >= 100, "the hub stalled: {} ticks", ticks.get());
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn locks_are_send_and_sync_like_std() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Mutex<u32>>();
    send_sync::<RwLock<u32>>();
    send_sync::<Barrier>();
    send_sync::<Once>();
    send_sync::<OnceLock<u32>>();
    send_sync::<green::compat::sync::Condvar>();
}

#[green::green]
fn hold_for(lock: std::sync::Arc<Mutex<Vec<&'static str>>>, name: &'static str, hold: Duration) {
    let mut guard = lock.lock().unwrap();
    guard.push(name);
    green::sleep(hold);
    guard.push(name);
}

#[test]
fn a_mutex_shared_by_two_hubs_on_two_threads_is_exclusive() {
    let lock = std::sync::Arc::new(Mutex::new(Vec::new()));
    let first = {
        let lock = lock.clone();
        std::thread::spawn(move || green::run(hold_for(lock, "a", Duration::from_millis(50))))
    };
    std::thread::sleep(Duration::from_millis(10));
    let second = {
        let lock = lock.clone();
        std::thread::spawn(move || green::run(hold_for(lock, "b", Duration::from_millis(1))))
    };
    first.join().unwrap();
    second.join().unwrap();
    let log = std::sync::Arc::try_unwrap(lock)
        .unwrap()
        .into_inner()
        .unwrap();
    assert_eq!(log, ["a", "a", "b", "b"]);
}
