//! `?` on green calls.
use std::num::ParseIntError;

#[green::green]
fn parse(text: &str) -> Result<u32, ParseIntError> {
    green::idle();
    text.trim().parse::<u32>()
}

#[green::green]
fn sum(a: &str, b: &str) -> Result<u32, ParseIntError> {
    let a = parse(a)?;
    Ok(a + parse(b)?)
}

#[green::green]
fn boxed_error(a: &str) -> Result<u32, Box<dyn std::error::Error>> {
    Ok(parse(a)? * 2)
}

#[green::main]
fn main() {
    assert_eq!(sum("1", " 2 "), Ok(3));
    assert!(sum("1", "x").is_err());
    assert_eq!(boxed_error("4").unwrap(), 8);
    assert!(boxed_error("-").is_err());
}
