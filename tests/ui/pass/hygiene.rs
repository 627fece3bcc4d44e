//! Generated code names only absolute paths: local `core`, `std` modules, a
//! local `Green` and `Result` type, and user names like `w`, `it`, `ret` do
//! not disturb it.
#![allow(dead_code)]

mod core {}
mod std {}

/// Shadows `green::Green` (the expansion names `::green::__private::Green`).
struct Green;

/// Shadows the prelude's `Result` (and its `Ok`/`Err` are still std's here).
type Result<T> = ::core::result::Result<T, Green>;

#[green::green]
fn one() -> u32 {
    1
}

#[green::green]
fn fallible(fail: bool) -> Result<u32> {
    if fail { Err(Green) } else { Ok(one()) }
}

#[green::green]
fn shadowing(__green_w: u32, ret: u32) -> u32 {
    let w = one();
    let it = [one(), one()];
    let mut total = 0;
    for __green_it in it {
        total += __green_it;
    }
    let closure = #[green]
    move |x: u32| -> Result<u32> { Ok(x + one()) };
    total += closure(1).unwrap_or(0);
    total += fallible(false).unwrap_or(0);
    let __green_ret = w + total;
    __green_ret + __green_w + ret
}

trait Named {
    #[green::green]
    fn name(&self) -> Result<u32>;
}

impl Named for Green {
    #[green::green]
    fn name(&self) -> Result<u32> {
        fallible(true)
    }
}

#[green::main]
fn main() {
    assert_eq!(shadowing(10, 100), 1 + 2 + 2 + 1 + 10 + 100);
    assert!(Green.name().is_err());
}
