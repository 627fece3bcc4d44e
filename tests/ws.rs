//! `green::ws` driven end to end on 127.0.0.1: a `StreamServer` whose
//! handlers `accept`, clients that `connect` in green tasks. Echo byte for
//! byte, a thousand clients on one hub, broadcast, pings, the close
//! handshake from either side, size limits, and split halves in two tasks.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::net::{SocketAddr, TcpStream};
use green::server::{ServerHandle, StreamServer};
use green::ws::{CapacityError, CloseCode, CloseFrame, Config, Error, Message};
use green::{Event, Queue};

/// Echoes text and binary messages until the client closes.
#[green::green]
fn echo(stream: TcpStream) -> Result<(), Error> {
    let mut ws = green::ws::accept(stream)?;
    loop {
        match ws.read() {
            Ok(message) if message.is_text() || message.is_binary() => ws.send(message)?,
            Ok(_) => {}
            Err(Error::ConnectionClosed) => return Ok(()),
            Err(error) => return Err(error),
        }
    }
}

#[green::green]
fn echo_server() -> ServerHandle {
    StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(|stream, _| echo(stream))
        .unwrap()
}

fn url(addr: SocketAddr) -> String {
    format!("ws://{addr}/")
}

/// Raises the open-file limit for tests with many sockets (two per client).
fn raise_nofile() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 4096 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(4096), hard);
    }
}

#[green::test]
fn text_and_binary_echo_byte_for_byte() {
    let server = echo_server();
    let mut ws = green::ws::connect(url(server.local_addr())).unwrap();

    let text = "héllo, wörld — ✓ 🦀".repeat(100);
    ws.send(text.as_str()).unwrap();
    assert_eq!(ws.read().unwrap(), Message::text(text.clone()));

    // Every byte value, and a message of a mebibyte (many frames of TCP).
    let all_bytes: Vec<u8> = (0..=255u8).collect();
    ws.send(all_bytes.clone()).unwrap();
    assert_eq!(ws.read().unwrap().into_data(), all_bytes);
    let big: Vec<u8> = (0..1 << 20)
        .map(|i: u32| (i.wrapping_mul(7) >> 3) as u8)
        .collect();
    ws.send(big.clone()).unwrap();
    let back = ws.read().unwrap().into_data();
    assert!(back == big, "1 MiB echo differs");

    // Empty messages are messages too.
    ws.send("").unwrap();
    assert_eq!(ws.read().unwrap(), Message::text(""));
    ws.send(Vec::<u8>::new()).unwrap();
    assert_eq!(ws.read().unwrap(), Message::binary(Vec::<u8>::new()));

    ws.close(None).unwrap();
    server.stop(Duration::from_secs(5));
}

#[green::green]
fn echo_client(addr: SocketAddr, id: u32) -> Result<(), Error> {
    let mut ws = green::ws::connect(url(addr))?;
    for round in 0..3 {
        let text = format!("client {id} round {round}");
        ws.send(text.as_str())?;
        assert_eq!(ws.read()?, Message::text(text));
    }
    ws.close(None)
}

#[green::test]
fn a_thousand_clients_echo_concurrently_on_one_hub() {
    raise_nofile();
    let server = echo_server();
    let addr = server.local_addr();
    let start = Instant::now();
    let clients: Vec<_> = (0..1000)
        .map(|id| green::spawn(move || echo_client(addr, id)))
        .collect();
    for (id, result) in green::joinall(clients).into_iter().enumerate() {
        if let Err(error) = result.unwrap() {
            panic!("client {id}: {error}");
        }
    }
    let elapsed = start.elapsed();
    assert!(
        elapsed < Duration::from_secs(120),
        "1000 clients took {elapsed:?}"
    );
    server.stop(Duration::from_secs(5));
}

/// A chat room: each connection's writer is a task fed by a queue; what one
/// client says goes to every queue.
#[green::green]
fn chat_member(
    stream: TcpStream,
    room: Rc<RefCell<Vec<Queue<Message>>>>,
    joined: Queue<()>,
) -> Result<(), Error> {
    let (mut reader, mut writer) = green::ws::accept(stream)?.split();
    let outbox = Queue::new();
    room.borrow_mut().push(outbox.clone());
    let mut outgoing = outbox.clone();
    let sender = green::spawn(move || async move {
        for message in &mut outgoing {
            if writer.send(message).await.is_err() {
                return;
            }
        }
    });
    joined.put(()).unwrap();
    while let Ok(message) = reader.read() {
        if message.is_text() {
            let members: Vec<Queue<Message>> = room.borrow().clone();
            for member in members {
                member.put(message.clone()).unwrap();
            }
        }
    }
    outbox.close();
    sender.join().unwrap();
    Ok(())
}

