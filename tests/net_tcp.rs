//! `compat::net` over loopback: listeners, streams, clones, shutdown, kill,
//! errors and many concurrent connections.

use std::time::Duration;

use green::GreenError;
use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::{Shutdown, SocketAddr, TcpListener, TcpStream};

/// Echoes every line of `stream` back, until the peer closes.
#[green::green]
fn echo_lines(stream: TcpStream) -> io::Result<()> {
    let mut writer = stream.try_clone()?;
    for line in BufReader::new(stream).lines() {
        writeln!(writer, "{}", line?)?;
    }
    Ok(())
}

/// Accepts connections forever with `incoming()` in a `for` loop.
#[green::green]
fn serve_echo(listener: TcpListener) -> io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        green::spawn(move || echo_lines(stream));
    }
    Ok(())
}

#[green::green]
fn echo_client(addr: SocketAddr, id: usize) -> io::Result<Vec<String>> {
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut replies = Vec::new();
    for round in 0..3 {
        writeln!(writer, "client {id} round {round}")?;
        let mut reply = String::new();
        reader.read_line(&mut reply)?;
        replies.push(reply);
    }
    Ok(replies)
}

#[green::test(timeout_ms = 20_000)]
fn echo_round_trip_between_one_server_and_several_clients() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || serve_echo(listener));

    let clients: Vec<_> = (0..5)
        .map(|id| green::spawn(move || echo_client(addr, id)))
        .collect();
    for (id, result) in green::joinall(clients).into_iter().enumerate() {
        let replies = result.unwrap().unwrap();
        let expected: Vec<String> = (0..3)
            .map(|round| format!("client {id} round {round}\n"))
            .collect();
        assert_eq!(replies, expected);
    }
    server.kill();
}

#[green::test(timeout_ms = 20_000)]
fn accept_gives_the_stream_and_the_peer_address() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    let client = TcpStream::connect(addr).unwrap();
    let (server, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(server.local_addr().unwrap(), addr);
    assert_eq!(client.peer_addr().unwrap(), addr);
}

#[green::test(timeout_ms = 20_000)]
fn incoming_in_a_for_loop_accepts_each_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let clients = green::spawn(move || async move {
        let mut streams = Vec::new();
        for _ in 0..3 {
            streams.push(TcpStream::connect(addr).await?);
        }
        io::Result::Ok(streams)
    });
    let mut peers = Vec::new();
    for stream in listener.incoming() {
        peers.push(stream.unwrap().peer_addr().unwrap());
        if peers.len() == 3 {
            break;
        }
    }
    let streams = clients.join().unwrap().unwrap();
    let mut locals: Vec<SocketAddr> = streams.iter().map(|s| s.local_addr().unwrap()).collect();
    locals.sort();
    peers.sort();
    assert_eq!(peers, locals);
}

#[green::test(timeout_ms = 20_000)]
fn connect_to_a_closed_port_is_refused() {
    let addr = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    }; // the listener is closed here
    let error = TcpStream::connect(addr).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
}

#[green::test(timeout_ms = 20_000)]
fn bad_addresses_give_errors_not_panics() {
    for bad in ["not an address", "127.0.0.1:notaport", "127.0.0.1"] {
        let error = TcpListener::bind(bad).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{bad}");
        let error = TcpStream::connect(bad).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{bad}");
    }
    let none: &[SocketAddr] = &[];
    let error = TcpListener::bind(none).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);

    // A name that does not resolve: an error whatever the resolver says.
    assert!(TcpStream::connect("no-such-host.invalid:80").is_err());

    // A port in use.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let error = TcpListener::bind(listener.local_addr().unwrap()).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::AddrInUse);
}

