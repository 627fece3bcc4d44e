//! gevent's `multiple_threads.py` on green: `run_in_thread(f)` runs a
//! blocking function on an OS thread and waits for it as a green
//! operation, so four green tasks each running `sleep 1` through
//! `os.system`-style blocking calls finish in about one second, not four.
//! gevent builds this from a raw thread and a hub async watcher; green has
//! it as `spawn_blocking(f).join()`, and a panic in `f` comes back as an
//! error, as gevent re-raises the thread's exception.
//!
//! ```text
//! cargo run --example multiple_threads -- [TASKS]   # 4
//! ```

use std::time::{Duration, Instant};

use green::GreenError;

/// Runs the blocking `f` on an OS thread; the calling green task waits,
/// the others run on.
#[green::green]
pub(crate) fn run_in_thread<T, F>(f: F) -> Result<T, GreenError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    green::spawn_blocking(f).join()
}

/// `tasks` green tasks, each running `command` to its end on a thread with
/// std's blocking `Command::status`; gives the time it all took.
#[green::green]
pub(crate) fn run_commands(tasks: usize, command: &'static [&'static str]) -> Duration {
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            green::spawn(move || {
                run_in_thread(move || {
                    std::process::Command::new(command[0])
                        .args(&command[1..])
                        .status()
                })
            })
        })
        .collect();
    for result in green::joinall(handles) {
        match result {
            Ok(Ok(Ok(status))) if status.success() => {}
            other => eprintln!("a command failed: {other:?}"),
        }
    }
    start.elapsed()
}

#[green::main]
fn main() {
    let tasks: usize = std::env::args()
        .nth(1)
        .map_or(4, |a| a.parse().expect("TASKS: a count"));
    let took = run_commands(tasks, &["sleep", "1"]);
    println!(
        "running \"sleep 1\" in {tasks} threads took {:.2}s (about a second)",
        took.as_secs_f64()
    );
}
