//! Async blocks and async closures nested in a green body are rewritten.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn run_them() -> u32 {
    let block = async { double(1) + 1 };
    let a: u32 = block.await;
    let closure = async |x: u32| double(x);
    let b = closure(5).await;
    // An async block inside a plain closure is an async context again.
    let make = |x: u32| async move { double(x) };
    let c = make(10).await;
    let task = green::spawn(move || async move { double(100) });
    let d = task.join().unwrap();
    a + b + c + d
}

#[green::main]
fn main() {
    assert_eq!(run_them(), 3 + 10 + 20 + 200);
}
