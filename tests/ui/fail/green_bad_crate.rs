#[green::green(crate = 5)]
fn fetch() -> u32 {
    1
}

fn main() {}
