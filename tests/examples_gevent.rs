//! The ports of gevent's examples (examples/gevent_echoserver.rs,
//! portforwarder.rs, processes.rs, threadpool.rs, pool.rs,
//! multiple_threads.rs, udp_server.rs,
//! udp_client.rs, unixsocket_server.rs, unixsocket_client.rs,
//! geventsendfile.rs, dns_mass_resolve.rs), each included as a module and
//! driven on 127.0.0.1 or a temporary Unix socket: the bytes, lines and
//! order each original produces.

#[path = "../examples/gevent_echoserver.rs"]
#[allow(dead_code)]
mod gevent_echoserver;

#[path = "../examples/portforwarder.rs"]
#[allow(dead_code)]
mod portforwarder;

#[path = "../examples/processes.rs"]
#[allow(dead_code)]
mod processes;

#[path = "../examples/threadpool.rs"]
#[allow(dead_code)]
mod threadpool;

#[path = "../examples/pool.rs"]
#[allow(dead_code)]
mod pool;

#[path = "../examples/multiple_threads.rs"]
#[allow(dead_code)]
mod multiple_threads;

#[path = "../examples/udp_server.rs"]
#[allow(dead_code)]
mod udp_server;

#[path = "../examples/udp_client.rs"]
#[allow(dead_code)]
mod udp_client;

#[cfg(unix)]
#[path = "../examples/unixsocket_server.rs"]
#[allow(dead_code)]
mod unixsocket_server;

#[cfg(unix)]
#[path = "../examples/unixsocket_client.rs"]
#[allow(dead_code)]
mod unixsocket_client;

#[path = "../examples/geventsendfile.rs"]
#[allow(dead_code)]
mod geventsendfile;

#[path = "../examples/dns_mass_resolve.rs"]
#[allow(dead_code)]
mod dns_mass_resolve;

use std::cell::Cell;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::fs;
use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

/// Bounds every read of a test client, so a broken example fails the test
/// instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(10);

#[green::green]
fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

#[green::green]
fn read_line(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

/// A path in the temp dir unique to this process and `name`.
fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("green-examples-{}-{name}", std::process::id()))
}

// ---- echoserver -------------------------------------------------------

#[green::test]
fn gevent_echoserver_greets_echoes_lines_and_ends_on_quit() {
    let server = gevent_echoserver::start("127.0.0.1:0").unwrap();
    let first = connect(server.local_addr());
    let second = connect(server.local_addr());
    let mut first_in = BufReader::new(first.try_clone().unwrap());
    let mut second_in = BufReader::new(second.try_clone().unwrap());
    let welcome = String::from_utf8(gevent_echoserver::WELCOME.to_vec()).unwrap();
    assert_eq!(read_line(&mut first_in), welcome);
    assert_eq!(read_line(&mut second_in), welcome);

    // Two clients at once, each gets its own lines back, in order.
    (&first).write_all(b"hello\r\none\n").unwrap();
    (&second).write_all(b"two\n").unwrap();
    assert_eq!(read_line(&mut second_in), "two\n");
    assert_eq!(read_line(&mut first_in), "hello\r\n");
    assert_eq!(read_line(&mut first_in), "one\n");

    // `quit` (any case, with spaces) ends the connection, not the server.
    (&first).write_all(b"  QUIT \r\n").unwrap();
    let mut rest = Vec::new();
    first_in.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"");
    (&second).write_all(b"still here\n").unwrap();
    assert_eq!(read_line(&mut second_in), "still here\n");
    server.stop(Duration::from_secs(1));
}

// ---- portforwarder ----------------------------------------------------

/// A one-connection byte echo: what it reads it writes back, until EOF.
#[green::green]
fn echo_once(listener: TcpListener) -> u64 {
    let (stream, _) = listener.accept().unwrap();
    let mut reader = stream.try_clone().unwrap();
    let mut writer = stream;
    io::copy(&mut reader, &mut writer).unwrap()
}

