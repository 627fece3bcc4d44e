//! gevent's `processes.py` on green: runs two commands at once, waits at
//! most 2 seconds for both, and prints the output of each one that ended
//! (or that it is still running). compat's `Command` has green pipes, so
//! waiting for one child never stops the other tasks.
//!
//! ```text
//! cargo run --example processes            # uname and ls, as the original
//! ```

use std::time::Duration;

use green::compat::process::{Command, Output};

/// What became of one command within the deadline.
#[derive(Debug)]
pub(crate) enum Job {
    /// It ended: its captured output.
    Done(std::io::Result<Output>),
    /// Still running at the deadline: its green task is killed, which
    /// drops the `Child` (as in std, the process itself runs on).
    StillRunning,
}

/// Runs every `program args..` in a green task of its own, waits up to
/// `deadline` for all, and gives each command's fate in input order.
#[green::green]
pub(crate) fn run_all(commands: &[Vec<String>], deadline: Duration) -> Vec<(String, Job)> {
    let tasks: Vec<_> = commands
        .iter()
        .map(|argv| {
            let argv = argv.clone();
            green::spawn(move || Command::new(&argv[0]).args(&argv[1..]).output())
        })
        .collect();
    let ids: Vec<_> = tasks.iter().map(|task| task.id()).collect();
    // gevent.wait(jobs, timeout=2): the results of the tasks that ended (in
    // the order given) and the handles of the ones still running.
    let (finished, running) = green::joinall_timeout(tasks, deadline);
    let late: Vec<_> = running.iter().map(|task| task.id()).collect();
    green::killall(&running);
    let mut finished = finished.into_iter();
    let jobs = ids.into_iter().map(|id| {
        if late.contains(&id) {
            Job::StillRunning
        } else {
            let result = finished.next().expect("one result per finished task");
            Job::Done(result.unwrap_or_else(|e| Err(std::io::Error::other(e.to_string()))))
        }
    });
    commands
        .iter()
        .map(|argv| argv.join(" "))
        .zip(jobs)
        .collect()
}

#[green::main]
fn main() {
    let commands = vec![vec!["uname".to_owned()], vec!["ls".to_owned()]];
    for (name, job) in run_all(&commands, Duration::from_secs(2)) {
        match job {
            Job::Done(Ok(output)) => {
                println!("{name}: {:?}", String::from_utf8_lossy(&output.stdout))
            }
            Job::Done(Err(e)) => println!("{name}: failed: {e}"),
            Job::StillRunning => println!("{name}: job is still running"),
        }
    }
}