#[green::test]
fn one_message_is_broadcast_to_every_client() {
    raise_nofile();
    let room: Rc<RefCell<Vec<Queue<Message>>>> = Rc::default();
    let joined = Queue::new();
    let (members, arrivals) = (room.clone(), joined.clone());
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream, _| chat_member(stream, members.clone(), arrivals.clone()))
        .unwrap();
    let addr = server.local_addr();

    const LISTENERS: usize = 1000;
    let listeners: Vec<_> = (0..LISTENERS)
        .map(|_| {
            green::spawn(move || async move {
                let mut ws = green::ws::connect(url(addr)).await.unwrap();
                ws.read().await
            })
        })
        .collect();
    // The speaker talks once everyone is in the room.
    for _ in 0..LISTENERS {
        joined.get().unwrap();
    }
    let mut speaker = green::ws::connect(url(addr)).unwrap();
    joined.get().unwrap();
    speaker.send("hello, room").unwrap();
    assert_eq!(speaker.read().unwrap(), Message::text("hello, room"));
    for (i, heard) in green::joinall(listeners).into_iter().enumerate() {
        assert_eq!(
            heard.unwrap().unwrap(),
            Message::text("hello, room"),
            "listener {i}"
        );
    }
    assert_eq!(room.borrow().len(), LISTENERS + 1);
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn pings_are_answered_both_ways() {
    // The client pings the echo server: the pong comes back by itself.
    let server = echo_server();
    let mut ws = green::ws::connect(url(server.local_addr())).unwrap();
    ws.send(Message::Ping(b"are you there"[..].into())).unwrap();
    assert_eq!(
        ws.read().unwrap(),
        Message::Pong(b"are you there"[..].into())
    );
    ws.close(None).unwrap();
    server.stop(Duration::from_secs(5));

    // The server pings a client that only reads: its pong reaches the server.
    let pongs = Queue::new();
    let seen = pongs.clone();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream, _| {
            let seen = seen.clone();
            async move {
                let mut ws = green::ws::accept(stream).await?;
                ws.send(Message::Ping(b"ping 1"[..].into())).await?;
                let reply = ws.read().await?;
                seen.put(reply).await.unwrap();
                ws.close(None).await
            }
        })
        .unwrap();
    let mut ws = green::ws::connect(url(server.local_addr())).unwrap();
    assert_eq!(ws.read().unwrap(), Message::Ping(b"ping 1"[..].into()));
    assert_eq!(pongs.get().unwrap(), Message::Pong(b"ping 1"[..].into()));
    assert!(ws.read().unwrap().is_close());
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn client_close_reaches_the_server_read() {
    let seen = Queue::new();
    let report = seen.clone();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream, _| {
            let report = report.clone();
            async move {
                let mut ws = green::ws::accept(stream).await?;
                let first = ws.read().await;
                let after = ws.read().await;
                report.put((first, after)).await.unwrap();
                Ok::<(), Error>(())
            }
        })
        .unwrap();
    let mut ws = green::ws::connect(url(server.local_addr())).unwrap();
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "bye".into(),
    };
    ws.close(Some(frame.clone())).unwrap();
    let (first, after) = seen.get().unwrap();
    assert_eq!(first.unwrap(), Message::Close(Some(frame)));
    assert!(matches!(after, Err(Error::ConnectionClosed)), "{after:?}");
    // The handshake is over on this side too.
    let after = ws.read();
    assert!(matches!(after, Err(Error::ConnectionClosed)), "{after:?}");
    let again = ws.read();
    assert!(matches!(again, Err(Error::AlreadyClosed)), "{again:?}");
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn server_close_reaches_the_client_read() {
    let closed = Event::new();
    let done = closed.clone();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream, _| {
            let done = done.clone();
            async move {
                let mut ws = green::ws::accept(stream).await?;
                let frame = CloseFrame {
                    code: CloseCode::Away,
                    reason: "shutting down".into(),
                };
                // Returns once the client's close came back.
                ws.close(Some(frame)).await?;
                done.set();
                Ok::<(), Error>(())
            }
        })
        .unwrap();
    let mut ws = green::ws::connect(url(server.local_addr())).unwrap();
    match ws.read().unwrap() {
        Message::Close(Some(frame)) => {
            assert_eq!(frame.code, CloseCode::Away);
            assert_eq!(frame.reason, "shutting down");
        }
        other => panic!("expected the server's close, got {other:?}"),
    }
    assert!(closed.wait_timeout(Duration::from_secs(10)));
    let after = ws.read();
    assert!(matches!(after, Err(Error::ConnectionClosed)), "{after:?}");
    server.stop(Duration::from_secs(5));
}