#[green::test]
fn portforwarder_copies_bytes_both_ways_and_passes_the_end_on() {
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    let dest = target.local_addr().unwrap();
    let echoed = green::spawn(move || echo_once(target));
    let server = portforwarder::start("127.0.0.1:0".parse().unwrap(), dest).unwrap();

    let client = connect(server.local_addr());
    // More than the socket buffers hold, written by one task while this
    // one reads: the forwarder must move both directions at once.
    let payload: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut writer = client.try_clone().unwrap();
    let sent = payload.clone();
    let writing = green::spawn(move || {
        writer.write_all(&sent).unwrap();
        writer.shutdown(Shutdown::Write).unwrap();
    });
    let mut back = Vec::new();
    (&client).read_to_end(&mut back).unwrap();
    writing.join().unwrap();
    assert_eq!(back.len(), payload.len());
    assert!(back == payload, "the bytes came back changed");
    assert_eq!(echoed.join(), Ok(payload.len() as u64));
    server.stop(Duration::from_secs(2));
    assert_eq!(server.connections(), 0);
}

#[green::test]
fn portforwarder_carries_a_line_protocol_to_the_echoserver() {
    let echo = gevent_echoserver::start("127.0.0.1:0").unwrap();
    let server = portforwarder::start("127.0.0.1:0".parse().unwrap(), echo.local_addr()).unwrap();
    let client = connect(server.local_addr());
    let mut lines = BufReader::new(client.try_clone().unwrap());
    let welcome = String::from_utf8(gevent_echoserver::WELCOME.to_vec()).unwrap();
    assert_eq!(read_line(&mut lines), welcome);
    (&client).write_all(b"through the forwarder\n").unwrap();
    assert_eq!(read_line(&mut lines), "through the forwarder\n");
    (&client).write_all(b"quit\n").unwrap();
    // The echo server hung up: the forwarder passes that on.
    let mut rest = Vec::new();
    lines.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"");
    drop((client, lines)); // the client closes on the end it saw
    server.stop(Duration::from_secs(2));
    echo.stop(Duration::from_secs(1));
}

#[green::test]
fn portforwarder_stop_closes_the_listener_and_waits_for_open_connections() {
    let echo = gevent_echoserver::start("127.0.0.1:0").unwrap();
    let server = portforwarder::start("127.0.0.1:0".parse().unwrap(), echo.local_addr()).unwrap();
    let addr = server.local_addr();
    let client = connect(addr);
    let mut lines = BufReader::new(client.try_clone().unwrap());
    read_line(&mut lines); // the welcome: the connection is through

    // What main does on ^C.
    let stopping = green::spawn(move || async move { server.stop(PATIENCE).await });
    green::sleep(Duration::from_millis(100));
    assert!(
        !stopping.is_ready(),
        "stop did not wait for the open connection"
    );
    assert!(TcpStream::connect(addr).is_err(), "still accepting");
    (&client).write_all(b"still forwarded\n").unwrap();
    assert_eq!(read_line(&mut lines), "still forwarded\n");

    // The echo server hangs up on quit, the client sees the end and closes:
    // both directions are over and stop returns.
    (&client).write_all(b"quit\n").unwrap();
    let mut rest = Vec::new();
    lines.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"");
    drop((client, lines));
    let start = Instant::now();
    stopping.join().unwrap();
    assert!(start.elapsed() < PATIENCE / 2, "{:?}", start.elapsed());
    echo.stop(Duration::from_secs(1));
}

#[green::test]
fn portforwarder_closes_the_client_when_the_destination_refuses() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dest = closed.local_addr().unwrap();
    drop(closed); // nothing listens there now
    let server = portforwarder::start("127.0.0.1:0".parse().unwrap(), dest).unwrap();
    let client = connect(server.local_addr());
    let mut rest = Vec::new();
    let start = Instant::now();
    (&client).read_to_end(&mut rest).unwrap();
    assert_eq!(rest, b"");
    assert!(start.elapsed() < PATIENCE);
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn portforwarder_parses_host_port() {
    assert_eq!(
        portforwarder::parse_address("127.0.0.1:8080").unwrap(),
        "127.0.0.1:8080".parse::<SocketAddr>().unwrap()
    );
    assert_eq!(
        portforwarder::parse_address(":8080").unwrap(),
        "0.0.0.0:8080".parse::<SocketAddr>().unwrap()
    );
    assert!(portforwarder::parse_address("no-port").is_err());
    assert!(portforwarder::parse_address("127.0.0.1:http").is_err());
}

