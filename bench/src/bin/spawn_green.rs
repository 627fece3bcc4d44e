//! spawn, green: N green tasks each wait on one shared `green::Event`; once all
//! are parked, set it and join them all. Written as a green user writes it,
//! with `#[green]` and no `.await`.
//!
//! `spawn_green --n 100000` prints wall time, bytes per parked task (RSS growth
//! while parked / N) and peak RSS, like `spawn_tokio`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::Event;

#[green::green]
fn waiter(event: Event, parked: Rc<Cell<u64>>) {
    parked.set(parked.get() + 1);
    event.wait();
}

/// Spawn, park, set, join: (wall, RSS before, RSS while all are parked).
#[green::green]
fn spawn_park_join(n: u64) -> (Duration, u64, u64) {
    let event = Event::new();
    let parked = Rc::new(Cell::new(0u64));
    let mut handles = Vec::with_capacity(n as usize);
    let baseline = green_bench::rss_bytes();
    let start = Instant::now();
    for _ in 0..n {
        let (event, parked) = (event.clone(), parked.clone());
        handles.push(green::spawn(move || waiter(event, parked)));
    }
    while parked.get() < n {
        green::idle();
    }
    let parked_rss = green_bench::rss_bytes();
    event.set();
    for result in green::joinall(handles) {
        result.expect("task");
    }
    (start.elapsed(), baseline, parked_rss)
}

fn main() {
    let n: u64 = green_bench::arg("n", 100_000);
    let (wall, baseline, parked_rss) = green::run(spawn_park_join(n));
    green_bench::report_spawn(n, wall, baseline, parked_rss);
}
