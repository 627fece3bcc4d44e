//! A `#[green]` closure is green work: `green::spawn`, `green::timeout` and
//! `Pool::imap` take it as they take a closure calling a `#[green]` fn.
use std::time::Duration;

use green::Pool;

#[green::green]
fn double(x: u32) -> u32 {
    green::idle();
    x * 2
}

#[green::green]
fn combinators() -> u32 {
    let offset = 1;
    let task = green::spawn(
        #[green]
        move || double(20) + offset,
    );
    let timed = green::timeout(
        Duration::from_secs(5),
        #[green]
        move || double(1) + offset,
    )
    .unwrap();
    let slow = green::timeout(
        Duration::from_millis(1),
        #[green]
        || {
            green::sleep(Duration::from_secs(5));
            0
        },
    );
    assert!(slow.is_err());
    let pool = Pool::new(2);
    let mut mapped = Vec::new();
    for value in pool.imap(
        #[green]
        move |x: u32| double(x) + offset,
        [1, 2, 3],
    ) {
        mapped.push(value.unwrap());
    }
    assert_eq!(mapped, [3, 5, 7]);
    task.join().unwrap() + timed
}

#[green::main]
fn main() {
    assert_eq!(combinators(), 41 + 3);
}
