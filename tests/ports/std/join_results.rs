//! Threads return values through `JoinHandle<T>`; the results are summed.

use std::sync::mpsc;
use std::thread::{self, JoinHandle};

fn sum_range(from: u64, to: u64) -> u64 {
    (from..to).sum()
}

fn main() {
    let handles: Vec<JoinHandle<u64>> = (0..8)
        .map(|i| thread::spawn(move || sum_range(i * 1000, (i + 1) * 1000)))
        .collect();
    let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("sum 0..8000 = {total}");

    let (tx, rx) = mpsc::channel();
    let producer: JoinHandle<usize> = thread::spawn(move || {
        let mut produced = 0;
        for word in "the quick brown fox jumps over the lazy dog".split(' ') {
            tx.send(word.to_string()).unwrap();
            produced += 1;
        }
        produced
    });
    let consumer: JoinHandle<(usize, usize)> = thread::spawn(move || {
        let mut count = 0;
        let mut letters = 0;
        while let Ok(word) = rx.recv() {
            count += 1;
            letters += word.len();
        }
        (count, letters)
    });

    let produced = producer.join().unwrap();
    let (consumed, letters) = consumer.join().unwrap();
    println!("produced {produced}, consumed {consumed}, letters {letters}");
}
