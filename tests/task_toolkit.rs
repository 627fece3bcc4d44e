//! `spawn_later`, `spawn_blocking`, `iwait`, `killall`.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use green::GreenError;

#[green::green]
fn sleep_then(ms: u64) -> u64 {
    green::sleep(Duration::from_millis(ms));
    ms
}

#[green::test(timeout_ms = 10_000)]
fn spawn_later_starts_after_the_delay() {
    let start = Instant::now();
    let task = green::spawn_later(Duration::from_millis(30), || async { Instant::now() });
    let started = task.join().unwrap();
    assert!(started.duration_since(start) >= Duration::from_millis(25));
}

#[green::test(timeout_ms = 10_000)]
fn a_spawn_later_killed_before_its_delay_never_runs() {
    let ran = Rc::new(RefCell::new(false));
    let task = {
        let ran = ran.clone();
        green::spawn_later(Duration::from_millis(20), move || async move {
            *ran.borrow_mut() = true
        })
    };
    task.kill();
    green::sleep(Duration::from_millis(40));
    assert!(!*ran.borrow());
    assert_eq!(task.join(), Err(GreenError::Killed));
}

#[green::test(timeout_ms = 10_000)]
fn spawn_blocking_never_stalls_the_hub() {
    let blocking = green::spawn_blocking(|| {
        std::thread::sleep(Duration::from_millis(100));
        std::thread::current().id()
    });
    // The hub keeps turning while the OS thread sleeps.
    let start = Instant::now();
    let mut ticks = 0;
    while !blocking.is_ready() {
        green::sleep(Duration::from_millis(5));
        ticks += 1;
    }
    assert!(ticks >= 5, "only {ticks} ticks in {:?}", start.elapsed());
    assert_ne!(blocking.join().unwrap(), std::thread::current().id());
}

#[green::test(timeout_ms = 10_000)]
fn spawn_blocking_reports_a_panic_and_a_killed_waiter_does_not_hang() {
    let crash = green::spawn_blocking(|| -> u32 { panic!("blocking boom") });
    assert_eq!(
        crash.join(),
        Err(GreenError::Panicked("blocking boom".to_owned()))
    );

    // The thread ends only once told to, after `kill` returned: a `kill`
    // that waited for the thread would hang here.
    let release = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let slow = {
        let (release, finished) = (release.clone(), finished.clone());
        green::spawn_blocking(move || {
            while !release.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1));
            }
            finished.store(true, Ordering::SeqCst);
        })
    };
    slow.kill();
    assert!(
        !finished.load(Ordering::SeqCst),
        "kill waited for the thread"
    );
    assert_eq!(slow.join(), Err(GreenError::Killed));
    release.store(true, Ordering::SeqCst);

    // Many blocking calls at once all complete.
    let tasks: Vec<_> = (0..32u64)
        .map(|i| green::spawn_blocking(move || i * 2))
        .collect();
    let results: Vec<_> = green::joinall(tasks)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results, (0..32u64).map(|i| i * 2).collect::<Vec<_>>());
}

#[green::test(timeout_ms = 10_000)]
fn iwait_gives_tasks_in_completion_order() {
    let tasks: Vec<_> = [60, 5, 30]
        .into_iter()
        .map(|ms| green::spawn(move || sleep_then(ms)))
        .collect();
    let mut order = Vec::new();
    for task in green::iwait(tasks) {
        assert!(task.is_ready());
        order.push(task.join().unwrap());
    }
    assert_eq!(order, [5, 30, 60]);
}

#[green::test(timeout_ms = 10_000)]
fn iwait_includes_killed_and_already_finished_tasks() {
    let done = green::spawn(|| async { 1 });
    green::idle();
    let doomed = green::spawn(|| sleep_then(60_000));
    let later = green::spawn(|| sleep_then(10));
    doomed.kill_nowait();
    let mut waiting = green::iwait([done, doomed, later]);
    assert_eq!(waiting.len(), 3);
    let mut outcomes = Vec::new();
    while let Some(task) = waiting.next() {
        outcomes.push(task.join());
    }
    assert_eq!(outcomes, [Ok(1), Err(GreenError::Killed), Ok(10)]);
    assert!(waiting.is_empty());
}

#[green::test(timeout_ms = 10_000)]
fn a_timeout_around_iwait_next_loses_no_task() {
    let sleeper = green::spawn(|| sleep_then(40));
    let mut waiting = green::iwait([sleeper]);
    let waiting_ref = &mut waiting;
    let early = green::timeout(Duration::from_millis(5), move || async move {
        waiting_ref.next().await.is_some()
    });
    assert!(early.is_err());
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting.next().map(|t| t.is_ready()), Some(true));
}

#[green::test(timeout_ms = 10_000)]
fn killall_kills_every_task() {
    let tasks: Vec<_> = (0..5)
        .map(|_| green::spawn(|| sleep_then(60_000)))
        .collect();
    green::killall(&tasks);
    for task in tasks {
        assert_eq!(task.join(), Err(GreenError::Killed));
    }
}
