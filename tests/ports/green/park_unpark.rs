//! A thread parks until another sets a flag and unparks it.

use green::compat::sync::Arc;
use green::compat::sync::atomic::{AtomicBool, Ordering};
use green::compat::thread;
use green::compat::time::{Duration, Instant};

#[green::main]
fn main() {
    let flag = Arc::new(AtomicBool::new(false));
    let flag2 = Arc::clone(&flag);

    let parked = thread::spawn(move || {
        let mut wakeups = 0;
        while !flag2.load(Ordering::Acquire) {
            thread::park();
            wakeups += 1;
        }
        wakeups >= 1
    });

    thread::sleep(Duration::from_millis(20));
    flag.store(true, Ordering::Release);
    parked.thread().unpark();
    println!("woke at least once: {}", parked.join().unwrap());

    // An unpark before the park is kept as a token: park returns at once.
    let early = thread::spawn(|| {
        thread::sleep(Duration::from_millis(20));
        let start = Instant::now();
        thread::park();
        start.elapsed() < Duration::from_secs(2)
    });
    early.thread().unpark();
    println!("token kept: {}", early.join().unwrap());

    let start = Instant::now();
    thread::park_timeout(Duration::from_millis(30));
    println!(
        "park_timeout returned: {}",
        start.elapsed() >= Duration::from_millis(1)
    );
}
