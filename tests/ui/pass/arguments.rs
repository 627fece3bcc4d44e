//! `#[green(await_all)]`, `#[green(sync(..))]` and `#[green(boxed)]`.
use std::time::Duration;

#[green::green]
fn one() -> u32 {
    1
}

/// Under `await_all` every future is awaited, a tokio one too.
#[green::green(await_all)]
fn awaits_everything() -> u32 {
    tokio::time::sleep(Duration::from_millis(1));
    let joined = tokio::task::spawn_local(async { 2 }).unwrap();
    joined + one()
}

struct Store;

impl Store {
    #[green::green]
    fn fetch(&self) -> u32 {
        3
    }
}

/// `sync(fetch)`: calls named `fetch` are never awaited.
#[green::green(sync(fetch))]
fn keeps_fetch(store: &Store) -> u32 {
    let work = store.fetch();
    let value = work.await;
    value + one()
}

/// `boxed`: the future is boxed (a finite type for mutual recursion).
#[green::green(boxed)]
fn even(n: u32) -> bool {
    if n == 0 { true } else { odd(n - 1) }
}

#[green::green(boxed)]
fn odd(n: u32) -> bool {
    if n == 0 { false } else { even(n - 1) }
}

#[green::green(boxed)]
fn borrowed<'a, T: AsRef<str>>(items: &'a [T]) -> &'a str {
    items[0].as_ref()
}

#[green::main]
fn main() {
    assert_eq!(awaits_everything(), 3);
    assert_eq!(keeps_fetch(&Store), 4);
    assert!(even(10));
    assert!(odd(7));
    assert_eq!(borrowed(&["a", "b"]), "a");
}
