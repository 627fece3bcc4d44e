//! `#[green]` on a closure inside a green body: it returns green work. The
//! enclosing `#[green]` consumes the attribute, so no import is needed.

#[green::green]
fn double(x: u32) -> u32 {
    green::idle();
    x * 2
}

#[green::green]
fn closures() -> u32 {
    let offset = 1;
    let add = #[green]
    move |x: u32| double(x) + offset;
    let typed = #[green::green]
    |x: u32| -> u64 { u64::from(double(x)) };
    let task = green::spawn(move || add(20));
    let direct = add(1);
    task.join().unwrap() + direct + typed(2) as u32
}

#[green::main]
fn main() {
    assert_eq!(closures(), 41 + 3 + 4);
}
