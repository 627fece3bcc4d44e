//! macro, `#[green]`: the same small program as `macro_handwritten.rs`,
//! written blocking-looking with `#[green]` (no `.await` anywhere).
//!
//! `macro_green --n 20000000` prints run time and future size.

use std::time::Instant;

#[green::green]
fn leaf(x: u64) -> u64 {
    x.wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
}

#[green::green]
fn step(x: u64, i: u64) -> u64 {
    let a = leaf(x ^ i);
    let b = leaf(a);
    if b % 64 == 0 {
        green::idle();
    }
    b
}

#[green::green]
fn program(n: u64) -> u64 {
    let mut acc = 0;
    for i in 0..n {
        acc = step(acc, i);
    }
    acc
}

#[green::green]
fn workers(n: u64) -> u64 {
    let workers: Vec<_> = (0..4u64)
        .map(|k| green::spawn(move || program(n / 4 + k)))
        .collect();
    green::joinall(workers)
        .into_iter()
        .map(|r| r.expect("worker"))
        .fold(0, |a, b| a ^ b)
}

fn main() {
    let n: u64 = green_bench::arg("n", 20_000_000);
    let future_bytes = std::mem::size_of_val(&program(n));
    let start = Instant::now();
    let checksum = green::run(workers(n));
    green_bench::report_macro(start.elapsed(), future_bytes, checksum);
}