/// Reports what the server's first read gave under `config`.
#[green::green]
fn first_read_under(config: Config, send: Vec<u8>) -> Result<Message, Error> {
    let outcome = Queue::new();
    let report = outcome.clone();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream, _| {
            let report = report.clone();
            async move {
                let mut ws = green::ws::accept_with_config(stream, config).await?;
                report.put(ws.read().await).await.unwrap();
                Ok::<(), Error>(())
            }
        })
        .unwrap();
    let mut ws = green::ws::connect(url(server.local_addr())).unwrap();
    ws.send(send).unwrap();
    let result = outcome.get().unwrap();
    server.stop(Duration::from_secs(5));
    result
}

#[green::test]
fn oversized_messages_are_refused_with_a_typed_error() {
    let limit = Config::new().max_message_size(1024);
    match first_read_under(limit, vec![1; 2000]) {
        Err(Error::Capacity(CapacityError::MessageTooLong { size, max_size })) => {
            assert_eq!((size, max_size), (2000, 1024));
        }
        other => panic!("expected MessageTooLong, got {other:?}"),
    }
    // A message at the limit passes.
    assert_eq!(first_read_under(limit, vec![1; 1024]).unwrap().len(), 1024);

    let frame_limit = Config::new().max_frame_size(100);
    let over_frame = first_read_under(frame_limit, vec![2; 101]);
    assert!(
        matches!(
            over_frame,
            Err(Error::Capacity(CapacityError::MessageTooLong {
                size: 101,
                max_size: 100
            }))
        ),
        "frame over max_frame_size: {over_frame:?}"
    );
}

