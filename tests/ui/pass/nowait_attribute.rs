//! `#[nowait]` on a statement or an argument leaves it as written.
use green::Green;
use std::future::Future;

#[green::green]
fn seven() -> u32 {
    7
}

fn keep(work: Green<impl Future<Output = u32>>) -> Green<impl Future<Output = u32>> {
    work
}

#[green::green]
fn kept() -> u32 {
    #[nowait]
    let work = seven();
    let task = green::spawn(move || work);
    // `keep(..)` is awaited, its `#[nowait]` argument is not.
    let again = keep(
        #[nowait]
        seven(),
    );
    task.join().unwrap() + again
}

#[green::main]
fn main() {
    assert_eq!(kept(), 14);
}
