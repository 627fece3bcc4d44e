//! `compat::time::sleep` blocks only the task: many sleepers share the hub.

use std::cell::Cell;
use std::rc::Rc;

use green::compat::time::{Duration, Instant, sleep};

#[green::green]
fn sleeper(done: Rc<Cell<u32>>) {
    sleep(Duration::from_millis(100));
    done.set(done.get() + 1);
}

#[green::test(timeout_ms = 20_000)]
fn a_thousand_sleepers_take_about_one_sleep() {
    let done = Rc::new(Cell::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let done = done.clone();
            green::spawn(move || sleeper(done))
        })
        .collect();
    green::joinall(tasks);
    assert_eq!(done.get(), 1000);
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(100));
    // Sequential sleeps would take 100 s; concurrent ones about 0.1 s.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[green::test(timeout_ms = 20_000)]
fn sleep_lets_other_tasks_run_meanwhile() {
    let ticks = Rc::new(Cell::new(0));
    let ticker = {
        let ticks = ticks.clone();
        green::spawn(move || async move {
            for _ in 0..5 {
                ticks.set(ticks.get() + 1);
                sleep(Duration::from_millis(1)).await;
            }
        })
    };
    sleep(Duration::from_millis(200));
    assert_eq!(ticks.get(), 5);
    ticker.join().unwrap();
}

#[test]
fn sleep_made_outside_a_hub_runs_on_one_later() {
    // Making the work needs no hub: the timer is made on the first poll.
    let nap = green::sleep(Duration::from_millis(30));
    let forever = green::sleep(Duration::MAX);
    let start = Instant::now();
    green::run(nap);
    assert!(start.elapsed() >= Duration::from_millis(30));
    let outcome =
        green::run(async move { green::timeout(Duration::from_millis(10), move || forever).await });
    assert_eq!(outcome, Err(green::Elapsed));
}

#[green::test(timeout_ms = 20_000)]
fn a_zero_sleep_lets_every_other_ready_task_run_as_idle_does() {
    // gevent's sleep(0): two tasks alternating give 1A 2A 1B 2B.
    let log = Rc::new(std::cell::RefCell::new(Vec::new()));
    let tasks: Vec<_> = [1, 2]
        .into_iter()
        .map(|n| {
            let log = log.clone();
            green::spawn(move || async move {
                for step in ["A", "B"] {
                    log.borrow_mut().push(format!("{n}{step}"));
                    green::sleep(Duration::ZERO).await;
                }
            })
        })
        .collect();
    green::joinall(tasks);
    assert_eq!(*log.borrow(), ["1A", "2A", "1B", "2B"]);
}

#[green::test(timeout_ms = 20_000)]
fn a_zero_sleep_waits_one_turn_of_the_ready_tasks_not_a_timer_tick() {
    // A busy task idles 200 times; a zero sleep must come back after it
    // has run once, not when the timer is next looked at.
    let turns = Rc::new(Cell::new(0));
    let busy = {
        let turns = turns.clone();
        green::spawn(move || async move {
            for _ in 0..200 {
                turns.set(turns.get() + 1);
                green::idle().await;
            }
        })
    };
    // Measured in a spawned task: the main task is driven by the hub itself
    // (see `idle`'s docs) and may let ready tasks run several times.
    let sleeper = {
        let turns = turns.clone();
        green::spawn(move || async move {
            green::idle().await;
            let before = turns.get();
            green::sleep(Duration::ZERO).await;
            turns.get() - before
        })
    };
    let ran = sleeper.join().unwrap();
    assert!(ran <= 2, "the busy task ran {ran} times");
    busy.join().unwrap();
}

#[green::test]
fn idle_from_main_lets_every_ready_task_run() {
    // More ready tasks than tokio's LocalSet polls in one tick (61).
    let ran = std::rc::Rc::new(std::cell::Cell::new(0));
    for _ in 0..500 {
        let ran = std::rc::Rc::clone(&ran);
        green::spawn(move || async move { ran.set(ran.get() + 1) });
    }
    green::idle();
    assert_eq!(ran.get(), 500);
}
