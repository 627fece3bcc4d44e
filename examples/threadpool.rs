//! gevent's `threadpool.py` on green: four blocking `sleep(1)` calls on a
//! pool of three OS threads take about two seconds, and the hub stays free
//! meanwhile.
//!
//! green has no sized thread pool object: `green::spawn_blocking` runs a
//! closure on tokio's shared pool of OS threads. A `green::Pool` of size 3
//! whose members each wait for one `spawn_blocking` call keeps at most 3
//! of them running, which is what `ThreadPool(3)` gave.
//!
//! ```text
//! cargo run --example threadpool -- [THREADS] [JOBS] [SECONDS]   # 3 4 1
//! ```

use std::thread::ThreadId;
use std::time::{Duration, Instant};

/// What one job reports: its number and the OS thread it ran on.
pub(crate) type JobResult = (usize, ThreadId);

/// Runs `jobs` blocking sleeps of `each` on at most `threads` OS threads at
/// once; gives the results in job order and the time it all took.
#[green::green]
pub(crate) fn run(threads: usize, jobs: usize, each: Duration) -> (Vec<JobResult>, Duration) {
    let pool = green::Pool::new(threads);
    let start = Instant::now();
    let results = pool.map(
        move |job| {
            // std's blocking sleep, on an OS thread: never on the hub.
            green::spawn_blocking(move || {
                std::thread::sleep(each);
                (job, std::thread::current().id())
            })
            .join()
        },
        0..jobs,
    );
    let took = start.elapsed();
    let results = results
        .into_iter()
        .map(|r| r.expect("the pool task ran").expect("the thread ran"))
        .collect();
    (results, took)
}

#[green::main]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).map_or(default, String::as_str).to_owned();
    let threads: usize = arg(0, "3").parse().expect("THREADS: a count");
    let jobs: usize = arg(1, "4").parse().expect("JOBS: a count");
    let each = Duration::from_secs_f64(arg(2, "1").parse().expect("SECONDS: a number"));
    let (_, took) = run(threads, jobs, each);
    println!(
        "running sleep({each:?}) {jobs} times with {threads} threads took {:.3}s",
        took.as_secs_f64()
    );
}
