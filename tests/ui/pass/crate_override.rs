//! `#[green(crate = path)]` names the crate that holds `__private`.
mod renamed {
    pub use ::green::*;
}

#[green::green(crate = ::green)]
fn one() -> u32 {
    1
}

#[green::green(crate = crate::renamed)]
fn two() -> u32 {
    one() + 1
}

#[green::main(crate = ::green)]
fn main() {
    assert_eq!(two(), 2);
}
