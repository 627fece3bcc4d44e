//! `#[green]` on edition 2021, where `impl Trait` in return position captures
//! only the lifetimes it names: the expansion lists every argument lifetime
//! (and `Self` for methods) in a `Captures<..>` bound so that borrowed
//! arguments, `&self` and `&mut self` work as on edition 2024.
//!
//! The tests run the green fns on a hub with `green::run`.

use std::borrow::Cow;
use std::collections::HashMap;

/// Returns the first word of `text`, borrowing from it.
#[green::green]
pub fn first_word(text: &str) -> &str {
    green::idle();
    text.split(' ').next().unwrap_or("")
}

/// Several elided lifetimes in one signature.
#[green::green]
pub fn count_in(haystack: &[&str], needle: &str, label: Cow<'_, str>) -> String {
    let count = haystack.iter().filter(|h| **h == needle).count();
    format!("{label}: {count}")
}

/// An explicit lifetime beside elided ones.
#[green::green]
pub fn pick<'a>(a: &'a str, b: &str, take_first: bool) -> &'a str {
    let _ = b.len();
    if take_first {
        a
    } else {
        &a[1..]
    }
}

/// A generic fn with a borrowed argument.
#[green::green]
pub fn show<T: std::fmt::Debug>(value: &T) -> String {
    format!("{value:?}")
}

/// An `impl Trait` argument beside a borrowed one.
#[green::green]
pub fn joined(parts: impl IntoIterator<Item = String>, separator: &str) -> String {
    parts.into_iter().collect::<Vec<_>>().join(separator)
}

/// A store of named counters.
#[derive(Debug, Default)]
pub struct Counters {
    counts: HashMap<String, u32>,
}

impl Counters {
    /// Reads one counter (`&self`, a borrowed key).
    #[green::green]
    pub fn get(&self, name: &str) -> u32 {
        self.counts.get(name).copied().unwrap_or(0)
    }

    /// Bumps one counter (`&mut self`) and returns its new value.
    #[green::green]
    pub fn bump(&mut self, name: &str) -> u32 {
        green::idle();
        *self.counts.entry(name.to_owned()).or_default() += 1;
        self.get(name)
    }

    /// Returns a reference into `self`.
    #[green::green]
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.counts.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

/// A type with an impl-level lifetime.
#[derive(Debug)]
pub struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    /// A cursor over `text`.
    pub fn new(text: &'a str) -> Self {
        Cursor { rest: text }
    }

    /// Takes `n` bytes off the front.
    #[green::green]
    pub fn take(&mut self, n: usize) -> &'a str {
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        head
    }

    /// What is left (`&self` on a type with a lifetime).
    #[green::green]
    pub fn rest(&self) -> &str {
        self.rest
    }
}

/// Block tails that await a green call borrowing a local of the block: on
/// edition 2021 the tail's temporaries outlive the block's locals unless the
/// expansion drops them first.
pub mod tails {
    use green::compat::io::{Cursor, Read};

    /// A green method on a borrowed local as the fn's last expression.
    #[green::green]
    pub fn method_on_local(mut input: Cursor<Vec<u8>>) -> usize {
        let mut text = String::new();
        input.read_to_string(&mut text).unwrap()
    }

    /// A `match` on a green call as the last expression.
    #[green::green]
    pub fn match_on_call(mut input: Cursor<Vec<u8>>) -> String {
        let mut text = String::new();
        match input.read_to_string(&mut text) {
            Ok(n) => format!("{n}:{text}"),
            Err(error) => format!("error: {error}"),
        }
    }

    /// The tail of a block nested in the fn's tail.
    #[green::green]
    pub fn nested_blocks(mut input: Cursor<Vec<u8>>) -> usize {
        let first = {
            let mut buf = [0u8; 2];
            input.read(&mut buf).unwrap_or(0)
        };
        {
            let mut rest = Vec::new();
            {
                let mut buf = [0u8; 64];
                let n = input.read(&mut buf).unwrap_or(0);
                rest.extend_from_slice(&buf[..n]);
            }
            first * 100 + rest.len()
        }
    }

    /// `if`/`else` tails, each awaiting a call on a local of its own.
    #[green::green]
    pub fn if_else(mut input: Cursor<Vec<u8>>, whole: bool) -> usize {
        if whole {
            let mut text = String::new();
            input.read_to_string(&mut text).unwrap()
        } else {
            let mut buf = [0u8; 1];
            input.read(&mut buf).unwrap_or(0)
        }
    }

    /// A method returning `Result` whose tail is the green call itself.
    #[green::green]
    pub fn result_tail(mut input: Cursor<Vec<u8>>) -> std::io::Result<usize> {
        let mut text = String::new();
        input.read_to_string(&mut text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_arguments() {
        let text = String::from("hello green");
        assert_eq!(green::run(first_word(&text)), "hello");
        let hay = ["a", "b", "a"];
        assert_eq!(green::run(count_in(&hay, "a", Cow::Borrowed("a"))), "a: 2");
        assert_eq!(green::run(pick("xyz", "q", false)), "yz");
        assert_eq!(green::run(show(&[1, 2])), "[1, 2]");
        let parts = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(green::run(joined(parts, "+")), "a+b");
    }

    #[test]
    fn methods() {
        let mut counters = Counters::default();
        green::run(async {
            assert_eq!(counters.bump("a").await, 1);
            assert_eq!(counters.bump("a").await, 2);
            assert_eq!(counters.bump("b").await, 1);
            assert_eq!(counters.get("a").await, 2);
            assert_eq!(counters.names().await, ["a", "b"]);
        });
        let mut cursor = Cursor::new("abcdef");
        assert_eq!(green::run(cursor.take(2)), "ab");
        assert_eq!(green::run(cursor.rest()), "cdef");
    }

    #[green::test]
    fn green_test_on_edition_2021() {
        let mut counters = Counters::default();
        counters.bump("x");
        assert_eq!(counters.get("x"), 1);
        assert_eq!(first_word("a b"), "a");
    }

    #[test]
    fn tails_borrowing_locals() {
        use green::compat::io::Cursor;
        let input = || Cursor::new(b"hello".to_vec());
        assert_eq!(green::run(tails::method_on_local(input())), 5);
        assert_eq!(green::run(tails::match_on_call(input())), "5:hello");
        assert_eq!(green::run(tails::nested_blocks(input())), 203);
        assert_eq!(green::run(tails::if_else(input(), true)), 5);
        assert_eq!(green::run(tails::if_else(input(), false)), 1);
        assert_eq!(green::run(tails::result_tail(input())).unwrap(), 5);
    }
}
