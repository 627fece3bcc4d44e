//! What the monitor says about a task that blocks its hub: a ticker that
//! should tick every 50 ms, and a task that checksums a buffer for about
//! 400 ms without yielding. The ticks stop meanwhile, and stderr says which
//! task held the hub, while it does and when it lets go.
//!
//! ```text
//! cargo run --example blocked_hub
//! GREEN_MONITOR=0 cargo run --example blocked_hub          # the same, silent
//! GREEN_MAX_BLOCKING_MS=1000 cargo run --example blocked_hub # under the threshold
//! ```

use std::time::{Duration, Instant};

#[green::green]
fn ticker(start: Instant) {
    for _ in 0..12 {
        green::sleep(Duration::from_millis(50));
        println!("tick at {} ms", start.elapsed().as_millis());
    }
}

/// CPU-bound work with no `green::idle()` inside: nothing else runs meanwhile.
fn checksum_for(duration: Duration) -> u64 {
    let start = Instant::now();
    let mut sum = 0u64;
    while start.elapsed() < duration {
        for byte in 0..=255u8 {
            sum = sum.wrapping_mul(31).wrapping_add(u64::from(byte));
        }
    }
    sum
}

#[green::green]
fn checksum() -> u64 {
    green::sleep(Duration::from_millis(120));
    checksum_for(Duration::from_millis(400))
}

#[green::main]
fn main() {
    let start = Instant::now();
    let ticks = green::spawn(move || ticker(start));
    let work = green::spawn(checksum);
    work.set_name("checksum");
    let sum = work.join().unwrap();
    ticks.join().unwrap();
    println!("checksum {sum:x}");
}
