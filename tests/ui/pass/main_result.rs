//! `#[green::main]` may return `Result<(), E: Debug>`.
#[green::green]
fn parse(text: &str) -> Result<u32, std::num::ParseIntError> {
    text.parse::<u32>()
}

#[green::main]
fn main() -> Result<(), std::num::ParseIntError> {
    let n = parse("42")?;
    assert_eq!(n, 42);
    Ok(())
}
