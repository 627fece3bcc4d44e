#[green::test(timeout = 5)]
fn slow() {}

fn main() {}
