//! `compat::net::TcpStream`'s read and write timeouts and `connect_timeout`
//! against std's: the same scenario with std in a thread and with compat in
//! green code gives the same `ErrorKind`s and values; a read with a timeout
//! blocks only its task.

use std::io::{self, ErrorKind};
use std::time::{Duration, Instant};

use green::compat::io::{Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};

fn kind<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => format!("{:?}", error.kind()),
    }
}

/// An address in TEST-NET-1 (RFC 5737): nobody answers there, so a connect
/// either waits (and times out) or fails at once on a host without a route;
/// std and compat see the same.
fn unanswered() -> SocketAddr {
    "192.0.2.1:9".parse().unwrap()
}

/// A listener whose accept queue is full (a backlog of 0, never accepted
/// from, filled by connections kept in the `Vec`): the kernel drops the
/// next handshake, so a connect to it waits until its timeout.
fn full_listener() -> (std::net::TcpListener, Vec<std::net::TcpStream>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let listener = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        socket.listen(0).unwrap().into_std().unwrap()
    });
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    while queued.len() < 16 {
        match std::net::TcpStream::connect_timeout(&addr, LIMIT) {
            Ok(stream) => queued.push(stream),
            Err(error) if error.kind() == ErrorKind::TimedOut => return (listener, queued),
            Err(error) => panic!("filling the accept queue: {error}"),
        }
    }
    panic!("the accept queue of a backlog of 0 never filled");
}

/// A port nobody listens on.
fn closed_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

// 100 ms: a whole number of kernel ticks whatever HZ is, so that std's
// `read_timeout` gives back exactly what was set.
const LIMIT: Duration = Duration::from_millis(100);

fn scenario_std(full: SocketAddr) -> Vec<String> {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    let mut log = Vec::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = TcpStream::connect(addr).unwrap();
    let (mut server, _) = listener.accept().unwrap();

    log.push(format!("default read {:?}", client.read_timeout().unwrap()));
    log.push(format!(
        "default write {:?}",
        client.write_timeout().unwrap()
    ));
    log.push(format!(
        "zero read {}",
        kind(client.set_read_timeout(Some(Duration::ZERO)))
    ));
    log.push(format!(
        "zero write {}",
        kind(client.set_write_timeout(Some(Duration::ZERO)))
    ));
    client.set_read_timeout(Some(LIMIT)).unwrap();
    log.push(format!("set {:?}", client.read_timeout().unwrap()));
    let mut clone = client.try_clone().unwrap();
    log.push(format!("clone {:?}", clone.read_timeout().unwrap()));

    let mut buf = [0u8; 8];
    let start = Instant::now();
    log.push(format!("read {}", kind(client.read(&mut buf))));
    log.push(format!("waited {}", start.elapsed() >= LIMIT * 8 / 10));
    log.push(format!("peek {}", kind(client.peek(&mut buf))));
    log.push(format!(
        "clone read_exact {}",
        kind(clone.read_exact(&mut buf))
    ));

    // Data that is there comes at once, and the stream still works.
    server.write_all(b"here").unwrap();
    log.push(format!("read ready {:?}", client.read(&mut buf)));

    // None clears: a read waits longer than the old timeout.
    client.set_read_timeout(None).unwrap();
    log.push(format!("cleared {:?}", clone.read_timeout().unwrap()));
    let mut late = server.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(LIMIT * 2);
        late.write_all(b"late").unwrap();
    });
    log.push(format!("read late {:?}", client.read(&mut buf)));
    writer.join().unwrap();

    // A peer that never reads: writes fill the buffers, then time out.
    client.set_write_timeout(Some(LIMIT)).unwrap();
    log.push(format!("set write {:?}", clone.write_timeout().unwrap()));
    let chunk = vec![7u8; 1 << 20];
    let error = loop {
        if let Err(error) = client.write(&chunk) {
            break error;
        }
    };
    log.push(format!("write {:?}", error.kind()));

    // connect_timeout
    log.push(format!(
        "connect zero {}",
        kind(TcpStream::connect_timeout(&addr, Duration::ZERO))
    ));
    log.push(format!(
        "connect listening {}",
        kind(TcpStream::connect_timeout(&addr, LIMIT))
    ));
    log.push(format!(
        "connect closed {}",
        kind(TcpStream::connect_timeout(&closed_port(), LIMIT))
    ));
    log.push(format!(
        "connect unanswered {}",
        kind(TcpStream::connect_timeout(&unanswered(), LIMIT))
    ));
    let start = Instant::now();
    log.push(format!(
        "connect full {}",
        kind(TcpStream::connect_timeout(&full, LIMIT))
    ));
    log.push(format!(
        "connect waited {}",
        start.elapsed() >= LIMIT * 8 / 10
    ));
    drop(server);
    log
}

