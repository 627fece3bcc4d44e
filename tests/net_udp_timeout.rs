//! `compat::net::UdpSocket` against `std::net::UdpSocket`: round trips and
//! read timeouts give the same bytes and `ErrorKind`s with std in a thread
//! and with compat in green code; a receive with a timeout blocks only its
//! task.

use std::io::{self, ErrorKind};
use std::time::{Duration, Instant};

use green::compat::net::UdpSocket;

fn kind<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => format!("{:?}", error.kind()),
    }
}

// --- send_to / recv_from round trip -----------------------------------------

fn round_trip_std() -> Vec<String> {
    use std::net::UdpSocket;

    let mut log = Vec::new();
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let server_addr = server.local_addr().unwrap();
    let echo = std::thread::spawn(move || {
        let mut buf = [0u8; 64];
        for _ in 0..3 {
            let (n, from) = server.recv_from(&mut buf).unwrap();
            server.send_to(&buf[..n], from).unwrap();
        }
    });
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut buf = [0u8; 64];
    for message in [&b"one"[..], b"", b"three and more"] {
        let sent = client.send_to(message, server_addr).unwrap();
        let (n, from) = client.recv_from(&mut buf).unwrap();
        log.push(format!("{sent} {:?} {}", &buf[..n], from == server_addr));
    }
    echo.join().unwrap();

    // peek, connect, send, recv, a cut datagram
    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    log.push(format!("peer before connect {}", kind(a.peer_addr())));
    a.connect(b.local_addr().unwrap()).unwrap();
    b.connect(a.local_addr().unwrap()).unwrap();
    a.send(b"peeked, then cut").unwrap();
    let mut small = [0u8; 6];
    log.push(format!("peek {}", b.peek(&mut small).unwrap()));
    log.push(format!("recv {} {:?}", b.recv(&mut small).unwrap(), small));
    log.push(format!("broadcast {:?}", b.broadcast().unwrap()));
    b.set_ttl(17).unwrap();
    log.push(format!("ttl {}", b.ttl().unwrap()));
    log
}

#[green::green]
fn echo_three(server: UdpSocket) {
    let mut buf = [0u8; 64];
    for _ in 0..3 {
        let (n, from) = server.recv_from(&mut buf).unwrap();
        server.send_to(&buf[..n], from).unwrap();
    }
}

#[green::green]
fn round_trip_green() -> Vec<String> {
    let mut log = Vec::new();
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let server_addr = server.local_addr().unwrap();
    let echo = green::spawn(move || echo_three(server));
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut buf = [0u8; 64];
    for message in [&b"one"[..], b"", b"three and more"] {
        let sent = client.send_to(message, server_addr).unwrap();
        let (n, from) = client.recv_from(&mut buf).unwrap();
        log.push(format!("{sent} {:?} {}", &buf[..n], from == server_addr));
    }
    echo.join().unwrap();

    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    log.push(format!("peer before connect {}", kind(a.peer_addr())));
    a.connect(b.local_addr().unwrap()).unwrap();
    b.connect(a.local_addr().unwrap()).unwrap();
    a.send(b"peeked, then cut").unwrap();
    let mut small = [0u8; 6];
    log.push(format!("peek {}", b.peek(&mut small).unwrap()));
    log.push(format!("recv {} {:?}", b.recv(&mut small).unwrap(), small));
    log.push(format!("broadcast {:?}", b.broadcast().unwrap()));
    b.set_ttl(17).unwrap();
    log.push(format!("ttl {}", b.ttl().unwrap()));
    log
}

#[test]
fn send_to_recv_from_round_trip_matches_std() {
    let expected = std::thread::spawn(round_trip_std).join().unwrap();
    let got = green::run(round_trip_green());
    assert_eq!(got, expected);
    assert_eq!(expected[1], "0 [] true");
    assert!(expected.contains(&"peer before connect NotConnected".to_owned()));
}

// --- read timeouts -------------------------------------------------------------

