//! `compat::net::UdpSocket` over loopback: datagrams, connect, peek, clones,
//! errors, and a receive that blocks only its task.

use std::time::Duration;

use green::GreenError;
use green::compat::io;
use green::compat::net::{SocketAddr, UdpSocket};

#[green::green]
fn echo_datagrams(socket: UdpSocket, count: usize) -> io::Result<()> {
    let mut buf = [0u8; 1500];
    for _ in 0..count {
        let (n, from) = socket.recv_from(&mut buf)?;
        socket.send_to(&buf[..n], from)?;
    }
    Ok(())
}

#[green::green]
fn ask(server: SocketAddr, id: u32) -> io::Result<u32> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.connect(server)?;
    socket.send(&id.to_be_bytes())?;
    let mut reply = [0u8; 4];
    assert_eq!(socket.recv(&mut reply)?, 4);
    Ok(u32::from_be_bytes(reply))
}

#[green::test(timeout_ms = 20_000)]
fn echo_server_answers_concurrent_clients() {
    let server = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = server.local_addr().unwrap();
    let echo = green::spawn(move || echo_datagrams(server, 20));
    let clients: Vec<_> = (0..20)
        .map(|id| green::spawn(move || ask(addr, id)))
        .collect();
    for (id, result) in green::joinall(clients).into_iter().enumerate() {
        assert_eq!(result.unwrap().unwrap(), id as u32);
    }
    echo.join().unwrap().unwrap();
}

#[green::test(timeout_ms = 20_000)]
fn peek_from_leaves_the_datagram_queued() {
    let a = UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").unwrap();
    a.send_to(b"first", b.local_addr().unwrap()).unwrap();
    a.send_to(b"second", b.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 16];
    let (n, from) = b.peek_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"first"[..], a.local_addr().unwrap()));
    let (n, _) = b.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"first");
    let (n, _) = b.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"second");
}

#[green::test(timeout_ms = 20_000)]
fn a_blocked_receive_blocks_only_its_task_and_can_be_killed() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let waiting = socket.try_clone().unwrap();
    let receiver = green::spawn(move || async move {
        let mut buf = [0u8; 8];
        waiting.recv_from(&mut buf).await.map(|(n, _)| n)
    });
    // The hub goes on while the receiver waits.
    green::sleep(Duration::from_millis(20));
    assert!(!receiver.is_ready());
    receiver.kill();
    let joined = receiver.join();
    assert_eq!(joined.map(|r| r.ok()), Err(GreenError::Killed));
    // The other handle still works.
    socket
        .send_to(b"alive", socket.local_addr().unwrap())
        .unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(socket.recv_from(&mut buf).unwrap().0, 5);
}

#[green::test(timeout_ms = 20_000)]
fn bad_addresses_give_errors_not_panics() {
    assert_eq!(
        UdpSocket::bind("no port").unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let none: &[SocketAddr] = &[];
    assert_eq!(
        socket.send_to(b"x", none).unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    assert_eq!(
        socket.connect("nowhere").unwrap_err().kind(),
        io::ErrorKind::InvalidInput
    );
    assert!(socket.send(b"not connected").is_err());
    assert_eq!(
        socket.peer_addr().unwrap_err().kind(),
        io::ErrorKind::NotConnected
    );
}
