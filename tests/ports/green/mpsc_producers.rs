//! Several producer threads feed one consumer through an mpsc channel.

use green::compat::sync::mpsc;
use green::compat::thread;
use green::compat::time::Duration;

#[green::main]
fn main() {
    let (tx, rx) = mpsc::channel();

    for id in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || {
            for n in 0..4 {
                tx.send(format!("producer {id} item {n}")).unwrap();
                thread::sleep(Duration::from_millis(1));
            }
        });
    }
    drop(tx);

    let mut received = Vec::new();
    for msg in rx {
        received.push(msg);
    }
    received.sort();
    for msg in &received {
        println!("{msg}");
    }
    println!("total: {}", received.len());
}
