//! switch, green: two green tasks ping-pong a counter through two
//! `green::Queue::bounded(1)`, written with `#[green]` and no `.await`.
//!
//! `switch_green --n 1000000 [--main]` prints nanoseconds per round trip, like
//! `switch_tokio`. Both sides are spawned tasks; with `--main` the hub's main
//! task pings instead.

use std::time::{Duration, Instant};

use green::Queue;

#[green::green]
fn echo(ping: Queue<u64>, pong: Queue<u64>) {
    while let Ok(x) = ping.get() {
        if pong.put(x + 1).is_err() {
            break;
        }
    }
}

#[green::green]
fn pinger(n: u64, ping: Queue<u64>, pong: Queue<u64>) -> Duration {
    let start = Instant::now();
    let mut x = 0;
    for _ in 0..n {
        ping.put(x).expect("ping");
        x = pong.get().expect("pong");
    }
    let wall = start.elapsed();
    assert_eq!(x, n);
    ping.close();
    wall
}

/// `n` round trips between two spawned tasks; the wall time they took. With
/// `on_main`, the hub's main task (the work given to `green::run`) pings
/// instead of a spawned task.
#[green::green]
fn ping_pong(n: u64, on_main: bool) -> Duration {
    let ping = Queue::<u64>::bounded(1);
    let pong = Queue::<u64>::bounded(1);
    let echo = {
        let (ping, pong) = (ping.clone(), pong.clone());
        green::spawn(move || echo(ping, pong))
    };
    let wall = if on_main {
        pinger(n, ping, pong)
    } else {
        let pinger = green::spawn(move || pinger(n, ping, pong));
        pinger.join().expect("pinger task")
    };
    echo.join().expect("echo task");
    wall
}

fn main() {
    let n: u64 = green_bench::arg("n", 1_000_000);
    let on_main = std::env::args().any(|a| a == "--main");
    let wall = green::run(ping_pong(n, on_main));
    green_bench::report_switch(n, wall);
}
