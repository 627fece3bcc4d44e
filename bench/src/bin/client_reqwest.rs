//! http client, hand-written async reqwest on tokio (the twin of
//! `client_green`): `--concurrency C` `spawn_local` tasks on a current-thread
//! runtime + `LocalSet` share one `reqwest::Client` and GET
//! `http://127.0.0.1:PORT/` in a loop. Same arguments and `RESULT` line as
//! `client_green`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

async fn worker(
    client: reqwest::Client,
    url: Rc<str>,
    done: Rc<Cell<u64>>,
    stop: Rc<Cell<bool>>,
) -> reqwest::Result<()> {
    while !stop.get() {
        let body = client.get(&*url).send().await?.bytes().await?;
        assert_eq!(body.len(), 13, "Hello, World!");
        done.set(done.get() + 1);
    }
    Ok(())
}

fn main() {
    let port: u16 = green_bench::arg("port", 0);
    let concurrency: usize = green_bench::arg("concurrency", 50);
    let warmup: f64 = green_bench::arg("warmup", 1.0);
    let seconds: f64 = green_bench::arg("seconds", 5.0);
    green_bench::raise_fd_limit();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let url: Rc<str> = format!("http://127.0.0.1:{port}/").into();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        let (done, stop) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let (client, url, done, stop) =
                    (client.clone(), url.clone(), done.clone(), stop.clone());
                tokio::task::spawn_local(worker(client, url, done, stop))
            })
            .collect();
        tokio::time::sleep(Duration::from_secs_f64(warmup)).await;
        let (start, cpu, before) = (Instant::now(), green_bench::cpu_time(), done.get());
        tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
        let (wall, cpu, requests) = (
            start.elapsed(),
            green_bench::cpu_time() - cpu,
            done.get() - before,
        );
        stop.set(true);
        for worker in workers {
            worker.await.expect("worker").expect("requests");
        }
        green_bench::report_client(requests, wall, cpu);
    });
}
