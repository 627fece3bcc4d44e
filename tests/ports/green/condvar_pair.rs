//! The `Condvar` handshake of the std docs, then a ping-pong of turns.

use green::compat::sync::{Arc, Condvar, Mutex};
use green::compat::thread;

#[green::main]
fn main() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);

    thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        let mut started = lock.lock().unwrap();
        *started = true;
        cvar.notify_one();
    });

    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    while !*started {
        started = cvar.wait(started).unwrap();
    }
    println!("child started: {}", *started);
    drop(started);

    // Ping-pong: two threads take turns through one condvar.
    let turn = Arc::new((Mutex::new(0u32), Condvar::new()));
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for me in 0..2u32 {
        let turn = Arc::clone(&turn);
        let log = Arc::clone(&log);
        handles.push(thread::spawn(move || {
            let (lock, cvar) = &*turn;
            for _ in 0..3 {
                let mut current = cvar
                    .wait_while(lock.lock().unwrap(), |t| *t % 2 != me)
                    .unwrap();
                log.lock()
                    .unwrap()
                    .push(format!("turn {} by {}", *current, me));
                *current += 1;
                cvar.notify_all();
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    for line in log.lock().unwrap().iter() {
        println!("{line}");
    }
}
