//! `set_nonblocking` on compat's TCP, UDP and Unix domain sockets: std's
//! semantics, an
//! operation that would wait gives `WouldBlock` at once, as the polling
//! loops of chat servers written the non-blocking way expect; switching it
//! off makes the operations green-blocking again.

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use green::compat::io::{self, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use green::compat::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
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
fn read_when_ready<R: Read>(stream: &mut R, buf: &mut [u8]) -> io::Result<usize> {
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

#[green::test(timeout_ms = 20_000)]
fn unix_stream_read_and_write_would_block_then_succeed() -> io::Result<()> {
    let (mut left, mut right) = UnixStream::pair()?;
    right.set_nonblocking(true)?;
    let mut buf = [0u8; 16];
    let start = Instant::now();
    assert_eq!(
        right.read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    assert!(start.elapsed() < Duration::from_secs(2), "read waited");

    left.write_all(b"hello")?;
    let n = read_when_ready(&mut right, &mut buf)?;
    assert_eq!(&buf[..n], b"hello");
    // The clone shares the mode, and `&UnixStream` reads in it too.
    let clone = right.try_clone()?;
    assert_eq!(
        (&clone).read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );

    // A write to a full socket would block: the non-blocking writer stops
    // with WouldBlock once the peer's buffer is full, instead of waiting.
    left.set_nonblocking(true)?;
    let chunk = [b'x'; 64 * 1024];
    let mut written = 0usize;
    let error = loop {
        match left.write(&chunk) {
            Ok(n) => written += n,
            Err(error) => break error,
        }
        assert!(written < 64 << 20, "the socket buffer never filled");
    };
    assert_eq!(error.kind(), ErrorKind::WouldBlock);
    assert!(written > 0);

    // Back to blocking: the read waits (green) for the late write.
    left.set_nonblocking(false)?;
    right.set_nonblocking(false)?;
    let mut drained = vec![0u8; written];
    right.read_exact(&mut drained)?;
    let writer = green::spawn_later(Duration::from_millis(30), move || async move {
        left.write_all(b"late").await
    });
    let n = right.read(&mut buf)?;
    assert_eq!(&buf[..n], b"late");
    writer.join().unwrap()?;
    Ok(())
}

#[green::test(timeout_ms = 20_000)]
fn unix_listener_accept_would_block_then_waits_again() -> io::Result<()> {
    let dir = std::env::temp_dir().join(format!("green-nonblocking-{}", std::process::id()));
    green::compat::fs::create_dir_all(&dir)?;
    let path = dir.join("accept.sock");
    let _ = green::compat::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    listener.set_nonblocking(true)?;
    let start = Instant::now();
    assert_eq!(listener.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
    // The clone shares the mode; so does `incoming`.
    let clone = listener.try_clone()?;
    assert_eq!(clone.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
    let next = listener.incoming().next().expect("incoming never ends");
    assert_eq!(next.unwrap_err().kind(), ErrorKind::WouldBlock);
    assert!(start.elapsed() < Duration::from_secs(2), "accept waited");

    listener.set_nonblocking(false)?;
    let connect_to = path.clone();
    let connector = green::spawn_later(Duration::from_millis(30), move || async move {
        UnixStream::connect(connect_to).await
    });
    let (accepted, _) = listener.accept()?;
    let client = connector.join().unwrap()?;
    // Accepted streams start in blocking mode, as std's: this read waits
    // for the write.
    let writer = green::spawn_later(Duration::from_millis(30), move || async move {
        (&client).write_all(b"!").await
    });
    let mut byte = [0u8; 1];
    (&accepted).read_exact(&mut byte)?;
    writer.join().unwrap()?;
    green::compat::fs::remove_dir_all(&dir)
}

#[green::test(timeout_ms = 20_000)]
fn unix_datagram_recv_would_block_then_succeeds() -> io::Result<()> {
    let (left, right) = UnixDatagram::pair()?;
    right.set_nonblocking(true)?;
    let mut buf = [0u8; 16];
    assert_eq!(
        right.recv(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    assert_eq!(
        right.recv_from(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    left.send(b"datagram")?;
    let start = Instant::now();
    let n = loop {
        let result = right.recv(&mut buf);
        if !retry(&result, start) {
            break result?;
        }
    };
    assert_eq!(&buf[..n], b"datagram");

    right.set_nonblocking(false)?;
    let late = green::spawn_later(Duration::from_millis(30), move || async move {
        left.send(b"late").await
    });
    let n = right.recv(&mut buf)?;
    assert_eq!(&buf[..n], b"late");
    late.join().unwrap()?;
    Ok(())
}
