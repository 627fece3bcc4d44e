//! A "parallel map": split a Vec into chunks, map each on its own thread,
//! and stitch the results back together in order.

use std::thread;

fn parallel_map(data: Vec<u64>, threads: usize, f: fn(u64) -> u64) -> Vec<u64> {
    let chunk_size = data.len().div_ceil(threads).max(1);
    let mut handles = Vec::new();
    for chunk in data.chunks(chunk_size) {
        let chunk = chunk.to_vec();
        handles.push(thread::spawn(move || {
            chunk.into_iter().map(f).collect::<Vec<u64>>()
        }));
    }
    let mut out = Vec::with_capacity(data.len());
    for handle in handles {
        out.extend(handle.join().unwrap());
    }
    out
}

fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n != 1 {
        n = if n.is_multiple_of(2) {
            n / 2
        } else {
            3 * n + 1
        };
        steps += 1;
    }
    steps
}

fn main() {
    let data: Vec<u64> = (1..=40).collect();
    let steps = parallel_map(data.clone(), 4, collatz_steps);
    let sequential: Vec<u64> = data.iter().map(|n| collatz_steps(*n)).collect();
    println!("same as sequential: {}", steps == sequential);
    for (n, s) in data.iter().zip(&steps).filter(|(_, s)| **s > 100) {
        println!("{n} takes {s} steps");
    }
    let squares = parallel_map((1..=10).collect(), 3, |x| x * x);
    println!("squares: {squares:?}");
}
