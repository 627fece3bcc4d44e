#[green::main]
static MAIN: u32 = 1;

fn main() {}
