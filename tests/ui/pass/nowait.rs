//! `green::nowait!(..)` leaves its expression as written: a green value stays a value.
#[green::green]
fn seven() -> u32 {
    7
}

#[green::green]
fn later() -> u32 {
    let work = green::nowait!(seven());
    let task = green::spawn(move || work);
    let direct = green::nowait!(seven()).await;
    task.join().unwrap() + direct
}

#[green::main]
fn main() {
    assert_eq!(later(), 14);
}
