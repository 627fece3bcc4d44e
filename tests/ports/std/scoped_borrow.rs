//! Scoped threads borrowing locals, and the locals mutated after the scope.

use std::thread;

fn main() {
    let mut numbers = vec![1, 2, 3, 4, 5, 6];
    let words = ["scoped", "threads", "borrow"];
    let mut total = 0;

    thread::scope(|s| {
        s.spawn(|| {
            total = numbers.iter().sum::<i32>();
        });
        let longest = s.spawn(|| words.iter().map(|w| w.len()).max().unwrap_or(0));
        let count = s.spawn(|| numbers.len());
        println!("longest word: {}", longest.join().unwrap());
        println!("count: {}", count.join().unwrap());
    });

    numbers.push(7);
    total += 7;
    println!("total after push: {total}");
    println!("numbers: {numbers:?}");

    let mut chunks_done = [false; 3];
    let data = [10, 20, 30, 40, 50, 60];
    let sums: Vec<i32> = thread::scope(|s| {
        let handles: Vec<_> = data
            .chunks(2)
            .zip(chunks_done.iter_mut())
            .map(|(chunk, done)| {
                s.spawn(move || {
                    *done = true;
                    chunk.iter().sum::<i32>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!("chunk sums: {sums:?}");
    println!("all chunks done: {}", chunks_done.iter().all(|d| *d));
}
