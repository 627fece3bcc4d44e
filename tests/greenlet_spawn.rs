//! Green tasks interleave on one hub: spawn order, idle, sleep, joinall.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::GreenError;

type Log = Rc<RefCell<Vec<String>>>;

#[green::green]
fn two_steps(n: u32, log: Log) {
    log.borrow_mut().push(format!("{n}A"));
    green::idle();
    log.borrow_mut().push(format!("{n}B"));
}

#[green::test(timeout_ms = 10_000)]
fn idle_alternates_two_tasks() {
    let log = Log::default();
    let first = {
        let log = log.clone();
        green::spawn(move || two_steps(1, log))
    };
    let second = {
        let log = log.clone();
        green::spawn(move || two_steps(2, log))
    };
    first.join().unwrap();
    second.join().unwrap();
    assert_eq!(*log.borrow(), ["1A", "2A", "1B", "2B"]);
}

#[green::test(timeout_ms = 10_000)]
fn spawned_task_starts_on_the_next_turn() {
    let log = Log::default();
    let task = {
        let log = log.clone();
        green::spawn(move || async move { log.borrow_mut().push("task".to_owned()) })
    };
    log.borrow_mut().push("spawner".to_owned());
    task.join().unwrap();
    assert_eq!(*log.borrow(), ["spawner", "task"]);
}

#[green::green]
fn nap(ms: u64) -> u64 {
    green::sleep(Duration::from_millis(ms));
    ms
}

#[green::test(timeout_ms = 20_000)]
fn thousand_tasks_sleep_concurrently() {
    let start = Instant::now();
    let asleep = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..1_000)
        .map(|_| {
            let asleep = asleep.clone();
            green::spawn(move || async move {
                asleep.set(asleep.get() + 1);
                nap(100).await;
                asleep.get()
            })
        })
        .collect();
    let results = green::joinall(tasks);
    assert!(start.elapsed() >= Duration::from_millis(100));
    // Each task saw all 1,000 asleep when it woke: no sleep waited for
    // another to end (one after the other, the first would see 1).
    assert_eq!(results.len(), 1_000);
    assert!(
        results.iter().all(|r| *r == Ok(1_000)),
        "{:?}",
        &results[..3]
    );
}

#[green::test(timeout_ms = 10_000)]
fn joinall_keeps_input_order() {
    let tasks: Vec<_> = [30u64, 10, 20]
        .into_iter()
        .map(|ms| green::spawn(move || nap(ms)))
        .collect();
    assert_eq!(green::joinall(tasks), [Ok(30), Ok(10), Ok(20)]);
}

#[green::test(timeout_ms = 10_000)]
fn joinall_timeout_splits_finished_and_running() {
    let quick = green::spawn(|| nap(1));
    let slow = green::spawn(|| nap(60_000));
    let start = Instant::now();
    let (finished, running) = green::joinall_timeout([quick, slow], Duration::from_millis(50));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(finished, [Ok(1)]);
    assert_eq!(running.len(), 1);
    assert!(!running[0].is_ready());
    green::killall(&running);
    assert!(running[0].is_ready());
}

#[green::test(timeout_ms = 10_000)]
fn names_ids_and_current() {
    let task = green::spawn(|| async { (green::current().id(), green::current().name()) });
    let id = task.id();
    assert_eq!(task.name(), format!("Greenlet-{id}"));
    task.set_name("worker");
    assert_eq!(task.name(), "worker");
    assert_eq!(task.join(), Ok((id, "worker".to_owned())));
    assert_eq!(green::current().name(), "MainGreenlet");
}

#[green::test(timeout_ms = 10_000)]
fn dropping_the_handle_does_not_stop_the_task() {
    let log = Log::default();
    {
        let log = log.clone();
        drop(green::spawn(move || async move {
            green::sleep(Duration::from_millis(5)).await;
            log.borrow_mut().push("ran".to_owned());
        }));
    }
    green::sleep(Duration::from_millis(50));
    assert_eq!(*log.borrow(), ["ran"]);
}

#[test]
fn run_returns_the_value_of_its_work() {
    assert_eq!(green::run(nap(1)), 1);
    // A second hub on the same thread after the first ended.
    assert_eq!(green::run(nap(2)), 2);
}

#[test]
#[should_panic(expected = "inside a running hub")]
fn nested_run_is_refused_with_a_clear_message() {
    green::run(async { green::run(nap(1)) });
}

#[test]
#[should_panic(expected = "outside a hub")]
fn spawn_outside_a_hub_is_refused_with_a_clear_message() {
    let _ = green::spawn(|| nap(1));
}

#[green::test(timeout_ms = 10_000)]
fn join_of_a_killed_task_is_killed() {
    let task = green::spawn(|| nap(60_000));
    task.kill_nowait();
    assert_eq!(task.join(), Err(GreenError::Killed));
}
