//! A thread that panics: its `join()` is `Err`, and the others go on.

use green::compat::thread;

fn risky(n: u32) -> u32 {
    if n == 3 {
        panic!("bad input");
    }
    if n == 5 {
        panic!("bad input {}", n);
    }
    n * 10
}

#[green::main]
fn main() {
    let handles: Vec<_> = (1..=6)
        .map(|n| (n, thread::spawn(move || risky(n))))
        .collect();
    for (n, handle) in handles {
        match handle.join() {
            Ok(value) => println!("task {n}: ok {value}"),
            Err(payload) => {
                let message = if let Some(s) = payload.downcast_ref::<&str>() {
                    s.to_string()
                } else if let Some(s) = payload.downcast_ref::<String>() {
                    s.clone()
                } else {
                    "unknown".to_string()
                };
                println!("task {n}: panicked with {message:?}");
            }
        }
    }

    let survivor = thread::spawn(|| "still running");
    println!("survivor: {}", survivor.join().unwrap());
    let result = thread::spawn(|| -> Result<(), String> { Err("plain error".into()) }).join();
    println!("error returned, not panicked: {:?}", result);
}