// 100 ms: a whole number of kernel ticks whatever HZ is, so that std's
// `read_timeout` gives back exactly what was set.
fn timeout_std() -> Vec<String> {
    use std::net::UdpSocket;

    let mut log = Vec::new();
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    log.push(format!("default {:?}", socket.read_timeout().unwrap()));
    log.push(format!(
        "zero {}",
        kind(socket.set_read_timeout(Some(Duration::ZERO)))
    ));
    log.push(format!(
        "zero write {}",
        kind(socket.set_write_timeout(Some(Duration::ZERO)))
    ));
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    log.push(format!("set {:?}", socket.read_timeout().unwrap()));
    let clone = socket.try_clone().unwrap();
    log.push(format!("clone {:?}", clone.read_timeout().unwrap()));
    let mut buf = [0u8; 8];
    let start = Instant::now();
    log.push(format!("recv_from {}", kind(socket.recv_from(&mut buf))));
    log.push(format!(
        "waited {}",
        start.elapsed() >= Duration::from_millis(80)
    ));
    log.push(format!("peek_from {}", kind(socket.peek_from(&mut buf))));
    socket.connect(socket.local_addr().unwrap()).unwrap();
    log.push(format!("recv {}", kind(socket.recv(&mut buf))));
    // A datagram that is there comes at once, timeout or not.
    socket.send(b"here").unwrap();
    log.push(format!("recv ready {:?}", socket.recv(&mut buf)));
    socket.set_read_timeout(None).unwrap();
    log.push(format!("cleared {:?}", socket.read_timeout().unwrap()));
    log
}

#[green::green]
fn timeout_green() -> Vec<String> {
    let mut log = Vec::new();
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    log.push(format!("default {:?}", socket.read_timeout().unwrap()));
    log.push(format!(
        "zero {}",
        kind(socket.set_read_timeout(Some(Duration::ZERO)))
    ));
    log.push(format!(
        "zero write {}",
        kind(socket.set_write_timeout(Some(Duration::ZERO)))
    ));
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    log.push(format!("set {:?}", socket.read_timeout().unwrap()));
    let clone = socket.try_clone().unwrap();
    log.push(format!("clone {:?}", clone.read_timeout().unwrap()));
    let mut buf = [0u8; 8];
    let start = Instant::now();
    log.push(format!("recv_from {}", kind(socket.recv_from(&mut buf))));
    log.push(format!(
        "waited {}",
        start.elapsed() >= Duration::from_millis(80)
    ));
    log.push(format!("peek_from {}", kind(socket.peek_from(&mut buf))));
    socket.connect(socket.local_addr().unwrap()).unwrap();
    log.push(format!("recv {}", kind(socket.recv(&mut buf))));
    socket.send(b"here").unwrap();
    log.push(format!("recv ready {:?}", socket.recv(&mut buf)));
    socket.set_read_timeout(None).unwrap();
    log.push(format!("cleared {:?}", socket.read_timeout().unwrap()));
    log
}

#[test]
fn recv_timeout_matches_std() {
    let expected = std::thread::spawn(timeout_std).join().unwrap();
    let got = green::run(timeout_green());
    assert_eq!(got, expected);
    assert!(expected.contains(&"recv_from WouldBlock".to_owned()));
    assert!(expected.contains(&"zero InvalidInput".to_owned()));
    assert!(expected.contains(&"waited true".to_owned()));
}

#[green::green]
fn recv_with_timeout(limit: Duration) -> io::Result<usize> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.set_read_timeout(Some(limit))?;
    let mut buf = [0u8; 8];
    socket.recv_from(&mut buf).map(|(n, _)| n)
}

#[green::test(timeout_ms = 30_000)]
fn a_hundred_receives_with_a_timeout_wait_together() {
    let start = Instant::now();
    let tasks: Vec<_> = (0..100)
        .map(|_| green::spawn(|| recv_with_timeout(Duration::from_millis(50))))
        .collect();
    for result in green::joinall(tasks) {
        let error = result.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::WouldBlock);
    }
    let elapsed = start.elapsed();
    // 100 x 50 ms one after another would be 5 s.
    assert!(elapsed < Duration::from_millis(2_500), "took {elapsed:?}");
}

#[green::test(timeout_ms = 20_000)]
fn a_datagram_arriving_before_the_timeout_is_received() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let addr = socket.local_addr().unwrap();
    let sender = green::spawn(move || async move {
        green::sleep(Duration::from_millis(30)).await;
        let other = UdpSocket::bind("127.0.0.1:0").await?;
        other.send_to(b"late", addr).await
    });
    let mut buf = [0u8; 8];
    let start = Instant::now();
    let (n, _) = socket.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"late");
    assert!(start.elapsed() < Duration::from_secs(5));
    sender.join().unwrap().unwrap();
}
