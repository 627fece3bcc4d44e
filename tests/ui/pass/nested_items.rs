//! Nested items are not rewritten: their bodies are plain Rust.
use green::Green;
use std::future::Future;

#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn outer() -> u32 {
    fn helper(x: u32) -> u32 {
        x + 1
    }
    fn work(x: u32) -> Green<impl Future<Output = u32>> {
        double(x)
    }
    const K: u32 = const { 7 };
    struct Local(u32);
    impl Local {
        fn get(&self) -> u32 {
            self.0
        }
    }
    helper(1) + work(2) + K + Local(3).get()
}

#[green::main]
fn main() {
    assert_eq!(outer(), 2 + 4 + 7 + 3);
}
