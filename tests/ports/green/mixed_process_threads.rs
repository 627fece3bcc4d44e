//! Run shell commands from several threads at once and gather their results
//! through a channel, with a coarse timing fact.

use green::compat::process::{Command, Stdio};
use green::compat::sync::mpsc;
use green::compat::thread;
use green::compat::time::{Duration, Instant};

#[green::green]
fn run(id: u32) -> (u32, String, Option<i32>) {
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("sleep 0.2; echo job {id}; exit {}", id % 3))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        id,
        String::from_utf8_lossy(&output.stdout).trim().to_string(),
        output.status.code(),
    )
}

#[green::main]
fn main() {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel();
    for id in 0..5 {
        let tx = tx.clone();
        thread::spawn(move || {
            tx.send(run(id)).unwrap();
        });
    }
    drop(tx);

    let mut results: Vec<_> = rx.iter().collect();
    results.sort();
    for (id, out, code) in &results {
        println!("{id}: {out:?} exit {code:?}");
    }
    let failures = results
        .iter()
        .filter(|(_, _, code)| *code != Some(0))
        .count();
    println!("failures: {failures}");
    println!(
        "ran concurrently (under 1s for 5 x 200ms): {}",
        start.elapsed() < Duration::from_millis(1000)
    );
}
