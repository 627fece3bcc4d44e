//! `green::ws::upgrade` from `green::http` handlers, on 127.0.0.1: echo
//! with green's own client, 250 upgraded clients at once, broadcast, plain
//! HTTP beside WebSocket on one server (and on one connection), refusals
//! that never run the handler, size limits, the close handshake both ways,
//! and `stop` with WebSockets open.

mod http_support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{BufRead, BufReader, Read, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::http::{Body, Request, Response, Server, ServerHandle, StatusCode, Upgraded};
use green::ws::{CapacityError, CloseCode, CloseFrame, Config, Error, Message, WebSocket};
use green::{Event, Queue};
use http_support::{h2_client, send};

/// What the test server's handlers report back to the test.
#[derive(Default)]
struct Lab {
    /// WebSocket handlers started.
    runs: Cell<usize>,
    /// The chat room: each member's id and outbox.
    room: RefCell<Vec<(usize, Queue<String>)>>,
    /// `(size, max_size)` of each message refused for its size.
    refused: Queue<(usize, usize)>,
    /// The close frames the echo handler received: `(code, reason)`.
    closes: Queue<(u16, String)>,
}

/// Echoes text and binary until the client closes; notes its close frame.
#[green::green]
fn echo(mut ws: WebSocket<Upgraded>, lab: Rc<Lab>) -> Result<(), Error> {
    loop {
        match ws.read()? {
            message @ (Message::Text(_) | Message::Binary(_)) => ws.send(message)?,
            Message::Close(frame) => {
                let (code, reason) = frame.map_or((0, String::new()), |f| {
                    (u16::from(f.code), f.reason.to_string())
                });
                lab.closes.put((code, reason)).ok();
            }
            _ => {}
        }
    }
}

/// A chat member: welcomed with its id, then every text it sends goes to
/// every other member (a writer task per member drains its outbox).
#[green::green]
fn member(ws: WebSocket<Upgraded>, lab: Rc<Lab>) -> Result<(), Error> {
    let id = lab.runs.get();
    let (mut reader, mut writer) = ws.split();
    let outbox = Queue::new();
    lab.room.borrow_mut().push((id, outbox.clone()));
    writer.send(format!("welcome {id}"))?;
    let writing = green::spawn(move || async move {
        while let Ok(text) = outbox.get().await {
            if writer.send(text).await.is_err() {
                break;
            }
        }
    });
    while let Ok(message) = reader.read() {
        if let Message::Text(text) = message {
            let others: Vec<Queue<String>> = lab
                .room
                .borrow()
                .iter()
                .filter(|(other, _)| *other != id)
                .map(|(_, outbox)| outbox.clone())
                .collect();
            for outbox in others {
                outbox.put(text.to_string()).ok();
            }
        }
    }
    lab.room.borrow_mut().retain(|(other, _)| *other != id);
    writing.kill();
    Ok(())
}

/// Reads one message, answers "ack", works a while, answers "done" and
/// closes: a handler still busy when the server is asked to stop.
#[green::green]
fn linger(mut ws: WebSocket<Upgraded>) -> Result<(), Error> {
    ws.read()?;
    ws.send("ack")?;
    green::sleep(Duration::from_millis(300));
    ws.send("done")?;
    ws.close(None)
}

/// Reads the first message under a 1 KiB limit; notes a refusal.
#[green::green]
fn small(mut ws: WebSocket<Upgraded>, lab: Rc<Lab>) -> Result<(), Error> {
    match ws.read() {
        Err(Error::Capacity(CapacityError::MessageTooLong { size, max_size })) => {
            lab.refused.put((size, max_size)).ok();
            Err(Error::Capacity(CapacityError::MessageTooLong {
                size,
                max_size,
            }))
        }
        other => other.map(drop),
    }
}

#[green::green]
fn app(req: Request, lab: Rc<Lab>) -> Response {
    let path = req.uri().path().to_owned();
    let counted = lab.clone();
    let start = move || counted.runs.set(counted.runs.get() + 1);
    match path.as_str() {
        "/" => Response::new(Body::from("hello")),
        "/echo" => green::ws::upgrade(req, move |ws| {
            start();
            echo(ws, lab)
        }),
        "/chat" => green::ws::upgrade(req, move |ws| {
            start();
            member(ws, lab)
        }),
        "/linger" => green::ws::upgrade(req, move |ws| {
            start();
            linger(ws)
        }),
        "/bye" => green::ws::upgrade(req, move |mut ws: WebSocket<Upgraded>| {
            start();
            async move {
                let frame = CloseFrame {
                    code: CloseCode::Away,
                    reason: "bye".into(),
                };
                ws.close(Some(frame)).await
            }
        }),
        "/small" => {
            let config = Config::new().max_message_size(1024);
            green::ws::upgrade_with_config(req, config, move |ws| {
                start();
                small(ws, lab)
            })
        }
        // Misuse: a continuation under an answer that does not switch.
        "/wrong" => Response::new(Body::upgrade(move |_| async move { start() })),
        _ => {
            let mut missing = Response::new(Body::from("not found"));
            *missing.status_mut() = StatusCode::NOT_FOUND;
            missing
        }
    }
}

#[green::green]
fn serve() -> (ServerHandle, Rc<Lab>) {
    let lab = Rc::new(Lab::default());
    let shared = lab.clone();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .start(move |req| app(req, shared.clone()))
        .unwrap();
    (server, lab)
}

fn url(addr: SocketAddr, path: &str) -> String {
    format!("ws://{addr}{path}")
}

/// An HTTP answer read off a raw connection.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| n == name);
        found.map(|(_, value)| value.as_str())
    }
}

