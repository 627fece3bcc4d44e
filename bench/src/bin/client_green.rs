//! http client, green: `--concurrency C` green tasks share one
//! `green::http::client::Client` and GET `http://127.0.0.1:PORT/` in a loop
//! (`--port`, a server of the http workload, `http_hyper` in the driver),
//! written as reqwest::blocking code is. After `--warmup` seconds, the timed
//! phase of `--seconds` prints `RESULT cpu_us_per_request=..
//! requests_per_sec=.. requests=..`: this process's CPU over the requests it
//! completed.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::http::client::{self, Client};

#[green::green]
fn worker(
    client: Client,
    url: Rc<str>,
    done: Rc<Cell<u64>>,
    stop: Rc<Cell<bool>>,
) -> client::Result<()> {
    while !stop.get() {
        let body = client.get(&*url).send()?.bytes()?;
        assert_eq!(body.len(), 13, "Hello, World!");
        done.set(done.get() + 1);
    }
    Ok(())
}

#[green::main]
fn main() {
    let port: u16 = green_bench::arg("port", 0);
    let concurrency: usize = green_bench::arg("concurrency", 50);
    let warmup: f64 = green_bench::arg("warmup", 1.0);
    let seconds: f64 = green_bench::arg("seconds", 5.0);
    green_bench::raise_fd_limit();
    let url: Rc<str> = format!("http://127.0.0.1:{port}/").into();
    let client = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let (done, stop) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, done, stop) =
                (client.clone(), url.clone(), done.clone(), stop.clone());
            green::spawn(move || worker(client, url, done, stop))
        })
        .collect();
    green::sleep(Duration::from_secs_f64(warmup));
    let (start, cpu, before) = (Instant::now(), green_bench::cpu_time(), done.get());
    green::sleep(Duration::from_secs_f64(seconds));
    let (wall, cpu, requests) = (
        start.elapsed(),
        green_bench::cpu_time() - cpu,
        done.get() - before,
    );
    stop.set(true);
    for worker in green::joinall(workers) {
        worker.unwrap().unwrap();
    }
    green_bench::report_client(requests, wall, cpu);
}
