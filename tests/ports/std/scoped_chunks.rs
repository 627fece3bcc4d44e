//! Scoped threads mutating disjoint chunks of a local buffer in place.

use std::sync::Mutex;
use std::thread;

fn main() {
    let mut pixels: Vec<u32> = (0..24).collect();
    let width = 6;
    let log = Mutex::new(Vec::new());

    thread::scope(|s| {
        for (row, line) in pixels.chunks_mut(width).enumerate() {
            let log = &log;
            s.spawn(move || {
                for p in line.iter_mut() {
                    *p = *p * 2 + row as u32;
                }
                log.lock().unwrap().push(row);
            });
        }
    });

    let mut rows = log.into_inner().unwrap();
    rows.sort();
    println!("rows done: {rows:?}");
    for line in pixels.chunks(width) {
        println!("{line:?}");
    }

    let mut histogram = [0usize; 4];
    let (left, right) = pixels.split_at(pixels.len() / 2);
    let (a, b) = thread::scope(|s| {
        let a = s.spawn(|| left.iter().filter(|p| **p % 2 == 0).count());
        let b = s.spawn(|| right.iter().filter(|p| **p % 2 == 0).count());
        (a.join().unwrap(), b.join().unwrap())
    });
    histogram[0] = a;
    histogram[1] = b;
    pixels.clear();
    println!(
        "even in halves: {:?}, buffer now empty: {}",
        &histogram[..2],
        pixels.is_empty()
    );
}
