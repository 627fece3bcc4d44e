//! `thread::sleep` measured with `Instant`: only coarse facts are printed.

use std::thread;
use std::time::{Duration, Instant};

fn nap(ms: u64) -> Duration {
    let start = Instant::now();
    thread::sleep(Duration::from_millis(ms));
    start.elapsed()
}

fn main() {
    let slept = nap(20);
    println!(
        "slept at least 20ms: {}",
        slept >= Duration::from_millis(20)
    );

    let start = Instant::now();
    let sleepers: Vec<_> = (0..5).map(|_| thread::spawn(|| nap(200))).collect();
    let mut all_long_enough = true;
    for s in sleepers {
        all_long_enough &= s.join().unwrap() >= Duration::from_millis(200);
    }
    let elapsed = start.elapsed();
    println!("each sleeper slept long enough: {all_long_enough}");
    println!(
        "sleepers overlapped (under 1s for 5 x 200ms): {}",
        elapsed < Duration::from_millis(1000)
    );

    let deadline = Instant::now() + Duration::from_millis(30);
    let mut ticks = 0;
    while Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
        ticks += 1;
    }
    println!("ticked a few times: {}", (1..=3).contains(&ticks));
    println!("zero sleep returns: {}", nap(0) < Duration::from_secs(1));
}
