//! `Receiver::recv_timeout` against a sender that pauses, then hangs up.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();
    let sender = thread::spawn(move || {
        for i in 0..3 {
            tx.send(i).unwrap();
            thread::sleep(Duration::from_millis(5));
        }
        thread::sleep(Duration::from_millis(300));
        tx.send(99).unwrap();
    });

    let mut timeouts = 0;
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(value) => println!("got {value}"),
            Err(RecvTimeoutError::Timeout) => {
                if timeouts == 0 {
                    println!("timed out waiting");
                }
                timeouts += 1;
            }
            Err(RecvTimeoutError::Disconnected) => {
                println!("sender hung up");
                break;
            }
        }
    }
    sender.join().unwrap();
    println!("at least one timeout: {}", timeouts >= 1);

    let (_keep, quiet) = mpsc::channel::<()>();
    println!(
        "quiet channel: {:?}",
        quiet.recv_timeout(Duration::from_millis(10))
    );
}
