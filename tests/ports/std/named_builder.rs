//! Threads started with `thread::Builder`, named, reporting their names.

use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::new();

    for i in 0..3 {
        let tx = tx.clone();
        let handle = thread::Builder::new()
            .name(format!("worker-{i}"))
            .stack_size(64 * 1024)
            .spawn(move || {
                let me = thread::current();
                let name = me.name().unwrap_or("unnamed").to_string();
                tx.send(format!("{name} says hi")).unwrap();
                i * i
            })
            .expect("spawn failed");
        handles.push(handle);
    }
    drop(tx);

    let mut results = Vec::new();
    for handle in handles {
        let name = handle.thread().name().unwrap().to_string();
        let value = handle.join().unwrap();
        results.push(format!("{name} returned {value}"));
    }

    let mut greetings: Vec<String> = rx.iter().collect();
    greetings.sort();
    for line in greetings.iter().chain(results.iter()) {
        println!("{line}");
    }

    let unnamed = thread::Builder::new()
        .spawn(|| thread::current().name().map(|n| n.to_string()))
        .unwrap();
    println!("unnamed thread name: {:?}", unnamed.join().unwrap());
    println!("main thread name: {:?}", thread::current().name());
}
