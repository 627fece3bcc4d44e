//! Out of descriptors: a `StreamServer` in a child process limited to 256
//! open files, hit by 1,000 clients from this process. It must stay up,
//! not spin (CPU time well below its wall time), report the errors a few
//! times rather than once per failed accept, and serve every client once
//! descriptors free up. The same for a user's own log-and-continue
//! `accept()` loop.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader as StdBufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use green::compat::io::{self, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};
use green::server::StreamServer;

const CHILD: &str = "GREEN_EMFILE_CHILD";
const CLIENTS: usize = 1000;

/// Holds each connection a while, so that 1,000 clients need far more
/// descriptors than 256.
#[green::green]
fn hold_then_reply(mut stream: TcpStream, _peer: SocketAddr) -> io::Result<()> {
    green::sleep(Duration::from_millis(300));
    stream.write_all(b"ok")
}

/// The user's own loop of the README: log the error and go on.
#[green::green]
fn log_and_continue(listener: TcpListener) {
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                green::spawn(move || hold_then_reply(stream, peer));
            }
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        }
    }
}

/// Blocks this OS thread until stdin closes: the parent's signal to stop.
fn wait_for_eof() {
    let mut sink = Vec::new();
    let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
}

/// User plus system CPU time of this process, from `/proc/self/stat`
/// (in USER_HZ, 100 a second on Linux).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}

/// The child: serves under a 256-descriptor limit until stdin closes, then
/// prints its CPU time and wall time.
#[green::green]
fn child(kind: String) -> io::Result<()> {
    rlimit::setrlimit(rlimit::Resource::NOFILE, 256, 256)?;
    let start = Instant::now();
    let addr = if kind == "server" {
        let handle = StreamServer::bind("127.0.0.1:0")?.start(hold_then_reply)?;
        let addr = handle.local_addr();
        std::mem::forget(handle);
        addr
    } else {
        let listener = green::server::listen("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        green::spawn(move || log_and_continue(listener));
        addr
    };
    println!("ADDR={addr}");
    green::spawn_blocking(wait_for_eof).join().unwrap();
    println!(
        "CPU_MS={} WALL_MS={}",
        cpu_time().as_millis(),
        start.elapsed().as_millis()
    );
    Ok(())
}

#[test]
fn child_role() {
    if let Ok(kind) = std::env::var(CHILD) {
        green::run(child(kind)).unwrap();
    }
}

#[green::green]
fn client(addr: SocketAddr) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    Ok(reply)
}

struct Figures {
    served: usize,
    cpu_percent: f64,
    stderr_lines: usize,
}

/// Runs the child `kind`, hits it with the clients, and measures it.
fn run(kind: &str) -> Figures {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 4096 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(4096), hard);
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_role", "--nocapture", "--test-threads=1"])
        .env(CHILD, kind)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = StdBufReader::new(child.stdout.take().unwrap());
    let mut stderr = child.stderr.take().unwrap();
    let stderr_lines = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text.lines().count()
    });
    let addr: SocketAddr = loop {
        let mut line = String::new();
        assert_ne!(
            stdout.read_line(&mut line).unwrap(),
            0,
            "the child died before listening"
        );
        // The harness's "test child_role ... " comes first on the line.
        if let Some((_, addr)) = line.trim().split_once("ADDR=") {
            break addr.parse().unwrap();
        }
    };
    let replies = green::run(async move {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| green::spawn(move || client(addr)))
            .collect();
        green::timeout(Duration::from_secs(60), || green::joinall(clients)).await
    })
    .expect("every client served within 60 s");
    let served = replies
        .iter()
        .filter(|r| matches!(r, Ok(Ok(reply)) if reply == "ok"))
        .count();
    // The server is still up: one more client.
    let again = green::run(client(addr)).unwrap();
    assert_eq!(again, "ok", "the child still serves");
    drop(child.stdin.take());
    let mut cpu_ms = 0.0;
    let mut wall_ms = 1.0;
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some((_, rest)) = line.split_once("CPU_MS=") {
            let (cpu, wall) = rest.split_once(" WALL_MS=").unwrap();
            cpu_ms = cpu.parse().unwrap();
            wall_ms = wall.parse().unwrap();
        }
    }
    assert!(child.wait().unwrap().success(), "the child ended cleanly");
    Figures {
        served,
        cpu_percent: 100.0 * cpu_ms / wall_ms,
        stderr_lines: stderr_lines.join().unwrap(),
    }
}

#[test]
fn stream_server_survives_running_out_of_descriptors() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let figures = run("server");
    eprintln!(
        "StreamServer under 256 descriptors, {CLIENTS} clients: {} served, CPU {:.1}% of wall, {} stderr lines",
        figures.served, figures.cpu_percent, figures.stderr_lines
    );
    assert_eq!(figures.served, CLIENTS);
    assert!(
        figures.cpu_percent < 40.0,
        "the server spun: {:.1}% CPU",
        figures.cpu_percent
    );
    assert!(
        figures.stderr_lines <= 30,
        "{} lines of stderr",
        figures.stderr_lines
    );
}

#[test]
fn a_log_and_continue_accept_loop_does_not_spin() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let figures = run("loop");
    eprintln!(
        "log-and-continue accept loop under 256 descriptors, {CLIENTS} clients: {} served, CPU {:.1}% of wall, {} stderr lines",
        figures.served, figures.cpu_percent, figures.stderr_lines
    );
    assert_eq!(figures.served, CLIENTS);
    assert!(
        figures.cpu_percent < 40.0,
        "the loop spun: {:.1}% CPU",
        figures.cpu_percent
    );
    assert!(
        figures.stderr_lines <= 200,
        "{} lines of stderr",
        figures.stderr_lines
    );
}
