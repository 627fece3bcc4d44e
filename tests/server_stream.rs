//! `green::server::StreamServer` driven by real clients on 127.0.0.1: echo,
//! concurrency, `max_connections`, failing handlers, `stop`, the backlog.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{self, Read, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::server::StreamServer;

#[green::green]
fn echo(mut stream: TcpStream, _peer: SocketAddr) -> io::Result<()> {
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}

/// Sends `data` and reads it all back, writing in one task and reading in
/// this one so that neither side's buffers fill.
#[green::green]
fn echo_client(addr: SocketAddr, data: Vec<u8>) -> io::Result<Vec<u8>> {
    let stream = TcpStream::connect(addr)?;
    let mut writer = stream.try_clone()?;
    let len = data.len();
    let sender = green::spawn(move || async move {
        writer.write_all(&data).await?;
        writer.shutdown(green::compat::net::Shutdown::Write)
    });
    let mut back = Vec::with_capacity(len);
    let mut stream = stream;
    stream.read_to_end(&mut back)?;
    sender.join().unwrap()?;
    Ok(back)
}

#[green::test]
fn echoes_byte_for_byte() {
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(echo)
        .unwrap();
    let addr = handle.local_addr();
    let clients: Vec<_> = (0..20u32)
        .map(|i| {
            let data: Vec<u8> = (0..200_000u32)
                .map(|j| (j.wrapping_mul(31) ^ i) as u8)
                .collect();
            green::spawn(move || async move {
                let back = echo_client(addr, data.clone()).await.unwrap();
                assert!(back == data, "client {i}: echo differs");
            })
        })
        .collect();
    for result in green::joinall(clients) {
        result.unwrap();
    }
    handle.stop(Duration::from_secs(5));
}

#[green::green]
fn slow_hello(mut stream: TcpStream, _peer: SocketAddr) -> io::Result<()> {
    green::sleep(Duration::from_millis(200));
    stream.write_all(b"ok")
}

#[green::green]
fn read_reply(addr: SocketAddr) -> io::Result<String> {
    let mut reply = String::new();
    TcpStream::connect(addr)?.read_to_string(&mut reply)?;
    Ok(reply)
}

#[green::test]
fn a_thousand_clients_run_concurrently() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 4096 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(4096), hard);
    }
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(slow_hello)
        .unwrap();
    let addr = handle.local_addr();
    let start = Instant::now();
    let clients: Vec<_> = (0..1000)
        .map(|_| green::spawn(move || read_reply(addr)))
        .collect();
    for result in green::joinall(clients) {
        assert_eq!(result.unwrap().unwrap(), "ok");
    }
    // One at a time would take 200 s.
    let elapsed = start.elapsed();
    assert!(
        elapsed < Duration::from_secs(30),
        "1,000 clients took {elapsed:?}"
    );
    handle.stop(Duration::from_secs(5));
}

#[green::test]
fn max_connections_is_never_exceeded() {
    let running = Rc::new(Cell::new(0usize));
    let most = Rc::new(Cell::new(0usize));
    let (r, m) = (running.clone(), most.clone());
    let handler = move |mut stream: TcpStream, _peer: SocketAddr| {
        let (running, most) = (r.clone(), m.clone());
        async move {
            running.set(running.get() + 1);
            most.set(most.get().max(running.get()));
            green::sleep(Duration::from_millis(20)).await;
            running.set(running.get() - 1);
            stream.write_all(b"ok").await
        }
    };
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(5)
        .start(handler)
        .unwrap();
    let addr = handle.local_addr();
    let clients: Vec<_> = (0..60)
        .map(|_| green::spawn(move || read_reply(addr)))
        .collect();
    for result in green::joinall(clients) {
        assert_eq!(result.unwrap().unwrap(), "ok");
    }
    assert_eq!(most.get(), 5, "at most 5 handlers, and 5 reached");
    handle.stop(Duration::from_secs(5));
}

