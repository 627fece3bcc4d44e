//! switch, hand-written tokio twin: two tasks on a current-thread runtime
//! ping-pong a counter through two `tokio::sync::mpsc` channels of capacity 1.
//!
//! `switch_tokio --n 1000000 [--main]` prints nanoseconds per round trip. Both
//! sides are spawned tasks; with `--main` the `block_on` future pings instead.

use std::time::Instant;

use tokio::sync::mpsc;

fn main() {
    let n: u64 = green_bench::arg("n", 1_000_000);
    let on_main = std::env::args().any(|a| a == "--main");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let (ping_tx, mut ping_rx) = mpsc::channel::<u64>(1);
        let (pong_tx, mut pong_rx) = mpsc::channel::<u64>(1);
        let echo = tokio::task::spawn_local(async move {
            while let Some(x) = ping_rx.recv().await {
                if pong_tx.send(x + 1).await.is_err() {
                    break;
                }
            }
        });
        let pinger = async move {
            let start = Instant::now();
            let mut x = 0;
            for _ in 0..n {
                ping_tx.send(x).await.expect("ping");
                x = pong_rx.recv().await.expect("pong");
            }
            let wall = start.elapsed();
            assert_eq!(x, n);
            wall
        };
        // Both sides are spawned tasks, as in the green and gevent programs;
        // with `--main` the `block_on` future pings instead.
        let wall = if on_main {
            pinger.await
        } else {
            tokio::task::spawn_local(pinger).await.expect("pinger task")
        };
        echo.await.expect("echo task");
        green_bench::report_switch(n, wall);
    });
}
