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
    let outcome = green::run(async move {
        green::timeout(Duration::from_millis(10), move || forever).await
    });
    assert_eq!(outcome, Err(green::Elapsed));
}
