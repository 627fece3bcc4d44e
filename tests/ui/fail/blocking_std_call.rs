use std::time::Duration;

#[green::green]
fn nap() {
    std::thread::sleep(Duration::from_millis(10));
    // Inside a plain closure (run on the blocking pool) it is fine.
    let _later = || std::thread::sleep(Duration::from_millis(10));
}

fn main() {}
