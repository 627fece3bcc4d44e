//! gevent's `pool.py` on green: four `sleep(1)` calls in a `Pool` of three
//! green tasks take about two seconds: the fourth waits for a free slot.
//! gevent needs `monkey.patch_all()` for `time.sleep` to yield; in green,
//! `green::sleep` (or `green::compat::thread::sleep`) is the sleep that
//! yields, and `std::thread::sleep` in a `#[green]` fn is a compile error.
//!
//! ```text
//! cargo run --example pool -- [SIZE] [JOBS] [SECONDS]   # 3 4 1
//! ```

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Runs `jobs` sleeps of `each` in a pool of `size`; gives the time it took
/// and the most sleeps that ran at once.
#[green::green]
pub(crate) fn run(size: usize, jobs: usize, each: Duration) -> (Duration, usize) {
    let pool = green::Pool::new(size);
    let (running, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let start = Instant::now();
    for _ in 0..jobs {
        let (running, most) = (running.clone(), most.clone());
        // Waits here while the pool is full.
        pool.spawn(move || {
            running.set(running.get() + 1);
            most.set(most.get().max(running.get()));
            green::sleep(each);
            running.set(running.get() - 1);
        });
    }
    pool.join();
    (start.elapsed(), most.get())
}

#[green::main]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).map_or(default, String::as_str).to_owned();
    let size: usize = arg(0, "3").parse().expect("SIZE: a count");
    let jobs: usize = arg(1, "4").parse().expect("JOBS: a count");
    let each = Duration::from_secs_f64(arg(2, "1").parse().expect("SECONDS: a number"));
    let (took, _) = run(size, jobs, each);
    println!(
        "running sleep({each:?}) {jobs} times with {size} green tasks took {:.3}s",
        took.as_secs_f64()
    );
}
