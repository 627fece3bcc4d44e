//! A bounded `sync_channel`: a fast producer is held back by a slow consumer.

use green::compat::sync::Arc;
use green::compat::sync::atomic::{AtomicUsize, Ordering};
use green::compat::sync::mpsc::{self, TrySendError};
use green::compat::thread;
use green::compat::time::Duration;

const BOUND: usize = 2;

#[green::main]
fn main() {
    let (tx, rx) = mpsc::sync_channel(BOUND);
    let sent = Arc::new(AtomicUsize::new(0));
    let sent2 = Arc::clone(&sent);

    let producer = thread::spawn(move || {
        for i in 0..8 {
            tx.send(i).unwrap();
            sent2.fetch_add(1, Ordering::SeqCst);
        }
    });

    let mut received = Vec::new();
    let mut max_ahead = 0;
    thread::sleep(Duration::from_millis(20));
    while let Ok(value) = rx.recv() {
        received.push(value);
        let ahead = sent.load(Ordering::SeqCst) - received.len();
        max_ahead = max_ahead.max(ahead);
        thread::sleep(Duration::from_millis(2));
    }
    producer.join().unwrap();

    println!("received: {received:?}");
    println!(
        "producer never ran more than bound+1 ahead: {}",
        max_ahead <= BOUND + 1
    );

    let (tx, rx) = mpsc::sync_channel(1);
    tx.send("first").unwrap();
    match tx.try_send("second") {
        Err(TrySendError::Full(v)) => println!("full, got back {v:?}"),
        other => println!("unexpected: {other:?}"),
    }
    println!("recv: {:?}", rx.recv());
    drop(rx);
    match tx.try_send("third") {
        Err(TrySendError::Disconnected(v)) => println!("disconnected, got back {v:?}"),
        other => println!("unexpected: {other:?}"),
    }
}