// ---- processes --------------------------------------------------------

#[cfg(unix)]
#[green::test]
fn processes_captures_what_ended_and_reports_what_still_runs() {
    let argv = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let commands = vec![
        argv(&["sh", "-c", "sleep 3; echo late"]),
        argv(&["echo", "hello from a child"]),
        argv(&["sh", "-c", "printf 'two\\nlines\\n'"]),
    ];
    let start = Instant::now();
    let jobs = processes::run_all(&commands, Duration::from_millis(800));
    assert!(
        start.elapsed() < Duration::from_millis(2_800),
        "{:?}",
        start.elapsed()
    );
    let names: Vec<&str> = jobs.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "sh -c sleep 3; echo late",
            "echo hello from a child",
            "sh -c printf 'two\\nlines\\n'"
        ]
    );
    assert!(
        matches!(jobs[0].1, processes::Job::StillRunning),
        "{:?}",
        jobs[0].1
    );
    let stdout = |i: usize| match &jobs[i].1 {
        processes::Job::Done(Ok(output)) => {
            assert!(output.status.success());
            String::from_utf8(output.stdout.clone()).unwrap()
        }
        other => panic!("job {i}: {other:?}"),
    };
    assert_eq!(stdout(1), "hello from a child\n");
    assert_eq!(stdout(2), "two\nlines\n");
}

#[cfg(unix)]
#[green::test]
fn processes_reports_a_program_that_does_not_exist() {
    let commands = vec![vec!["green-examples-no-such-program".to_owned()]];
    let jobs = processes::run_all(&commands, Duration::from_secs(5));
    match &jobs[0].1 {
        processes::Job::Done(Err(e)) => assert_eq!(e.kind(), io::ErrorKind::NotFound),
        other => panic!("{other:?}"),
    }
}

// ---- threadpool -------------------------------------------------------

#[green::test]
fn threadpool_runs_blocking_calls_on_threads_three_at_a_time() {
    // The hub stays free: a ticker keeps ticking while the threads sleep.
    let ticks = Rc::new(Cell::new(0u32));
    let counter = ticks.clone();
    let ticker = green::spawn(move || async move {
        loop {
            green::sleep(Duration::from_millis(10)).await;
            counter.set(counter.get() + 1);
        }
    });
    let each = Duration::from_millis(300);
    let (results, took) = threadpool::run(3, 4, each);
    ticker.kill();

    // Four jobs, three at a time: two rounds of 300 ms, not one, not four.
    assert!(took >= 2 * each - Duration::from_millis(20), "{took:?}");
    assert!(took < 4 * each + Duration::from_secs(2), "{took:?}");
    let jobs: Vec<usize> = results.iter().map(|(job, _)| *job).collect();
    assert_eq!(jobs, [0, 1, 2, 3]);
    let hub = std::thread::current().id();
    assert!(
        results.iter().all(|(_, thread)| *thread != hub),
        "a job ran on the hub"
    );
    assert!(ticks.get() >= 10, "the hub stalled: {} ticks", ticks.get());
}

// ---- pool -------------------------------------------------------------

#[green::test]
fn pool_runs_at_most_its_size_at_once() {
    let each = Duration::from_millis(200);
    let (took, most) = pool::run(3, 4, each);
    assert_eq!(most, 3);
    // The fourth sleep waited for a slot: two rounds.
    assert!(took >= 2 * each - Duration::from_millis(20), "{took:?}");
    assert!(took < PATIENCE, "{took:?}");

    let (_, most) = pool::run(5, 4, each);
    assert_eq!(most, 4, "a pool larger than the work runs it all at once");
}

