#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

fn plain() -> u32 {
    double(21) + 1
}

fn main() {
    let _ = plain();
}