#[green::green]
fn write_later(mut stream: TcpStream, delay: Duration, data: &'static [u8]) {
    green::sleep(delay);
    stream.write_all(data).unwrap();
}

#[green::green]
fn scenario_green(full: SocketAddr) -> Vec<String> {
    let mut log = Vec::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = TcpStream::connect(addr).unwrap();
    let (mut server, _) = listener.accept().unwrap();

    log.push(format!("default read {:?}", client.read_timeout().unwrap()));
    log.push(format!(
        "default write {:?}",
        client.write_timeout().unwrap()
    ));
    log.push(format!(
        "zero read {}",
        kind(client.set_read_timeout(Some(Duration::ZERO)))
    ));
    log.push(format!(
        "zero write {}",
        kind(client.set_write_timeout(Some(Duration::ZERO)))
    ));
    client.set_read_timeout(Some(LIMIT)).unwrap();
    log.push(format!("set {:?}", client.read_timeout().unwrap()));
    let mut clone = client.try_clone().unwrap();
    log.push(format!("clone {:?}", clone.read_timeout().unwrap()));

    let mut buf = [0u8; 8];
    let start = Instant::now();
    log.push(format!("read {}", kind(client.read(&mut buf))));
    log.push(format!("waited {}", start.elapsed() >= LIMIT * 8 / 10));
    log.push(format!("peek {}", kind(client.peek(&mut buf))));
    log.push(format!(
        "clone read_exact {}",
        kind(clone.read_exact(&mut buf))
    ));

    server.write_all(b"here").unwrap();
    log.push(format!("read ready {:?}", client.read(&mut buf)));

    client.set_read_timeout(None).unwrap();
    log.push(format!("cleared {:?}", clone.read_timeout().unwrap()));
    let late = server.try_clone().unwrap();
    let writer = green::spawn(move || write_later(late, LIMIT * 2, b"late"));
    log.push(format!("read late {:?}", client.read(&mut buf)));
    writer.join().unwrap();

    client.set_write_timeout(Some(LIMIT)).unwrap();
    log.push(format!("set write {:?}", clone.write_timeout().unwrap()));
    let chunk = vec![7u8; 1 << 20];
    let error = loop {
        if let Err(error) = client.write(&chunk) {
            break error;
        }
    };
    log.push(format!("write {:?}", error.kind()));

    log.push(format!(
        "connect zero {}",
        kind(TcpStream::connect_timeout(&addr, Duration::ZERO))
    ));
    log.push(format!(
        "connect listening {}",
        kind(TcpStream::connect_timeout(&addr, LIMIT))
    ));
    log.push(format!(
        "connect closed {}",
        kind(TcpStream::connect_timeout(&closed_port(), LIMIT))
    ));
    log.push(format!(
        "connect unanswered {}",
        kind(TcpStream::connect_timeout(&unanswered(), LIMIT))
    ));
    let start = Instant::now();
    log.push(format!(
        "connect full {}",
        kind(TcpStream::connect_timeout(&full, LIMIT))
    ));
    log.push(format!(
        "connect waited {}",
        start.elapsed() >= LIMIT * 8 / 10
    ));
    drop(server);
    log
}

