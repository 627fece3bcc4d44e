//! Calls whose type comes from inference are not wrapped.
use std::collections::HashMap;

#[green::green]
fn numbers() -> Vec<i32> {
    vec![3, 1, 2]
}

#[green::green]
fn inferred() -> u32 {
    let it = numbers().into_iter();
    let v: Vec<i32> = it.collect();
    let turbofish = "5".parse::<u32>().unwrap();
    let n: u32 = "5".parse().unwrap();
    let m: u32 = "6".parse().expect("a number");
    let big: u64 = n.into();
    let small: u8 = big.try_into().unwrap_or(0);
    let total: i32 = v.iter().sum();
    let product: i32 = v.iter().product();
    let map: HashMap<u32, u32> = Default::default();
    let s = String::from("abc");
    let back: Vec<u8> = Vec::from_iter(s.bytes());
    let parsed: Result<u8, _> = "9".parse();
    let from: u64 = u64::from(3u32);
    let opt: Option<u32> = None;
    assert_eq!(v, [3, 1, 2]);
    assert_eq!(total, 6);
    assert_eq!(product, 6);
    assert!(map.is_empty());
    assert_eq!(back.len(), 3);
    turbofish
        + n
        + m
        + small as u32
        + parsed.unwrap() as u32
        + from as u32
        + opt.unwrap_or_default()
}

#[green::main]
fn main() {
    assert_eq!(inferred(), 5 + 5 + 6 + 5 + 9 + 3);
}
