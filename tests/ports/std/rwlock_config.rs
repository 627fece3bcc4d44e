//! Readers and writers sharing a configuration map behind an `RwLock`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::Duration;

fn main() {
    let config = Arc::new(RwLock::new(BTreeMap::new()));
    config.write().unwrap().insert("version".to_string(), 0u32);
    let reads = Arc::new(AtomicUsize::new(0));

    let mut writers = Vec::new();
    for w in 0..2 {
        let config = Arc::clone(&config);
        writers.push(thread::spawn(move || {
            for round in 0..5 {
                let mut map = config.write().unwrap();
                *map.entry("version".to_string()).or_insert(0) += 1;
                map.insert(format!("writer{w}"), round);
                drop(map);
                thread::sleep(Duration::from_millis(1));
            }
        }));
    }

    let mut readers = Vec::new();
    for _ in 0..4 {
        let config = Arc::clone(&config);
        let reads = Arc::clone(&reads);
        readers.push(thread::spawn(move || {
            let mut last = 0;
            for _ in 0..20 {
                let map = config.read().unwrap();
                let version = map["version"];
                assert!(version >= last, "versions never go back");
                last = version;
                reads.fetch_add(1, Ordering::SeqCst);
            }
            last
        }));
    }

    for w in writers {
        w.join().unwrap();
    }
    let mut max_seen = 0;
    for r in readers {
        max_seen = max_seen.max(r.join().unwrap());
    }

    let map = config.read().unwrap();
    for (key, value) in map.iter() {
        println!("{key} = {value}");
    }
    println!("reads: {}", reads.load(Ordering::SeqCst));
    println!(
        "readers saw at most the final version: {}",
        max_seen <= map["version"]
    );
}
