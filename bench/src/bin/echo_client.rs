//! The echo load client shared by every echo server (green, tokio, gevent,
//! eventlet): C connections to 127.0.0.1, each sending `size` bytes and
//! reading the echo back, one request in flight per connection, for a fixed
//! time.
//!
//! `echo_client --port P --conns C --secs S [--size 64] [--threads T]`
//! connects all C connections (over T threads, each a current-thread
//! runtime; 1 by default, the scaling rows give it more), prints `READY`, waits for a line on stdin (the driver reads
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
    let threads: usize = green_bench::arg("threads", 1);
    assert!(port != 0, "echo_client: --port is required");
    assert!(threads >= 1, "echo_client: --threads must be at least 1");
    green_bench::raise_fd_limit();
    // Each thread connects its share of the connections, says so, and
    // starts driving them when given the deadline.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let mut starts = Vec::with_capacity(threads);
    let mut workers = Vec::with_capacity(threads);
    for t in 0..threads {
        let share = conns / threads + usize::from(t < conns % threads);
        let first = t * (conns / threads) + t.min(conns % threads);
        let (start_tx, start_rx) = std::sync::mpsc::channel::<Instant>();
        starts.push(start_tx);
        let ready = ready_tx.clone();
        workers.push(std::thread::spawn(move || {
            client_thread(port, share, first, size, ready, start_rx)
        }));
    }
    drop(ready_tx);
    for _ in 0..threads {
        ready_rx.recv().expect("a client thread failed to connect");
    }
    println!("READY");
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);

    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(secs);
    for start_tx in &starts {
        let _ = start_tx.send(deadline);
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        for result in worker.join().expect("client thread") {
            latencies.extend_from_slice(&result.latencies_ns);
            errors += result.errors;
        }
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
}

/// One thread of the client: a tokio current-thread runtime driving
/// `conns` connections, from the deadline it is given until then.
fn client_thread(
    port: u16,
    conns: usize,
    first_tag: usize,
    size: usize,
    ready: std::sync::mpsc::Sender<()>,
    start: std::sync::mpsc::Receiver<Instant>,
) -> Vec<ConnResult> {
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
        let _ = ready.send(());
        let Ok(deadline) = start.recv() else {
            return Vec::new();
        };
        let tasks: Vec<_> = streams
            .into_iter()
            .enumerate()
            .map(|(i, stream)| {
                tokio::task::spawn_local(drive(stream, (first_tag + i) as u8, size, deadline))
            })
            .collect();
        let mut results = Vec::with_capacity(tasks.len());
        for task in tasks {
            results.push(task.await.expect("connection task"));
        }
        results
    })
}
