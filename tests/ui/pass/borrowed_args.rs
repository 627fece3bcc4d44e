//! Borrowed arguments: every elided lifetime gets a name and is captured.
use std::borrow::Cow;

#[green::green]
fn first_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or("")
}

#[green::green]
fn longest<'a>(a: &'a str, b: &'a str) -> &'a str {
    if a.len() >= b.len() { a } else { b }
}

#[green::green]
fn total(values: &[u32], extra: &mut Vec<u32>, label: Cow<'_, str>) -> usize {
    extra.push(values.iter().sum::<u32>());
    label.len() + extra.len()
}

#[green::green]
fn display(value: &dyn std::fmt::Display) -> String {
    format!("<{value}>")
}

#[green::green]
fn by_impl(value: impl AsRef<str>) -> usize {
    value.as_ref().len()
}

#[green::main]
fn main() {
    let owned = String::from("hello green world");
    assert_eq!(first_word(&owned), "hello");
    assert_eq!(longest("ab", "abc"), "abc");
    let mut extra = vec![1];
    assert_eq!(total(&[1, 2, 3], &mut extra, Cow::Borrowed("xy")), 4);
    assert_eq!(extra, [1, 6]);
    assert_eq!(display(&5), "<5>");
    assert_eq!(by_impl("four"), 4);
}