#[green::test(timeout_ms = 30_000)]
fn try_clone_lets_one_task_read_while_another_writes() {
    // More than the socket buffers hold: without concurrent reading and
    // writing on the client, both sides would block forever.
    const LEN: usize = 4 << 20;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || async move {
        let (stream, _) = listener.accept().await?;
        let (mut reader, mut writer) = (&stream, &stream);
        let copied = io::copy(&mut reader, &mut writer).await?;
        stream.shutdown(Shutdown::Write)?;
        io::Result::Ok(copied)
    });

    let client = TcpStream::connect(addr).unwrap();
    let mut writer = client.try_clone().unwrap();
    let sender = green::spawn(move || async move {
        let chunk: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
        for _ in 0..LEN / chunk.len() {
            writer.write_all(&chunk).await?;
        }
        writer.shutdown(Shutdown::Write)?;
        io::Result::Ok(())
    });
    let mut reader = client;
    let mut echoed = Vec::new();
    reader.read_to_end(&mut echoed).unwrap();

    sender.join().unwrap().unwrap();
    assert_eq!(server.join().unwrap().unwrap(), LEN as u64);
    assert_eq!(echoed.len(), LEN);
    assert!(
        echoed
            .iter()
            .enumerate()
            .all(|(i, b)| *b == (i % 256) as u8)
    );
}

#[green::test(timeout_ms = 20_000)]
fn shutdown_write_gives_the_peer_end_of_stream() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    client.write_all(b"last words").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut received = String::new();
    server.read_to_string(&mut received).unwrap();
    assert_eq!(received, "last words");
    // The other direction still works.
    server.write_all(b"reply").unwrap();
    let mut reply = [0u8; 5];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"reply");
}

#[green::test(timeout_ms = 20_000)]
fn killing_a_task_blocked_in_read_closes_its_socket() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    let reader = green::spawn(move || async move {
        let mut buf = [0u8; 16];
        server.read(&mut buf).await
    });
    green::sleep(Duration::from_millis(20));
    assert!(!reader.is_ready(), "the reader should be blocked in read");
    reader.kill();
    let joined = reader.join();
    assert!(matches!(joined, Err(GreenError::Killed)));
    let n = green::timeout(Duration::from_secs(10), move || async move {
        let mut buf = [0u8; 16];
        client.read(&mut buf).await
    })
    .expect("peer read timed out");
    assert_eq!(n.unwrap(), 0, "the peer should see the end of the stream");
}

#[green::green]
fn ping_once(addr: SocketAddr, id: u32) -> io::Result<u32> {
    let mut stream = TcpStream::connect(addr)?;
    stream.write_all(&id.to_be_bytes())?;
    let mut reply = [0u8; 4];
    stream.read_exact(&mut reply)?;
    Ok(u32::from_be_bytes(reply))
}

#[green::green]
fn echo_four_bytes(mut stream: TcpStream) -> io::Result<()> {
    let mut buf = [0u8; 4];
    stream.read_exact(&mut buf)?;
    stream.write_all(&buf)
}

#[green::test(timeout_ms = 120_000)]
fn a_thousand_concurrent_clients_against_one_server() {
    // Two descriptors per connection; stay well inside the process limit.
    let (soft, _) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    let clients = 1000.min((soft.saturating_sub(100) / 2) as u32).max(50);

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || async move {
        for stream in listener.incoming() {
            let stream = stream?;
            green::spawn(move || echo_four_bytes(stream));
        }
        io::Result::Ok(())
    });

    let tasks: Vec<_> = (0..clients)
        .map(|id| green::spawn(move || ping_once(addr, id)))
        .collect();
    let results = green::joinall(tasks);
    assert_eq!(results.len(), clients as usize);
    for (id, result) in results.into_iter().enumerate() {
        assert_eq!(result.unwrap().unwrap(), id as u32);
    }
    server.kill();
}

#[green::test(timeout_ms = 20_000)]
fn connect_timeout_and_empty_buffers() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).unwrap();
    assert_eq!(client.peer_addr().unwrap(), addr);
    let error = TcpStream::connect_timeout(&addr, Duration::ZERO).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);

    // As std: empty reads and writes give 0 at once, even with no data.
    let mut empty = [0u8; 0];
    assert_eq!(client.read(&mut empty).unwrap(), 0);
    assert_eq!(client.write(&[]).unwrap(), 0);
}

#[green::test(timeout_ms = 20_000)]
fn reading_and_writing_through_shared_references() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let mut writer = &client;
    writer.write_all(b"via &TcpStream").unwrap();
    let mut reader = &server;
    let mut buf = [0u8; 14];
    reader.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"via &TcpStream");
}
