//! A green call in a plain fn gives green work, not its value.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

fn plain() -> u32 {
    let n: u32 = double(21);
    n
}

fn main() {
    let _ = plain();
}
