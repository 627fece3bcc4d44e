//! eventlet's `regression.py` on green: a stress test of timers. Workers
//! each schedule many batches of timers (one per delay in a range),
//! yielding to the hub between batches; every timer counts itself, notes
//! how far from its delay it fired and releases a semaphore, which the
//! main task acquires once per timer to wait for them all. It prints the
//! timers expected, scheduled and fired, the time it took and how late the
//! timers were.
//!
//! eventlet schedules bare callbacks on its hub (`schedule_call_global`);
//! green's way to run something later is `green::spawn_later`, so each
//! timer here is a small green task.
//!
//! ```text
//! cargo run --release --example eventlet_regression -- [WORKERS] [ROUNDS]   # 10 1000: 100,000 timers
//! ```

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::Semaphore;

/// What a run measured.
#[derive(Debug)]
pub(crate) struct Report {
    pub(crate) expected: usize,
    pub(crate) scheduled: usize,
    pub(crate) fired: usize,
    pub(crate) took: Duration,
    /// The sum, over the timers, of how far from its delay each fired.
    pub(crate) total_off: Duration,
    /// Timers that fired before their delay was over.
    pub(crate) early: usize,
}

/// What the workers and timers of one run share (one hub: no lock).
struct Shared {
    scheduled: Cell<usize>,
    fired: Cell<usize>,
    total_off: Cell<Duration>,
    early: Cell<usize>,
    done: Semaphore,
}

/// One timer going off `delay` after `since`.
#[green::green]
fn fire(since: Instant, delay: Duration, shared: Rc<Shared>) {
    shared.fired.set(shared.fired.get() + 1);
    let waited = since.elapsed();
    if waited < delay {
        shared.early.set(shared.early.get() + 1);
    }
    let off = waited.abs_diff(delay);
    shared.total_off.set(shared.total_off.get() + off);
    shared.done.release();
}

/// Worker `n`: `rounds` batches of one timer per delay.
#[green::green]
fn worker(n: usize, rounds: usize, delays: Rc<[Duration]>, shared: Rc<Shared>) {
    println!("worker {n}");
    for round in 1..=rounds {
        if round % 100 == 0 {
            println!("worker {n}: round {round}");
        }
        for &delay in delays.iter() {
            let (since, shared_too) = (Instant::now(), shared.clone());
            green::spawn_later(delay, move || fire(since, delay, shared_too));
            shared.scheduled.set(shared.scheduled.get() + 1);
        }
        green::idle();
    }
}

/// Runs `workers` workers of `rounds` batches over `delays`; returns once
/// every timer fired.
#[green::green]
pub(crate) fn run(workers: usize, rounds: usize, delays: Vec<Duration>) -> Report {
    let expected = workers * rounds * delays.len();
    println!("timers expected: {expected}");
    let shared = Rc::new(Shared {
        scheduled: Cell::new(0),
        fired: Cell::new(0),
        total_off: Cell::new(Duration::ZERO),
        early: Cell::new(0),
        done: Semaphore::new(0),
    });
    let delays: Rc<[Duration]> = delays.into();
    let start = Instant::now();
    let group = green::Group::new();
    for n in 1..=workers {
        let (delays, shared) = (delays.clone(), shared.clone());
        group.spawn(move || worker(n, rounds, delays, shared));
    }
    group.join();
    // One permit per timer: taking them all waits for every timer.
    for _ in 0..expected {
        shared.done.acquire().forget();
    }
    Report {
        expected,
        scheduled: shared.scheduled.get(),
        fired: shared.fired.get(),
        took: start.elapsed(),
        total_off: shared.total_off.get(),
        early: shared.early.get(),
    }
}

#[green::main]
fn main() {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().expect("a number"));
    let workers = args.next().unwrap_or(10);
    let rounds = args.next().unwrap_or(1000);
    // 1 ms to 5 s in steps of 500 ms, as the original.
    let delays = (1..5001).step_by(500).map(Duration::from_millis).collect();
    let report = run(workers, rounds, delays);
    println!("{}", "-".repeat(79));
    println!("timers expected:   {}", report.expected);
    println!("timers scheduled:  {}", report.scheduled);
    println!("timers fired:      {}", report.fired);
    println!("time took:         {:?}", report.took);
    println!("fired early:       {}", report.early);
    println!("off by, in total:  {:?}", report.total_off);
    println!(
        "off by, on average: {:?}",
        report.total_off / report.fired.max(1) as u32
    );
}