/// The first client's handler panics, the second's returns `Err`, the
/// rest are served: the server goes on. (What is printed is checked by
/// `failures_are_reported_once`, which runs this as a child process.)
#[green::green]
fn fail_then_serve(mut stream: TcpStream, _peer: SocketAddr, nth: usize) -> io::Result<()> {
    match nth {
        0 => panic!("handler blew up"),
        1 => Err(io::Error::other("handler gave up")),
        _ => stream.write_all(b"ok"),
    }
}

#[green::test]
fn failing_handlers_leave_the_server_running() {
    let count = Rc::new(Cell::new(0usize));
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |s, p| {
            let nth = count.get();
            count.set(nth + 1);
            fail_then_serve(s, p, nth)
        })
        .unwrap();
    let addr = handle.local_addr();
    for _ in 0..2 {
        // Each failed handler drops its stream: the client sees the end.
        assert_eq!(read_reply(addr).unwrap(), "");
    }
    for _ in 0..3 {
        assert_eq!(read_reply(addr).unwrap(), "ok");
    }
    handle.stop(Duration::from_secs(5));
}

#[test]
fn failures_are_reported_once() {
    if std::env::var_os("GREEN_SERVER_CHILD").is_some() {
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "failing_handlers_leave_the_server_running",
            "--nocapture",
        ])
        .env("GREEN_SERVER_CHILD", "1")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let panics = stderr
        .lines()
        .filter(|l| l.contains("panicked"))
        .collect::<Vec<_>>();
    assert_eq!(panics.len(), 1, "{stderr}");
    assert!(
        panics[0].contains("127.0.0.1:"),
        "the task is named after the peer: {stderr}"
    );
    assert_eq!(stderr.matches("handler blew up").count(), 1, "{stderr}");
    let errors = stderr
        .lines()
        .filter(|l| l.contains("handler gave up"))
        .collect::<Vec<_>>();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("handler for 127.0.0.1:"), "{stderr}");
}

/// Sets its flag when dropped: shows a killed handler's destructors ran.
struct SetOnDrop(Rc<Cell<bool>>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[green::test]
fn stop_lets_handlers_finish_within_the_timeout() {
    let handler = |mut stream: TcpStream, _peer: SocketAddr| async move {
        green::sleep(Duration::from_millis(100)).await;
        stream.write_all(b"done").await
    };
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(handler)
        .unwrap();
    let addr = handle.local_addr();
    let client = green::spawn(move || read_reply(addr));
    while handle.connections() == 0 {
        green::sleep(Duration::from_millis(1));
    }
    let start = Instant::now();
    handle.stop(Duration::from_secs(10));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "stop waited for the handler only"
    );
    assert_eq!(handle.connections(), 0);
    assert_eq!(client.join().unwrap().unwrap(), "done");
    assert!(TcpStream::connect(addr).is_err(), "no more accepting");
    handle.stop(Duration::ZERO); // harmless twice
}

/// `Duration::MAX` is "as long as the handlers take", not an overflow.
#[green::test]
fn stop_with_no_time_limit_waits_for_the_handlers() {
    let handler = |mut stream: TcpStream, _peer: SocketAddr| async move {
        green::sleep(Duration::from_millis(50)).await;
        stream.write_all(b"done").await
    };
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(handler)
        .unwrap();
    let addr = handle.local_addr();
    let client = green::spawn(move || read_reply(addr));
    while handle.connections() == 0 {
        green::sleep(Duration::from_millis(1));
    }
    handle.stop(Duration::MAX);
    assert_eq!(handle.connections(), 0);
    assert_eq!(client.join().unwrap().unwrap(), "done");
}

#[green::test]
fn stop_kills_handlers_after_the_timeout() {
    let dropped = Rc::new(Cell::new(false));
    let flag = dropped.clone();
    let handler = move |stream: TcpStream, _peer: SocketAddr| {
        let guard = SetOnDrop(flag.clone());
        async move {
            let _guard = guard;
            let _stream = stream;
            green::sleep(Duration::from_secs(600)).await;
        }
    };
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(handler)
        .unwrap();
    let addr = handle.local_addr();
    let client = green::spawn(move || read_reply(addr));
    while handle.connections() == 0 {
        green::sleep(Duration::from_millis(1));
    }
    let start = Instant::now();
    handle.stop(Duration::from_millis(100));
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_millis(100) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
    assert!(dropped.get(), "the killed handler's destructors ran");
    assert_eq!(handle.connections(), 0);
    assert_eq!(
        client.join().unwrap().unwrap(),
        "",
        "the client saw the connection end"
    );
}

