//! green's showcase: one OS thread runs a green echo server and thousands of
//! green clients against it, written as plain blocking-looking code.
//!
//! ```text
//! cargo run --release --example showcase                 # 5,000 clients, 5 rounds
//! cargo run --release --example showcase -- --clients 200 --rounds 20
//! ```
//!
//! Everything stays on 127.0.0.1 (an ephemeral port). The program exits 0
//! only if every reply matched what its client sent.

use std::cell::Cell;
use std::io::{Error, ErrorKind, Result};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{Read, Write};
use green::compat::net::{TcpListener, TcpStream};

/// Bytes per request and per reply.
const MESSAGE_LEN: usize = 64;
/// Connections allowed to wait in the listen backlog before clients pause.
const CONNECT_WINDOW: usize = 512;

struct Options {
    clients: usize,
    rounds: usize,
}

fn parse_options() -> std::result::Result<Options, String> {
    let mut options = Options {
        clients: 5_000,
        rounds: 5,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut number = |name: &str| -> std::result::Result<usize, String> {
            let value = args.next().ok_or(format!("{name} needs a number"))?;
            value
                .parse()
                .map_err(|_| format!("{name}: `{value}` is not a number"))
        };
        match flag.as_str() {
            "--clients" | "-c" => options.clients = number("--clients")?,
            "--rounds" | "-r" => options.rounds = number("--rounds")?,
            "--help" | "-h" => {
                return Err("usage: showcase [--clients N] [--rounds R]".to_owned());
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    if options.clients == 0 || options.rounds == 0 {
        return Err("--clients and --rounds must be at least 1".to_owned());
    }
    Ok(options)
}

/// Raises the open-file soft limit toward the hard limit and tells how many
/// clients fit: each client needs two descriptors (its end and the server's).
fn clients_that_fit(wanted: usize) -> usize {
    const SPARE: u64 = 64;
    let needed = 2 * wanted as u64 + SPARE;
    let limit = match rlimit::increase_nofile_limit(needed) {
        Ok(limit) => limit,
        Err(err) => {
            eprintln!("note: cannot read the open-file limit ({err}); trying {wanted} clients");
            return wanted;
        }
    };
    if limit >= needed {
        return wanted;
    }
    let fit = (limit.saturating_sub(SPARE) / 2) as usize;
    eprintln!(
        "note: the open-file limit is {limit} (hard limit reached), too low for {wanted} clients; using {fit}"
    );
    fit.max(1)
}

/// The server: accept forever, one green task per connection.
#[green::green]
fn serve(listener: TcpListener, accepted: Rc<Cell<usize>>) -> Result<()> {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                accepted.set(accepted.get() + 1);
                green::spawn(move || echo(stream));
            }
            // Out of descriptors or a reset before accept: the server goes on.
            Err(err) => eprintln!("accept failed: {err}"),
        }
    }
    Ok(())
}

/// One connection: send back what arrives until the client hangs up.
#[green::green]
fn echo(mut stream: TcpStream) -> Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}

/// One client: `rounds` request/reply round trips, each reply checked.
#[green::green]
fn client(id: usize, addr: SocketAddr, rounds: usize) -> Result<usize> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let mut reply = [0u8; MESSAGE_LEN];
    for round in 0..rounds {
        let request = message(id, round);
        stream.write_all(&request)?;
        stream.read_exact(&mut reply)?;
        if reply != request {
            return Err(Error::new(
                ErrorKind::InvalidData,
                format!("client {id} round {round}: the reply differs from the request"),
            ));
        }
    }
    Ok(rounds)
}

/// A request that names its client and round, padded to `MESSAGE_LEN` bytes.
fn message(id: usize, round: usize) -> [u8; MESSAGE_LEN] {
    let mut bytes = [b'.'; MESSAGE_LEN];
    let text = format!("client {id} round {round} ");
    bytes[..text.len()].copy_from_slice(text.as_bytes());
    bytes[MESSAGE_LEN - 1] = b'\n';
    bytes
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

struct Summary {
    clients: usize,
    spawned: usize,
    round_trips: usize,
    expected: usize,
    failures: Vec<String>,
    elapsed: Duration,
    addr: SocketAddr,
}

#[green::green]
fn showcase(clients: usize, rounds: usize) -> Result<Summary> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let accepted = Rc::new(Cell::new(0usize));
    let server = {
        let accepted = accepted.clone();
        green::spawn(move || serve(listener, accepted))
    };

    let start = Instant::now();
    let mut tasks = Vec::with_capacity(clients);
    for id in 0..clients {
        // Keep the listen backlog from overflowing: a dropped SYN costs a
        // client a one-second retransmit.
        while id >= accepted.get() + CONNECT_WINDOW {
            green::sleep(Duration::from_millis(1));
        }
        tasks.push(green::spawn(move || client(id, addr, rounds)));
    }
    let results = green::joinall(tasks);
    let elapsed = start.elapsed();
    server.kill();

    let mut round_trips = 0;
    let mut failures = Vec::new();
    for (id, result) in results.into_iter().enumerate() {
        match result {
            Ok(Ok(done)) => round_trips += done,
            Ok(Err(err)) => failures.push(format!("client {id}: {err}")),
            Err(err) => failures.push(format!("client {id}: {err}")),
        }
    }
    Ok(Summary {
        clients,
        // clients + one handler per accepted connection + the server
        spawned: clients + accepted.get() + 1,
        round_trips,
        expected: clients * rounds,
        failures,
        elapsed,
        addr,
    })
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let clients = clients_that_fit(options.clients);
    let summary = match green::run(showcase(clients, options.rounds)) {
        Ok(summary) => summary,
        Err(err) => {
            eprintln!("showcase failed: {err}");
            return ExitCode::FAILURE;
        }
    };

    let secs = summary.elapsed.as_secs_f64();
    println!("green showcase: echo server and clients as green tasks on one OS thread");
    println!("  server                  {}", summary.addr);
    println!("  clients                 {}", summary.clients);
    println!(
        "  green tasks spawned     {} (clients + connection handlers + server)",
        summary.spawned
    );
    println!(
        "  round trips             {} of {} ({} bytes each way)",
        summary.round_trips, summary.expected, MESSAGE_LEN
    );
    println!("  wall time               {secs:.3} s");
    println!(
        "  round trips/s           {:.0}",
        summary.round_trips as f64 / secs.max(f64::EPSILON)
    );
    match peak_rss_bytes() {
        Some(bytes) => println!(
            "  peak memory (RSS)       {:.1} MiB",
            bytes as f64 / (1024.0 * 1024.0)
        ),
        None => println!("  peak memory (RSS)       n/a on this OS"),
    }
    if summary.failures.is_empty() && summary.round_trips == summary.expected {
        println!("  verified                every reply matched its request");
        ExitCode::SUCCESS
    } else {
        println!(
            "  verified                FAILED: {} clients failed",
            summary.failures.len()
        );
        for failure in summary.failures.iter().take(10) {
            println!("    {failure}");
        }
        ExitCode::FAILURE
    }
}
