#[green::test(timeout_ms = "x")]
fn slow() {}

fn main() {}
