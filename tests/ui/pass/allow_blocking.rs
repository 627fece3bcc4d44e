//! `#[allow_blocking]` on a statement or on the fn silences the blocking
//! std call check, for code that knowingly blocks the hub (a short sleep in a
//! test, a `std::sync::Mutex` never contended).
use std::time::Duration;

#[green::green]
fn statement() -> u32 {
    #[allow_blocking]
    std::thread::sleep(Duration::from_millis(1));
    #[allow_blocking]
    let counter = std::sync::Mutex::new(41);
    #[allow_blocking]
    use std::sync::RwLock;
    let _unused: Option<RwLock<u8>> = None;
    let value = *counter.lock().unwrap();
    value + 1
}

#[green::green]
#[allow_blocking]
fn whole_fn() -> u32 {
    std::thread::sleep(Duration::from_millis(1));
    use std::sync::mpsc;
    let (tx, rx) = mpsc::channel();
    tx.send(1).unwrap();
    rx.recv().unwrap()
}

#[green::main]
#[allow_blocking]
fn main() {
    std::thread::sleep(Duration::from_millis(1));
    assert_eq!(statement() + whole_fn(), 43);
}
