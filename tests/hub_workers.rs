//! `#[green::main(workers = n)]`: main's body once on each of n hubs in one
//! process. Both hubs accept on one port (SO_REUSEPORT, Linux), each with
//! its own state; the first `Err` is main's result and stops the others; a
//! hub's panic fails main; the reports name the hub.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use green::compat::io::Write;
use green::compat::net::TcpListener;

const CHILD: &str = "GREEN_HUB_WORKERS_CHILD";

/// Connections the child's hubs accept before they stop.
const CONNECTIONS: usize = 200;

/// Connections accepted so far, by every hub of the child.
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);

/// The child: a 2-worker server on one port that answers each connection
/// with the index of the hub that accepted it.
#[green::test(workers = 2)]
fn workers_child() -> std::io::Result<()> {
    if std::env::var_os(CHILD).is_none() {
        return Ok(());
    }
    let me = green::worker().expect("inside a workers main");
    let listener = TcpListener::bind("127.0.0.1:0")?;
    // Each hub has its own listener, all on one address.
    println!("HUB{}_ADDR={}", me.index, listener.local_addr()?);
    // Per-hub state: an Rc, never shared with the other hub.
    let served = std::rc::Rc::new(std::cell::Cell::new(0usize));
    while ACCEPTED.load(Ordering::SeqCst) < CONNECTIONS {
        let accepted = green::timeout(Duration::from_millis(20), || listener.accept());
        let Ok(accepted) = accepted else { continue };
        let (mut stream, _) = accepted?;
        ACCEPTED.fetch_add(1, Ordering::SeqCst);
        served.set(served.get() + 1);
        stream.write_all(&[me.index as u8])?;
    }
    let _idle = green::spawn(|| green::sleep(Duration::from_secs(60)));
    green::idle();
    eprintln!("HUB{} SERVED {}", me.index, served.get());
    green::print_run_info();
    Ok(())
}

#[test]
fn both_hubs_accept_on_one_port() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "workers_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut addrs = Vec::new();
    let mut line = String::new();
    while addrs.len() < 2 {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "child ended early"
        );
        if let Some((_, addr)) = line.trim().split_once("_ADDR=") {
            addrs.push(addr.to_owned());
        }
    }
    assert_eq!(addrs[0], addrs[1], "the hubs bound different addresses");
    assert!(!addrs[0].ends_with(":0"));
    // Distinct source ports: every client socket stays open to the end.
    let mut per_hub = [0usize; 2];
    let mut clients = Vec::new();
    for _ in 0..CONNECTIONS {
        let mut stream = std::net::TcpStream::connect(&addrs[0]).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut hub = [0u8];
        stream.read_exact(&mut hub).unwrap();
        per_hub[usize::from(hub[0])] += 1;
        clients.push(stream);
    }
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "child failed\n{rest}\n{stderr}");
    assert_eq!(per_hub.iter().sum::<usize>(), CONNECTIONS);
    assert!(
        per_hub[0] > 0 && per_hub[1] > 0,
        "one hub served all: {per_hub:?}"
    );
    for hub in 0..2 {
        assert!(
            stderr.contains(&format!("HUB{hub} SERVED {}", per_hub[hub])),
            "{per_hub:?}\n{stderr}"
        );
        // Run info names the hub: main and the idle sleeper.
        assert!(
            stderr.contains(&format!(
                "green: 2 tasks on hub {hub} of 2 (thread green-hub-{hub})"
            )),
            "{stderr}"
        );
    }
}

#[green::main(workers = 2)]
fn hub_1_fails() -> Result<usize, String> {
    let me = green::worker().unwrap();
    if me.index == 1 {
        green::sleep(Duration::from_millis(20));
        return Err(format!("hub {} of {} failed", me.index, me.count));
    }
    // Stopped when hub 1 fails.
    green::sleep(Duration::from_secs(60));
    Ok(me.index)
}

#[test]
fn the_first_err_is_mains_result_and_stops_the_other_hubs() {
    let start = Instant::now();
    assert_eq!(hub_1_fails(), Err("hub 1 of 2 failed".to_owned()));
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[green::main(workers = 3)]
fn three_workers() -> Result<(usize, Option<String>), String> {
    let me = green::worker().unwrap();
    let thread = std::thread::current().name().map(str::to_owned);
    Ok((me.index + 10 * me.count, thread))
}

#[test]
fn without_a_failure_main_gives_hub_0s_value() {
    assert_eq!(three_workers(), Ok((30, Some("green-hub-0".to_owned()))));
}

#[green::main(workers = 2)]
fn hub_1_panics() {
    if green::hub_index() == 1 {
        panic!("worker 1 gave up");
    }
    green::sleep(Duration::from_secs(60));
}

#[test]
fn a_panicking_hub_fails_main() {
    let start = Instant::now();
    let payload = std::panic::catch_unwind(hub_1_panics).unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"worker 1 gave up"));
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[green::main(workers = 2)]
fn hub_1_deadlocks() {
    if green::hub_index() == 1 {
        green::Event::new().wait();
    }
    green::sleep(Duration::from_secs(60));
}

