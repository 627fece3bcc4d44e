//! waiters, green: N green tasks wait on one primitive, then all are woken.
//! Plain async code over green's API (each call is awaited), so that the
//! same harness drives all three primitives.
//!
//! `waiters_green --n 100000 --on queue|event|lock [--rounds 5]` prints the
//! time to wake and join every waiter once all are parked (`wake_ms`), and
//! the total with the spawning (`total_ms`), each the best of `rounds`
//! rounds in one process (a round of 10k takes a few ms: one descheduling
//! would swamp it):
//!
//! - queue: N tasks wait in `Queue::get`; the main task fills the queue
//!   with N items;
//! - event: N tasks wait on one `Event`; the main task sets it;
//! - lock: N tasks wait on a `Lock` the main task holds; it releases it and
//!   each waiter takes and releases it in turn.
//!
//! With a waiter list that scans, the wake phase grows as N²: the figure to
//! read is the ratio of the 100k time to the 10k time (linear: about 10).

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::{Event, Lock, Queue};

/// Spawns `n` tasks that run `wait`, idles until each has started, runs
/// `wake`, joins them: (time to wake and join, total time).
async fn park_and_wake<W, F, G>(n: u64, wait: W, wake: G) -> (Duration, Duration)
where
    W: Fn() -> F + Clone + 'static,
    F: Future<Output = ()> + 'static,
    G: FnOnce(),
{
    let parked = Rc::new(Cell::new(0u64));
    let start = Instant::now();
    let mut handles = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let (wait, parked) = (wait.clone(), parked.clone());
        handles.push(green::spawn(move || async move {
            parked.set(parked.get() + 1);
            wait().await;
        }));
    }
    while parked.get() < n {
        green::idle().await;
    }
    let woken = Instant::now();
    wake();
    for result in green::joinall(handles).await {
        result.expect("a waiter");
    }
    (woken.elapsed(), start.elapsed())
}

async fn queue(n: u64) -> (Duration, Duration) {
    let queue: Queue<u64> = Queue::new();
    let getter = queue.clone();
    let wait = move || {
        let queue = getter.clone();
        async move {
            queue.get().await.expect("an item");
        }
    };
    park_and_wake(n, wait, || {
        for i in 0..n {
            queue.try_put(i).expect("an unbounded queue");
        }
    })
    .await
}

async fn event(n: u64) -> (Duration, Duration) {
    let event = Event::new();
    let waiter = event.clone();
    let wait = move || {
        let event = waiter.clone();
        async move { event.wait().await }
    };
    park_and_wake(n, wait, || event.set()).await
}

async fn lock(n: u64) -> (Duration, Duration) {
    let lock = Lock::new();
    let held = lock.try_acquire().expect("a new lock is free");
    let waiter = lock.clone();
    let wait = move || {
        let lock = waiter.clone();
        async move {
            drop(lock.acquire().await);
        }
    };
    park_and_wake(n, wait, || drop(held)).await
}

fn main() {
    let n: u64 = green_bench::arg("n", 100_000);
    let on: String = green_bench::arg("on", "queue".to_owned());
    let rounds: u32 = green_bench::arg("rounds", 5);
    let (wake, total) = green::run(async move {
        let mut best = (Duration::MAX, Duration::MAX);
        for _ in 0..rounds.max(1) {
            let (wake, total) = match on.as_str() {
                "queue" => queue(n).await,
                "event" => event(n).await,
                "lock" => lock(n).await,
                other => panic!("--on queue|event|lock, not `{other}`"),
            };
            best = (best.0.min(wake), best.1.min(total));
        }
        best
    });
    green_bench::report(&[
        ("n", n as f64),
        ("wake_ms", wake.as_secs_f64() * 1e3),
        ("total_ms", total.as_secs_f64() * 1e3),
    ]);
}