#[green::test]
fn client_side_limit_refuses_a_large_server_message() {
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(|stream, _| async move {
            let mut ws = green::ws::accept(stream).await?;
            ws.send(vec![9u8; 5000]).await?;
            while ws.read().await.is_ok() {}
            Ok::<(), Error>(())
        })
        .unwrap();
    let config = Config::new().max_message_size(4096);
    let mut ws = green::ws::connect_with_config(url(server.local_addr()), config).unwrap();
    let refused = ws.read();
    assert!(
        matches!(
            refused,
            Err(Error::Capacity(CapacityError::MessageTooLong {
                size: 5000,
                max_size: 4096
            }))
        ),
        "{refused:?}"
    );
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn split_reader_blocked_in_read_does_not_block_the_writer() {
    // The server answers only after it got three messages: the client's
    // reader is blocked in read while its writer sends them.
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(|stream, _| async move {
            let mut ws = green::ws::accept(stream).await?;
            let mut got = Vec::new();
            while got.len() < 3 {
                got.push(ws.read().await?.into_text()?.to_string());
            }
            ws.send(got.join(",")).await?;
            while ws.read().await.is_ok() {}
            Ok::<(), Error>(())
        })
        .unwrap();
    let (mut reader, mut writer) = green::ws::connect(url(server.local_addr()))
        .unwrap()
        .split();
    let reading = Event::new();
    let started = reading.clone();
    let read_task = green::spawn(move || async move {
        started.set();
        let answer = reader.read().await;
        (answer, reader)
    });
    let write_task = green::spawn(move || async move {
        reading.wait().await;
        green::sleep(Duration::from_millis(20)).await; // the reader is parked in read by now
        for word in ["one", "two", "three"] {
            writer.send(word).await?;
        }
        Ok::<_, Error>(writer)
    });
    let mut writer = write_task.join().unwrap().unwrap();
    let (answer, mut reader) = read_task.join().unwrap();
    assert_eq!(answer.unwrap(), Message::text("one,two,three"));

    writer.close(None).unwrap();
    assert!(reader.read().unwrap().is_close());
    let after = reader.read();
    assert!(matches!(after, Err(Error::ConnectionClosed)), "{after:?}");
}

#[green::test]
fn split_halves_stream_both_ways_at_once() {
    let server = echo_server();
    let (mut reader, mut writer) = green::ws::connect(url(server.local_addr()))
        .unwrap()
        .split();
    const COUNT: usize = 500;
    let payload = |i: usize| vec![(i % 251) as u8; 1000 + i * 37];
    let writing = green::spawn(move || async move {
        for i in 0..COUNT {
            writer.send(payload(i)).await?;
        }
        writer.close(None).await
    });
    let mut received = 0;
    loop {
        match reader.read() {
            Ok(Message::Binary(bytes)) => {
                assert!(bytes[..] == payload(received)[..], "message {received}");
                received += 1;
            }
            Ok(Message::Close(_)) => {}
            Ok(other) => panic!("unexpected {other:?}"),
            Err(Error::ConnectionClosed) => break,
            Err(error) => panic!("read: {error}"),
        }
    }
    assert_eq!(received, COUNT);
    writing.join().unwrap().unwrap();
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn connect_errors_are_typed() {
    // Nobody listens: an I/O error, not a panic.
    let listener = green::compat::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let refused = green::ws::connect(url(addr));
    assert!(matches!(refused, Err(Error::Io(_))), "{refused:?}");
    // Not a WebSocket URL.
    let not_ws = green::ws::connect("http://127.0.0.1:1/");
    assert!(matches!(not_ws, Err(Error::Url(_))), "{not_ws:?}");
    // A server that does not upgrade: an HTTP error with its response.
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(|mut stream: TcpStream, _| async move {
            use green::compat::io::{Read, Write};
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf).await;
            stream
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                .await
        })
        .unwrap();
    match green::ws::connect(url(server.local_addr())) {
        Err(Error::Http(response)) => assert_eq!(response.status(), 404),
        other => panic!("expected an HTTP error, got {other:?}"),
    }
    server.stop(Duration::from_secs(5));
}

/// `wss://`: `accept` on the TLS streams of `StreamServer::tls`, and
/// `connect_tls` trusting the test's own certificate.
#[cfg(feature = "tls")]
#[green::test]
fn wss_echo_over_compat_tls() {
    use green::compat::tls::{TlsAcceptor, TlsConnector};

    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (made.cert.pem(), made.signing_key.serialize_pem());
    let acceptor = TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes()).unwrap();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .tls(acceptor)
        .start(|tls, _| async move {
            let mut ws = green::ws::accept(tls).await?;
            loop {
                match ws.read().await {
                    Ok(message) if message.is_binary() => ws.send(message).await?,
                    Ok(_) => {}
                    Err(Error::ConnectionClosed) => return Ok(()),
                    Err(error) => return Err(error),
                }
            }
        })
        .unwrap();
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    let url = format!("wss://localhost:{}/", server.local_addr().port());
    let mut ws = green::ws::connect_tls(url.as_str(), Config::new(), &connector).unwrap();
    assert!(matches!(ws.get_ref(), green::ws::ClientStream::Tls(_)));
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
    ws.send(data.clone()).unwrap();
    assert!(ws.read().unwrap().into_data() == data);
    ws.close(None).unwrap();

    // The default connect trusts only the public roots: the handshake fails,
    // typed, not a panic.
    let untrusted = green::ws::connect(url.as_str());
    assert!(matches!(untrusted, Err(Error::Io(_))), "{untrusted:?}");
    server.stop(Duration::from_secs(5));
}

/// A split reader answers pings too: the pong goes out when it reads on.
#[green::test]
fn split_reader_answers_pings() {
    let pongs = Queue::new();
    let seen = pongs.clone();
    let closed = Event::new();
    let done = closed.clone();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream, _| {
            let (seen, done) = (seen.clone(), done.clone());
            async move {
                let mut ws = green::ws::accept(stream).await?;
                ws.send(Message::Ping(b"split"[..].into())).await?;
                seen.put(ws.read().await?).await.unwrap();
                ws.send("after the pong").await?;
                // Returns once the client's close reply came back.
                ws.close(None).await?;
                done.set();
                Ok::<(), Error>(())
            }
        })
        .unwrap();
    let (mut reader, _writer) = green::ws::connect(url(server.local_addr()))
        .unwrap()
        .split();
    assert_eq!(reader.read().unwrap(), Message::Ping(b"split"[..].into()));
    // The pong went out with the ping.
    assert_eq!(reader.read().unwrap(), Message::text("after the pong"));
    assert_eq!(pongs.get().unwrap(), Message::Pong(b"split"[..].into()));
    assert!(reader.read().unwrap().is_close());
    // The reader reads no more: its close reply went out all the same.
    assert!(
        closed.wait_timeout(Duration::from_secs(10)),
        "the split reader's close reply never went out"
    );
    server.stop(Duration::from_secs(5));
}
