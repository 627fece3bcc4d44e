//! compat::process never blocks the hub: 100 green tasks each waiting for a
//! `sleep 0.05` child finish in a small multiple of 50 ms.

use std::time::{Duration, Instant};

use green::compat::process::Command;

#[green::green]
fn nap_in_a_child() -> Option<i32> {
    let mut child = Command::new("sleep").arg("0.05").spawn().unwrap();
    child.wait().unwrap().code()
}

#[green::test(timeout_ms = 60_000)]
fn hundred_children_are_waited_for_concurrently() {
    let start = Instant::now();
    let tasks: Vec<_> = (0..100).map(|_| green::spawn(nap_in_a_child)).collect();
    for result in green::joinall(tasks) {
        assert_eq!(result, Ok(Some(0)));
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(50));
    assert!(elapsed < Duration::from_millis(2_500), "took {elapsed:?}");
}

#[green::green]
fn status_of(code: i32) -> Option<i32> {
    Command::new("sh")
        .args(["-c", &format!("sleep 0.05; exit {code}")])
        .status()
        .unwrap()
        .code()
}

#[green::test(timeout_ms = 60_000)]
fn statuses_come_back_to_the_right_task() {
    let start = Instant::now();
    let tasks: Vec<_> = (0..50)
        .map(|i| green::spawn(move || status_of(i)))
        .collect();
    for (i, result) in green::joinall(tasks).into_iter().enumerate() {
        assert_eq!(result, Ok(Some(i as i32)));
    }
    assert!(start.elapsed() < Duration::from_millis(2_500));
}
