//! `set_nonblocking` on compat's TCP and UDP sockets: std's semantics, an
//! operation that would wait gives `WouldBlock` at once, as the polling
//! loops of chat servers written the non-blocking way expect; switching it
//! off makes the operations green-blocking again.

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use green::compat::io::{self, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use green::compat::thread;

/// Whether a non-blocking operation should be retried: it would block, and
/// it has not been so for 10 s. Sleeps (green) before the retry, as a
/// non-blocking std program does.
#[green::green]
fn retry<T>(result: &io::Result<T>, start: Instant) -> bool {
    match result {
        Err(error) if error.kind() == ErrorKind::WouldBlock => {
            assert!(start.elapsed() < Duration::from_secs(10), "never ready");
            thread::sleep(Duration::from_millis(2));
            true
        }
        _ => false,
    }
}

#[green::green]
fn accept_when_ready(listener: &TcpListener) -> io::Result<(TcpStream, SocketAddr)> {
    let start = Instant::now();
    loop {
        let result = listener.accept();
        if !retry(&result, start) {
            return result;
        }
    }
}

#[green::green]
fn read_when_ready(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    let start = Instant::now();
    loop {
        let result = stream.read(buf);
        if !retry(&result, start) {
            return result;
        }
    }
}

#[green::green]
fn recv_when_ready(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
    let start = Instant::now();
    loop {
        let result = socket.recv_from(buf);
        if !retry(&result, start) {
            return result;
        }
    }
}

#[green::test(timeout_ms = 20_000)]
fn tcp_accept_and_read_would_block_then_succeed() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let start = Instant::now();
    let error = listener.accept().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::WouldBlock);
    assert!(start.elapsed() < Duration::from_secs(2), "accept waited");

    let mut client = TcpStream::connect(listener.local_addr()?)?;
    let (mut server, peer) = accept_when_ready(&listener)?;
    assert_eq!(peer, client.local_addr()?);

    server.set_nonblocking(true)?;
    let mut buf = [0u8; 16];
    assert_eq!(
        server.read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    let mut peek = [0u8; 4];
    assert_eq!(
        server.peek(&mut peek).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );

    client.write_all(b"hello")?;
    let n = read_when_ready(&mut server, &mut buf)?;
    assert_eq!(&buf[..n], b"hello");
    // The clone shares the mode, as std's shares O_NONBLOCK.
    let mut clone = server.try_clone()?;
    assert_eq!(
        clone.read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );

    // Back to blocking: the read waits (green) for the late write.
    server.set_nonblocking(false)?;
    let writer = green::spawn(move || async move {
        green::sleep(Duration::from_millis(30)).await;
        client.write_all(b"late").await
    });
    let n = server.read(&mut buf)?;
    assert_eq!(&buf[..n], b"late");
    writer.join().unwrap()?;

    listener.set_nonblocking(false)?;
    let addr = listener.local_addr()?;
    let connector = green::spawn(move || async move {
        green::sleep(Duration::from_millis(30)).await;
        TcpStream::connect(addr).await
    });
    let (_accepted, _) = listener.accept()?;
    connector.join().unwrap()?;
    Ok(())
}

#[green::test(timeout_ms = 20_000)]
fn udp_recv_would_block_then_succeeds() -> io::Result<()> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    socket.set_nonblocking(true)?;
    let mut buf = [0u8; 16];
    assert_eq!(
        socket.recv_from(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    sender.send_to(b"datagram", socket.local_addr()?)?;
    let (n, from) = recv_when_ready(&socket, &mut buf)?;
    assert_eq!((&buf[..n], from), (&b"datagram"[..], sender.local_addr()?));

    socket.set_nonblocking(false)?;
    let addr = socket.local_addr()?;
    let late = green::spawn(move || async move {
        green::sleep(Duration::from_millis(30)).await;
        sender.send_to(b"late", addr).await
    });
    let (n, _) = socket.recv_from(&mut buf)?;
    assert_eq!(&buf[..n], b"late");
    late.join().unwrap()?;
    Ok(())
}
