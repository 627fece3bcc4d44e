//! Foreign futures: `green::wait(..)` awaits one, a bare one is a plain value.
use std::time::{Duration, Instant};

#[green::green]
fn nap() -> Duration {
    let start = Instant::now();
    green::wait(tokio::time::sleep(Duration::from_millis(20)));
    start.elapsed()
}

#[green::green]
fn not_joined() -> u32 {
    // A tokio JoinHandle is not green: it passes through, not awaited.
    let handle: tokio::task::JoinHandle<u32> = tokio::task::spawn_local(async { 5 });
    let sleep = tokio::time::sleep(Duration::from_millis(1)); // a value, not awaited
    drop(sleep);
    let joined = green::wait(handle).unwrap();
    joined + 1
}

#[green::main]
fn main() {
    assert!(nap() >= Duration::from_millis(20));
    assert_eq!(not_joined(), 6);
}