#[test]
fn a_deadlock_report_names_its_hub() {
    let payload = std::panic::catch_unwind(hub_1_deadlocks).unwrap_err();
    let message = payload.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with(
            "this would block forever: every task of hub 1 of 2 (thread green-hub-1) waits"
        ),
        "{message}"
    );
}

#[test]
fn the_monitor_names_the_blocked_hub() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "spin_on_hub_1",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env_remove("GREEN_MONITOR")
        .env("GREEN_MAX_BLOCKING_MS", "50")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("green: hub 1 of 2 (thread green-hub-1) is blocked: task 'spinner'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("green: hub 1 of 2 (thread green-hub-1) switches again: task 'spinner'"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hub 0 of 2 (thread green-hub-0) is blocked"),
        "{stderr}"
    );
}

#[green::test(workers = 2)]
fn spin_on_hub_1() {
    if std::env::var_os(CHILD).is_none() || green::hub_index() == 0 {
        return;
    }
    let spinner = green::spawn(|| async {
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(300) {
            std::hint::spin_loop();
        }
    });
    spinner.set_name("spinner");
    spinner.join().unwrap();
}

#[green::main(workers = 0)]
fn one_per_core() -> Result<usize, String> {
    Ok(green::worker().unwrap().count)
}

#[test]
fn workers_0_runs_one_hub_per_core() {
    let cores = std::thread::available_parallelism().unwrap().get();
    assert_eq!(one_per_core(), Ok(cores));
}

/// Shared by every hub through a `Send` type: the way state crosses hubs.
static STARTED: AtomicUsize = AtomicUsize::new(0);

#[green::main(workers = 2)]
fn state_is_per_hub() -> Result<(), String> {
    thread_local! {
        static MINE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    let queue = green::Queue::new(); // this hub's own queue
    for i in 0..3 {
        queue.put(i).unwrap();
    }
    MINE.set(MINE.get() + 1);
    STARTED.fetch_add(1, Ordering::SeqCst);
    // Each hub sees its own three items and its own thread-local.
    let mut got = Vec::new();
    while let Ok(item) = queue.try_get() {
        got.push(item);
    }
    if got != [0, 1, 2] || MINE.get() != 1 {
        return Err(format!("hub {}: {got:?}", green::hub_index()));
    }
    Ok(())
}

#[test]
fn each_hub_runs_main_with_its_own_state() {
    assert_eq!(state_is_per_hub(), Ok(()));
    assert_eq!(STARTED.load(Ordering::SeqCst), 2);
}

/// Hubs whose `StreamServer` is bound, and whether the client is done.
static SERVERS_BOUND: AtomicUsize = AtomicUsize::new(0);
static CLIENT_DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[green::green]
fn tell_hub(
    mut stream: green::compat::net::TcpStream,
    _peer: std::net::SocketAddr,
) -> std::io::Result<()> {
    stream.write_all(&[green::hub_index() as u8])
}

/// A plain-thread client: `CONNECTIONS` connections (all kept open, so
/// each has its own source port) once both hubs' servers are bound; how
/// many each hub answered.
fn count_answers(addr: std::net::SocketAddr) -> [usize; 2] {
    let start = Instant::now();
    while SERVERS_BOUND.load(Ordering::SeqCst) < 2 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    let mut per_hub = [0; 2];
    let mut clients = Vec::new();
    for _ in 0..CONNECTIONS {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let mut hub = [0u8];
        stream.read_exact(&mut hub).unwrap();
        per_hub[usize::from(hub[0])] += 1;
        clients.push(stream);
    }
    per_hub
}

#[green::main(workers = 2)]
fn stream_servers_on_two_hubs() -> std::io::Result<[usize; 2]> {
    let server = green::server::StreamServer::bind("127.0.0.1:0")?;
    let handle = server.start(tell_hub)?;
    let addr = handle.local_addr();
    SERVERS_BOUND.fetch_add(1, Ordering::SeqCst);
    let mut per_hub = [0; 2];
    if green::hub_index() == 0 {
        let client = green::spawn_blocking(move || count_answers(addr));
        per_hub = client.join().map_err(std::io::Error::other)?;
        CLIENT_DONE.store(true, Ordering::SeqCst);
    } else {
        while !CLIENT_DONE.load(Ordering::SeqCst) {
            green::sleep(Duration::from_millis(5));
        }
    }
    handle.stop(Duration::from_secs(1));
    Ok(per_hub)
}

#[test]
fn stream_servers_in_a_workers_main_share_one_port() {
    let per_hub = stream_servers_on_two_hubs().unwrap();
    assert_eq!(per_hub.iter().sum::<usize>(), CONNECTIONS);
    assert!(
        per_hub[0] > 0 && per_hub[1] > 0,
        "one hub served all: {per_hub:?}"
    );
}
