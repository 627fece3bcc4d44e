#[green::green(sync(get = 1))]
fn fetch() -> u32 {
    1
}

fn main() {}