#[test]
fn read_write_and_connect_timeouts_match_std() {
    let (full, _queued) = full_listener();
    let full = full.local_addr().unwrap();
    let expected = std::thread::spawn(move || scenario_std(full))
        .join()
        .unwrap();
    let got = green::run(scenario_green(full));
    assert_eq!(got, expected);
    for line in [
        "default read None",
        "zero read InvalidInput",
        "zero write InvalidInput",
        "read WouldBlock",
        "waited true",
        "peek WouldBlock",
        "clone read_exact WouldBlock",
        "read ready Ok(4)",
        "cleared None",
        "read late Ok(4)",
        "write WouldBlock",
        "connect zero InvalidInput",
        "connect listening ok",
        "connect closed ConnectionRefused",
        "connect full TimedOut",
        "connect waited true",
    ] {
        assert!(
            expected.contains(&line.to_owned()),
            "{line} in {expected:?}"
        );
    }
    // Where the test network has no route (or a firewall answers), the
    // connect fails at once.
    let unanswered = expected
        .iter()
        .find(|line| line.starts_with("connect unanswered"))
        .unwrap();
    assert!(
        [
            "connect unanswered TimedOut",
            "connect unanswered NetworkUnreachable",
            "connect unanswered HostUnreachable",
            "connect unanswered ConnectionRefused",
        ]
        .contains(&unanswered.as_str()),
        "{unanswered}"
    );
}

// --- the timeout is per read, as SO_RCVTIMEO is per read(2) ---------------------

#[green::green]
fn drip(mut stream: TcpStream, bytes: &'static [u8], gap: Duration) {
    for byte in bytes {
        green::sleep(gap);
        stream.write_all(&[*byte]).unwrap();
    }
}

#[green::test(timeout_ms = 30_000)]
fn a_slow_peer_within_the_timeout_of_each_read_is_read_whole() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    // Each byte comes 30 ms after the last; the whole takes 150 ms, three
    // times the timeout, but no single read waits 100 ms.
    client
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let sender = green::spawn(move || drip(server, b"drops", Duration::from_millis(30)));
    let mut buf = [0u8; 5];
    client.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"drops");
    sender.join().unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn a_timed_out_read_leaves_the_next_one_its_whole_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (_server, _) = listener.accept().unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut buf = [0u8; 1];
    for _ in 0..3 {
        let start = Instant::now();
        let error = client.read(&mut buf).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::WouldBlock);
        assert!(start.elapsed() >= Duration::from_millis(40));
    }
}

// --- a read with a timeout blocks only its task ---------------------------------

#[green::green]
fn read_with_timeout(addr: SocketAddr, limit: Duration) -> io::Result<usize> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(limit))?;
    let mut buf = [0u8; 8];
    stream.read(&mut buf)
}

#[green::test(timeout_ms = 30_000)]
fn hundred_tcp_reads_with_a_50ms_timeout_overlap() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let start = Instant::now();
    let readers: Vec<_> = (0..100)
        .map(|_| green::spawn(move || read_with_timeout(addr, Duration::from_millis(50))))
        .collect();
    // The server accepts every connection and stays silent.
    let mut silent = Vec::new();
    for _ in 0..100 {
        silent.push(listener.accept().unwrap().0);
    }
    for reader in readers {
        let error = reader.join().unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::WouldBlock);
    }
    let elapsed = start.elapsed();
    // One after the other would take 100 × 50 ms = 5 s.
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
    drop(silent);
}

// --- a read cut short by green::timeout -----------------------------------------

#[green::test(timeout_ms = 30_000)]
fn a_read_after_one_cut_short_by_green_timeout_gets_its_whole_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (_server, _) = listener.accept().unwrap(); // silent
    client
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 8];
    let cut = green::timeout(Duration::from_millis(50), || client.read(&mut buf));
    assert!(cut.is_err(), "the silent peer sent something: {cut:?}");

    // std's next read(2) waits its whole SO_RCVTIMEO: so does ours, not
    // the 150 ms the cancelled one left.
    let start = Instant::now();
    let error = client.read(&mut buf).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(error.kind(), ErrorKind::WouldBlock);
    assert!(
        waited >= Duration::from_millis(180) && waited < Duration::from_secs(2),
        "waited {waited:?}"
    );
}