#[green::test]
fn serve_stops_with_its_task_and_kills_connections() {
    let dropped = Rc::new(Cell::new(false));
    let flag = dropped.clone();
    let handler = move |stream: TcpStream, _peer: SocketAddr| {
        let guard = SetOnDrop(flag.clone());
        async move {
            let _guard = guard;
            let _stream = stream;
            green::sleep(Duration::from_secs(600)).await;
        }
    };
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || StreamServer::from_listener(listener).serve(handler));
    let _client = TcpStream::connect(addr).unwrap();
    green::sleep(Duration::from_millis(50));
    assert!(!dropped.get());
    server.kill();
    green::sleep(Duration::from_millis(10));
    assert!(dropped.get(), "the connection was killed with serve's task");
    assert!(TcpStream::connect(addr).is_err());
}

#[green::green]
fn timed_connect(addr: SocketAddr) -> io::Result<(TcpStream, Duration)> {
    let start = Instant::now();
    let stream = TcpStream::connect(addr)?;
    Ok((stream, start.elapsed()))
}

/// With one slot taken, every other client waits in the backlog: with
/// std's 128 a burst of 1,500 connects overflows it and the dropped SYNs
/// are retried a second later; with `backlog(4096)` none stalls.
#[green::test]
fn the_backlog_holds_a_burst_of_connects() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 4096 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(4096), hard);
    }
    let release = green::Event::new();
    let gate = release.clone();
    let handler = move |mut stream: TcpStream, _peer: SocketAddr| {
        let gate = gate.clone();
        async move {
            gate.wait().await;
            stream.write_all(b"ok").await
        }
    };
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .backlog(4096)
        .max_connections(1);
    let handle = server.start(handler).unwrap();
    let addr = handle.local_addr();
    green::idle(); // the accept loop applies nothing more: the backlog is set
    let connects: Vec<_> = (0..1500)
        .map(|_| green::spawn(move || timed_connect(addr)))
        .collect();
    let mut streams = Vec::new();
    let mut slowest = Duration::ZERO;
    for result in green::joinall(connects) {
        let (stream, took) = result.unwrap().unwrap();
        slowest = slowest.max(took);
        streams.push(stream);
    }
    assert!(
        slowest < Duration::from_millis(900),
        "a connect stalled {slowest:?}: SYNs were dropped"
    );
    release.set();
    let readers: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            green::spawn(move || async move {
                let mut reply = String::new();
                stream.read_to_string(&mut reply).await.map(|_| reply)
            })
        })
        .collect();
    for result in green::joinall(readers) {
        assert_eq!(result.unwrap().unwrap(), "ok");
    }
    handle.stop(Duration::from_secs(5));
}

#[cfg(feature = "tls")]
#[green::green]
fn greet_tls(
    mut stream: green::compat::tls::TlsStream<TcpStream>,
    _peer: SocketAddr,
) -> io::Result<()> {
    let mut buf = [0u8; 5];
    stream.read_exact(&mut buf)?;
    stream.write_all(&buf)?;
    stream.shutdown()
}

#[cfg(feature = "tls")]
#[green::test]
fn tls_connections_are_handshaken_in_their_own_task() {
    use green::compat::tls::{TlsAcceptor, TlsConnector};
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (made.cert.pem(), made.signing_key.serialize_pem());
    let acceptor = TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes()).unwrap();
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .tls(acceptor)
        .start(greet_tls)
        .unwrap();
    let addr = handle.local_addr();
    // A client that never handshakes holds up no one.
    let _silent = TcpStream::connect(addr).unwrap();
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    for _ in 0..3 {
        let mut tls = connector
            .connect("localhost", TcpStream::connect(addr).unwrap())
            .unwrap();
        tls.write_all(b"hello").unwrap();
        let mut reply = Vec::new();
        tls.read_to_end(&mut reply).unwrap();
        assert_eq!(reply, b"hello");
    }
    handle.stop(Duration::from_millis(100));
}
