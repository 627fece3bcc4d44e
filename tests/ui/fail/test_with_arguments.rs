#[green::test]
fn with_args(port: u16) {
    let _ = port;
}

fn main() {}
