//! The classic shared counter: `Arc<Mutex<_>>` across ten threads.

use green::compat::sync::{Arc, Mutex};
use green::compat::thread;

#[green::main]
fn main() {
    let counter = Arc::new(Mutex::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut handles = vec![];

    for i in 0..10 {
        let counter = Arc::clone(&counter);
        let seen = Arc::clone(&seen);
        let handle = thread::spawn(move || {
            for _ in 0..100 {
                let mut num = counter.lock().unwrap();
                *num += 1;
            }
            seen.lock().unwrap().push(i);
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    println!("Result: {}", *counter.lock().unwrap());
    println!("threads: {:?}", seen);
}