/// Reads an answer's head, and its body if it has a content-length.
#[green::green]
fn read_reply(conn: &mut BufReader<TcpStream>) -> Reply {
    let mut line = String::new();
    conn.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        line.clear();
        conn.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    if let Some(len) = reply.header("content-length") {
        reply.body = vec![0; len.parse().unwrap()];
        conn.read_exact(&mut reply.body).unwrap();
    }
    reply
}

/// One raw request on a new connection; the answer.
#[green::green]
fn raw(addr: SocketAddr, request: &str) -> Reply {
    let mut conn = BufReader::new(TcpStream::connect(addr).unwrap());
    conn.get_mut().write_all(request.as_bytes()).unwrap();
    read_reply(&mut conn)
}

/// A browser's handshake for `path`, with RFC 6455's sample key.
fn handshake(method: &str, path: &str, extra: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nhost: test\r\nupgrade: websocket\r\n\
         connection: keep-alive, Upgrade\r\nsec-websocket-version: 13\r\n\
         sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n{extra}\r\n"
    )
}

/// A client's text frame: final, masked (as clients must).
fn masked_text(text: &str) -> Vec<u8> {
    assert!(text.len() < 126);
    let mask = [0x12, 0x34, 0x56, 0x78];
    let mut frame = vec![0x81, 0x80 | text.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(text.bytes().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

#[green::test]
fn echo_through_upgrade_with_a_rust_client() {
    let (server, lab) = serve();
    let mut ws = green::ws::connect(url(server.local_addr(), "/echo")).unwrap();
    let text = "héllo, wörld ✓".repeat(50);
    ws.send(text.as_str()).unwrap();
    assert_eq!(ws.read().unwrap(), Message::text(text));
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    ws.send(bytes.clone()).unwrap();
    assert_eq!(ws.read().unwrap().into_data(), bytes);
    ws.close(None).unwrap();
    assert_eq!(lab.runs.get(), 1);
    server.stop(Duration::from_secs(5));
}

#[green::green]
fn echo_client(addr: SocketAddr, id: usize) -> Result<usize, Error> {
    let mut ws = green::ws::connect(url(addr, "/echo"))?;
    for round in 0..5 {
        let text = format!("client {id} round {round}");
        ws.send(text.as_str())?;
        assert_eq!(ws.read()?, Message::text(text));
    }
    ws.close(None)?;
    Ok(id)
}

#[green::test]
fn two_hundred_fifty_upgraded_clients_echo_at_once() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 2048 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(2048), hard);
    }
    let (server, lab) = serve();
    let addr = server.local_addr();
    let started = Instant::now();
    let clients: Vec<_> = (0..250)
        .map(|id| green::spawn(move || echo_client(addr, id)))
        .collect();
    let mut done: Vec<usize> = green::joinall(clients)
        .into_iter()
        .map(|joined| joined.unwrap().unwrap())
        .collect();
    done.sort_unstable();
    assert_eq!(done, (0..250).collect::<Vec<_>>());
    assert_eq!(lab.runs.get(), 250);
    assert!(started.elapsed() < Duration::from_secs(30));
    server.stop(Duration::from_secs(5));
    assert_eq!(server.connections(), 0);
}

