//! An explicit `.await` is kept, on green values and on foreign futures.
use std::time::Duration;

#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn waits() -> u32 {
    tokio::time::sleep(Duration::from_millis(1)).await;
    let a = double(1).await;
    let b = double(double(1)).await;
    let c = async { 3 }.await;
    a + b + c
}

#[green::main]
fn main() {
    assert_eq!(waits(), 2 + 4 + 3);
}
