#[green::green(fast)]
fn fetch() -> u32 {
    1
}

fn main() {}
