//! A pipeline of stages, each a thread, connected by mpsc channels.

// Nested `if`s: the let chain clippy suggests is edition 2024 only.
#![allow(clippy::collapsible_if)]

use green::compat::sync::mpsc::{self, Receiver};
use green::compat::thread;

#[green::green]
fn spawn_stage<F>(input: Receiver<u64>, f: F) -> Receiver<u64>
where
    F: Fn(u64) -> Option<u64> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for value in input {
            if let Some(out) = f(value) {
                if tx.send(out).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

#[green::main]
fn main() {
    let (source_tx, source_rx) = mpsc::channel();
    let producer = thread::spawn(move || {
        for n in 1..=20 {
            source_tx.send(n).unwrap();
        }
    });

    let squared = spawn_stage(source_rx, |n| Some(n * n));
    let odd = spawn_stage(squared, |n| if n % 2 == 1 { Some(n) } else { None });
    let shifted = spawn_stage(odd, |n| Some(n + 1000));

    let results: Vec<u64> = shifted.iter().collect();
    producer.join().unwrap();

    println!("{} results", results.len());
    for r in &results {
        println!("{r}");
    }
    println!("sum: {}", results.iter().sum::<u64>());
}