#[green::test]
fn broadcast_reaches_every_other_member_and_not_the_sender() {
    let (server, lab) = serve();
    let mut members = Vec::new();
    for _ in 0..4 {
        let mut ws = green::ws::connect(url(server.local_addr(), "/chat")).unwrap();
        let welcome = ws.read().unwrap().into_text().unwrap();
        assert!(welcome.starts_with("welcome "), "{welcome}");
        members.push(ws);
    }
    assert_eq!(lab.room.borrow().len(), 4);

    members[0].send("from 0").unwrap();
    for ws in &mut members[1..] {
        assert_eq!(ws.read().unwrap(), Message::text("from 0"));
    }
    // The sender did not get its own: its next message is member 1's.
    members[1].send("from 1").unwrap();
    assert_eq!(members[0].read().unwrap(), Message::text("from 1"));
    for ws in &mut members[2..] {
        assert_eq!(ws.read().unwrap(), Message::text("from 1"));
    }

    for mut ws in members {
        ws.close(None).unwrap();
    }
    server.stop(Duration::from_secs(5));
    assert!(lab.room.borrow().is_empty());
}

#[green::test]
fn plain_http_is_answered_beside_websockets() {
    let (server, _lab) = serve();
    let addr = server.local_addr();
    let mut ws = green::ws::connect(url(addr, "/echo")).unwrap();
    let plain = raw(
        addr,
        "GET / HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n",
    );
    assert_eq!((plain.status, plain.body.as_slice()), (200, &b"hello"[..]));
    let missing = raw(addr, "GET /nowhere HTTP/1.1\r\nhost: test\r\n\r\n");
    assert_eq!(missing.status, 404);
    ws.send("still here").unwrap();
    assert_eq!(ws.read().unwrap(), Message::text("still here"));
    ws.close(None).unwrap();
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn a_keep_alive_connection_upgrades_and_early_frames_arrive() {
    let (server, lab) = serve();
    let mut conn = BufReader::new(TcpStream::connect(server.local_addr()).unwrap());
    conn.get_mut()
        .write_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
        .unwrap();
    let first = read_reply(&mut conn);
    assert_eq!((first.status, first.body.as_slice()), (200, &b"hello"[..]));

    // The handshake and a frame in one write: the frame is read with the
    // request and must still reach the WebSocket.
    let mut bytes = handshake("GET", "/echo", "").into_bytes();
    bytes.extend(masked_text("early"));
    conn.get_mut().write_all(&bytes).unwrap();
    let switched = read_reply(&mut conn);
    assert_eq!(switched.status, 101);
    assert_eq!(switched.header("upgrade"), Some("websocket"));
    // RFC 6455's worked example of the accept key.
    assert_eq!(
        switched.header("sec-websocket-accept"),
        Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    );
    let mut frame = [0u8; 7];
    conn.read_exact(&mut frame).unwrap();
    assert_eq!(&frame, b"\x81\x05early");
    assert_eq!(lab.runs.get(), 1);
    server.stop(Duration::from_millis(200));
}

#[green::test]
fn requests_that_are_not_upgrades_are_refused_and_never_run_the_handler() {
    let (server, lab) = serve();
    let addr = server.local_addr();

    let plain = raw(addr, "GET /echo HTTP/1.1\r\nhost: test\r\n\r\n");
    assert_eq!(plain.status, 426);
    assert_eq!(plain.header("upgrade"), Some("websocket"));
    assert!(String::from_utf8_lossy(&plain.body).contains("WebSocket"));

    let other = raw(
        addr,
        "GET /echo HTTP/1.1\r\nhost: test\r\nconnection: upgrade\r\nupgrade: h2c\r\n\r\n",
    );
    assert_eq!(other.status, 426);

    let old = raw(
        addr,
        &handshake("GET", "/echo", "").replace("-version: 13", "-version: 8"),
    );
    assert_eq!(old.status, 426);
    assert_eq!(old.header("sec-websocket-version"), Some("13"));

    let post = raw(addr, &handshake("POST", "/echo", "content-length: 0\r\n"));
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET"));

    let bad_key = raw(
        addr,
        &handshake("GET", "/echo", "").replace("dGhlIHNhbXBsZSBub25jZQ==", "nope"),
    );
    assert_eq!(bad_key.status, 400);

    // green's client sees the refusal as a typed HTTP error.
    match green::ws::connect(url(addr, "/nowhere")) {
        Err(Error::Http(response)) => assert_eq!(response.status(), 404),
        other => panic!("expected Error::Http, got {other:?}"),
    }

    // HTTP/2 (h2c by prior knowledge): the documented refusal.
    let sender = h2_client(TcpStream::connect(addr).unwrap());
    assert_eq!(send(sender, "GET", "/echo", Vec::new()).status, 505);

    assert_eq!(lab.runs.get(), 0);
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn an_upgrade_body_that_cannot_switch_is_answered_500() {
    let (server, lab) = serve();
    let addr = server.local_addr();
    // Asked to switch, answered 200 with a continuation.
    let asked = raw(addr, &handshake("GET", "/wrong", ""));
    assert_eq!(asked.status, 500);
    // Not asked to switch at all.
    let plain = raw(addr, "GET /wrong HTTP/1.1\r\nhost: test\r\n\r\n");
    assert_eq!(plain.status, 500);
    assert_eq!(lab.runs.get(), 0);
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn a_message_over_the_limit_is_refused_with_the_typed_error() {
    let (server, lab) = serve();
    let mut ws = green::ws::connect(url(server.local_addr(), "/small")).unwrap();
    ws.send(vec![7u8; 2000]).unwrap();
    assert_eq!(lab.refused.get().unwrap(), (2000, 1024));
    // The server gave up on the connection.
    assert!(ws.read().is_err());
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn the_close_handshake_completes_both_ways() {
    let (server, lab) = serve();
    let addr = server.local_addr();

    // The server closes: the client sees its code and reason.
    let mut ws = green::ws::connect(url(addr, "/bye")).unwrap();
    match ws.read().unwrap() {
        Message::Close(Some(frame)) => {
            assert_eq!(frame.code, CloseCode::Away);
            assert_eq!(frame.reason, "bye");
        }
        other => panic!("expected a close frame, got {other:?}"),
    }
    let end = ws.read();
    assert!(matches!(end, Err(Error::ConnectionClosed)), "{end:?}");

    // The client closes: the handler sees its code, and the client's
    // `close` returns once the server's reply came back.
    let mut ws = green::ws::connect(url(addr, "/echo")).unwrap();
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "done".into(),
    };
    ws.close(Some(frame)).unwrap();
    assert_eq!(lab.closes.get().unwrap(), (1000, "done".to_owned()));
    server.stop(Duration::from_secs(5));
    assert_eq!(server.connections(), 0);
}

#[green::test]
fn stop_waits_for_a_busy_websocket_then_ends_idle_ones_at_the_timeout() {
    let (server, _lab) = serve();
    let addr = server.local_addr();

    // A handler at work: stop waits for it to finish.
    let mut busy = green::ws::connect(url(addr, "/linger")).unwrap();
    busy.send("go").unwrap();
    assert_eq!(busy.read().unwrap(), Message::text("ack"));
    let stopping = Rc::new(Event::new());
    let stopped = stopping.clone();
    let handle = Rc::new(server);
    let stopper = handle.clone();
    let stop = green::spawn(move || async move {
        stopped.set();
        let began = Instant::now();
        stopper.stop(Duration::from_secs(20)).await;
        began.elapsed()
    });
    stopping.wait();
    assert_eq!(busy.read().unwrap(), Message::text("done"));
    assert!(busy.read().unwrap().is_close());
    let waited = stop.join().unwrap();
    assert!(waited < Duration::from_secs(15), "stop waited {waited:?}");
    assert_eq!(handle.connections(), 0);

    // Handlers that would wait forever: ended when the timeout runs out.
    let (server, lab) = serve();
    let addr = server.local_addr();
    let mut idle: Vec<_> = (0..3)
        .map(|_| green::ws::connect(url(addr, "/echo")).unwrap())
        .collect();
    for ws in &mut idle {
        ws.send("ping").unwrap();
        assert_eq!(ws.read().unwrap(), Message::text("ping"));
    }
    assert_eq!(server.connections(), 3);
    let began = Instant::now();
    server.stop(Duration::from_millis(300));
    let took = began.elapsed();
    assert!(took >= Duration::from_millis(250), "stop took {took:?}");
    assert!(took < Duration::from_secs(10), "stop took {took:?}");
    assert_eq!(server.connections(), 0);
    for ws in &mut idle {
        assert!(ws.read().is_err(), "the connection should be gone");
    }
    assert_eq!(lab.runs.get(), 3);
}