// ---- multiple_threads -------------------------------------------------

#[green::test]
fn multiple_threads_runs_blocking_calls_side_by_side() {
    let hub = std::thread::current().id();
    let each = Duration::from_millis(300);
    let start = Instant::now();
    let tasks: Vec<_> = (0..4)
        .map(|i| {
            green::spawn(move || {
                multiple_threads::run_in_thread(move || {
                    std::thread::sleep(each); // blocks its OS thread only
                    (i, std::thread::current().id())
                })
            })
        })
        .collect();
    let results: Vec<_> = green::joinall(tasks)
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    let took = start.elapsed();
    assert_eq!(
        results.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    assert!(results.iter().all(|(_, thread)| *thread != hub));
    // Side by side: well under the 1.2 s four in a row would take.
    assert!(took >= each, "{took:?}");
    assert!(took < 3 * each, "{took:?}");
}

#[green::test]
fn multiple_threads_gives_back_a_panic_as_an_error() {
    let result = multiple_threads::run_in_thread(|| -> u32 { panic!("thread failed") });
    match result {
        Err(green::GreenError::Panicked(message)) => assert!(message.contains("thread failed")),
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[green::test]
fn multiple_threads_runs_commands_at_once() {
    let took = multiple_threads::run_commands(4, &["sleep", "0.3"]);
    assert!(took >= Duration::from_millis(290), "{took:?}");
    assert!(took < Duration::from_millis(1_100), "{took:?}");
}

// ---- udp_server and udp_client ----------------------------------------

#[green::test]
fn udp_client_gets_the_servers_count_back() {
    let server = udp_server::start("127.0.0.1:0").unwrap();
    let addr = server.local_addr().to_string();
    let (from, data) = udp_client::send(&addr, "hello world", PATIENCE).unwrap();
    assert_eq!(from, server.local_addr());
    assert_eq!(data, b"Received 11 bytes");

    // Several clients at once, each answered with its own count.
    let clients: Vec<_> = (0..8)
        .map(|i| {
            let addr = addr.clone();
            green::spawn(move || async move {
                let message = "x".repeat(i * 100);
                udp_client::send(&addr, &message, PATIENCE).await.unwrap().1
            })
        })
        .collect();
    for (i, reply) in green::joinall(clients).into_iter().enumerate() {
        assert_eq!(reply.unwrap(), udp_server::reply_to(i * 100).into_bytes());
    }
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn udp_client_gives_up_when_nobody_answers() {
    // A bound socket that never answers.
    let silent = green::compat::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    let start = Instant::now();
    let err = udp_client::send(&addr, "anyone?", Duration::from_millis(200)).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ),
        "{err:?}"
    );
    assert!(start.elapsed() >= Duration::from_millis(150));
    assert!(start.elapsed() < PATIENCE);
}

// ---- unixsocket_server and unixsocket_client ---------------------------

#[cfg(unix)]
#[green::test]
fn unixsocket_client_gets_200_from_the_server_over_a_stale_path() {
    let path = temp_path("unixsocket.sock");
    // A file an earlier run left behind: the server removes it.
    fs::write(&path, "stale").unwrap();
    let listener = unixsocket_server::bind(&path).unwrap();
    let server = green::spawn(move || unixsocket_server::serve(listener));

    let answers: Vec<_> = (0..3)
        .map(|_| {
            let path = path.clone();
            green::spawn(move || async move { unixsocket_client::get(&path).await.unwrap() })
        })
        .collect();
    for answer in green::joinall(answers) {
        assert_eq!(answer.unwrap(), unixsocket_server::RESPONSE);
    }
    let text = String::from_utf8(unixsocket_client::get(&path).unwrap()).unwrap();
    assert!(text.starts_with("HTTP/1.0 200 OK\r\n"), "{text:?}");
    server.kill();
    fs::remove_file(&path).unwrap();
}

// ---- geventsendfile ---------------------------------------------------

/// A file of `len` patterned bytes in the temp dir.
#[green::green]
fn patterned_file(name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let path = temp_path(name);
    let bytes: Vec<u8> = (0..len)
        .map(|i| (i % 253) as u8 ^ (i >> 12) as u8)
        .collect();
    fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

#[green::test]
fn geventsendfile_sends_a_slice_and_reports_offset_and_count() {
    let (path, bytes) = patterned_file("sendfile-slice.bin", 100_000);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut out = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (peer, _) = listener.accept().unwrap();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut file = fs::File::open(&path).unwrap();
    assert_eq!(
        geventsendfile::sendfile(&mut out, &mut file, 1_000, 50_000).unwrap(),
        (51_000, 50_000)
    );
    drop(out);
    let mut got = Vec::new();
    (&peer).read_to_end(&mut got).unwrap();
    assert!(got == bytes[1_000..51_000], "other bytes than the slice");

    // Asking for more than the file holds is an error, not a short count.
    let (mut out, _peer) = {
        let out = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (out, listener.accept().unwrap())
    };
    let err = geventsendfile::sendfile(&mut out, &mut file, 90_000, 20_000).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    fs::remove_file(&path).unwrap();
}

#[green::test]
fn geventsendfile_a_client_that_does_not_read_holds_up_nobody() {
    // Far more than loopback buffers hold, so the sender must wait.
    let (path, bytes) = patterned_file("sendfile-big.bin", 8 * 1024 * 1024 + 17);
    let server = geventsendfile::start("127.0.0.1:0", path.clone()).unwrap();
    let stalled = connect(server.local_addr());
    green::sleep(Duration::from_millis(50)); // its sender is now blocked

    let start = Instant::now();
    let mut got = Vec::new();
    connect(server.local_addr()).read_to_end(&mut got).unwrap();
    assert!(got == bytes, "the reading client got other bytes");
    assert!(start.elapsed() < PATIENCE);

    // The stalled client gets the whole file too once it reads.
    let mut late = Vec::new();
    (&stalled).read_to_end(&mut late).unwrap();
    assert!(late == bytes, "the stalled client got other bytes");
    server.stop(Duration::from_secs(2));
    fs::remove_file(&path).unwrap();
}

// ---- dns_mass_resolve -------------------------------------------------

/// Names that fail at once without asking any DNS server: a label longer
/// than 63 bytes cannot be put in a query.
fn unresolvable(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("n{i}-{}.invalid", "x".repeat(64)))
        .collect()
}

#[green::test]
fn dns_mass_resolve_answers_every_name_within_the_deadline() {
    let mut names = vec!["localhost".to_owned()];
    names.extend(unresolvable(30));
    let report = dns_mass_resolve::resolve_all(names.clone(), 10, PATIENCE);
    assert_eq!(report.total, 31);
    assert_eq!(report.answers.len(), 31, "{:?}", report.answers);
    let mut answered: Vec<&str> = report.answers.iter().map(|(n, _)| n.as_str()).collect();
    answered.sort_unstable();
    let mut expected: Vec<&str> = names.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(answered, expected);
    for (name, answer) in &report.answers {
        if name == "localhost" {
            assert!(answer.as_ref().unwrap().is_loopback(), "{answer:?}");
        } else {
            assert!(answer.is_err(), "{name}: {answer:?}");
        }
    }
}

#[green::test]
fn dns_mass_resolve_stops_counting_at_the_deadline() {
    let names = unresolvable(40);
    let start = Instant::now();
    let report = dns_mass_resolve::resolve_all(names, 10, Duration::ZERO);
    assert!(start.elapsed() < PATIENCE);
    assert_eq!(report.total, 40);
    assert!(
        report.answers.len() < 40,
        "all {} answered",
        report.answers.len()
    );
}

#[green::test]
fn dns_mass_resolve_resolves_a_single_name() {
    assert!(
        dns_mass_resolve::resolve("localhost")
            .unwrap()
            .is_loopback()
    );
    assert!(dns_mass_resolve::resolve(&unresolvable(1)[0]).is_err());
}
