//! Generic green fns, with bounds, where clauses and const generics.
use std::fmt::Debug;

#[green::green]
fn show<T: Debug>(value: T) -> String {
    green::idle();
    format!("{value:?}")
}

#[green::green]
fn pair<A, B>(a: A, b: &B) -> (A, B)
where
    B: Clone,
{
    (a, b.clone())
}

#[green::green]
fn sum_array<const N: usize>(values: [u32; N]) -> u32 {
    values.iter().sum()
}

#[green::green]
fn largest<'a, T: PartialOrd>(items: &'a [T]) -> Option<&'a T> {
    let mut best = items.first()?;
    for item in items {
        if item > best {
            best = item;
        }
    }
    Some(best)
}

#[green::main]
fn main() {
    assert_eq!(show(vec![1, 2]), "[1, 2]");
    assert_eq!(pair(1u8, &"x"), (1, "x"));
    assert_eq!(sum_array([1, 2, 3]), 6);
    assert_eq!(largest(&[3, 9, 2]), Some(&9));
}
