//! Generated code names only absolute paths: local `core`, `std`, `green`
//! modules and user names like `w`, `it`, `ret` do not disturb it.
#![allow(dead_code)]

mod core {}
mod std {}

#[green::green]
fn one() -> u32 {
    1
}

#[green::green]
fn shadowing(__green_w: u32, ret: u32) -> u32 {
    let w = one();
    let it = [one(), one()];
    let mut total = 0;
    for __green_it in it {
        total += __green_it;
    }
    let __green_ret = w + total;
    __green_ret + __green_w + ret
}

#[green::main]
fn main() {
    assert_eq!(shadowing(10, 100), 113);
}
