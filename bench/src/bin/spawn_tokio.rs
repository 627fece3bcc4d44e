//! spawn, hand-written tokio twin: N `spawn_local` tasks each wait on one
//! shared `Notify`; once all are parked, wake them all and join them.
//!
//! `spawn_tokio --n 100000` prints wall time, bytes per parked task (RSS growth
//! while parked / N) and peak RSS.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use tokio::sync::Notify;

fn main() {
    let n: u64 = green_bench::arg("n", 100_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let notify = Rc::new(Notify::new());
        let parked = Rc::new(Cell::new(0u64));
        let mut handles = Vec::with_capacity(n as usize);
        let baseline = green_bench::rss_bytes();
        let start = Instant::now();
        for _ in 0..n {
            let notify = notify.clone();
            let parked = parked.clone();
            handles.push(tokio::task::spawn_local(async move {
                let notified = notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                parked.set(parked.get() + 1);
                notified.await;
            }));
        }
        while parked.get() < n {
            tokio::task::yield_now().await;
        }
        let parked_rss = green_bench::rss_bytes();
        notify.notify_waiters();
        for handle in handles {
            handle.await.expect("task");
        }
        green_bench::report_spawn(n, start.elapsed(), baseline, parked_rss);
    });
}
