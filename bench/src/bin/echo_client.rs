//! The echo load client shared by every echo server (green, tokio, gevent,
//! eventlet): C connections to 127.0.0.1, each sending `size` bytes and
//! reading the echo back, one request in flight per connection, for a fixed
//! time.
//!
//! `echo_client --port P --conns C --secs S [--size 64]` connects all C
//! connections, prints `READY`, waits for a line on stdin (the driver reads
//! the server's CPU time meanwhile), runs for S seconds and prints round
//! trips, throughput and the p50/p99 latency.

use std::io::BufRead;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct ConnResult {
    latencies_ns: Vec<u32>,
    errors: u64,
}

async fn drive(mut stream: TcpStream, tag: u8, size: usize, deadline: Instant) -> ConnResult {
    let request = vec![tag; size];
    let mut reply = vec![0u8; size];
    let mut latencies_ns = Vec::with_capacity(4096);
    let mut errors = 0;
    while Instant::now() < deadline {
        let sent = Instant::now();
        if stream.write_all(&request).await.is_err() || stream.read_exact(&mut reply).await.is_err()
        {
            errors += 1;
            break;
        }
        if reply != request {
            errors += 1;
        }
        latencies_ns.push(sent.elapsed().as_nanos().min(u32::MAX as u128) as u32);
    }
    ConnResult {
        latencies_ns,
        errors,
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64
}

fn main() {
    let port: u16 = green_bench::arg("port", 0);
    let conns: usize = green_bench::arg("conns", 100);
    let secs: f64 = green_bench::arg("secs", 5.0);
    let size: usize = green_bench::arg("size", 64);
    assert!(port != 0, "echo_client: --port is required");
    green_bench::raise_fd_limit();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let mut streams = Vec::with_capacity(conns);
        for _ in 0..conns {
            let stream = TcpStream::connect(("127.0.0.1", port))
                .await
                .unwrap_or_else(|err| panic!("echo_client: connect 127.0.0.1:{port}: {err}"));
            stream.set_nodelay(true).expect("nodelay");
            streams.push(stream);
        }
        println!("READY");
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);

        let start = Instant::now();
        let deadline = start + Duration::from_secs_f64(secs);
        let tasks: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, stream)| tokio::task::spawn_local(drive(stream, i as u8, size, deadline)))
            .collect();
        let mut latencies = Vec::new();
        let mut errors = 0;
        for task in tasks {
            let result = task.await.expect("connection task");
            latencies.extend_from_slice(&result.latencies_ns);
            errors += result.errors;
        }
        let elapsed = start.elapsed().as_secs_f64();
        latencies.sort_unstable();
        let round_trips = latencies.len() as f64;
        green_bench::report(&[
            ("round_trips", round_trips),
            ("secs", elapsed),
            ("rps", round_trips / elapsed),
            ("p50_us", percentile(&latencies, 50.0) / 1e3),
            ("p99_us", percentile(&latencies, 99.0) / 1e3),
            ("errors", errors as f64),
        ]);
    });
}
