//! The ports of eventlet's WebSocket examples (examples/eventlet_websocket.rs
//! and examples/eventlet_websocket_chat.rs), included as modules and driven
//! by green's WebSocket client on 127.0.0.1: the values `/data` pushes, and
//! the chat's broadcast to every participant, the sender included, as
//! eventlet's.

#[path = "../examples/eventlet_websocket.rs"]
#[allow(dead_code)]
mod eventlet_websocket;

#[path = "../examples/eventlet_websocket_chat.rs"]
#[allow(dead_code)]
mod eventlet_websocket_chat;

use std::time::{Duration, Instant};

use eventlet_websocket::Pace;
use green::compat::io::{Read, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::ws::{Error, Message};

/// GETs `path` (closing); the whole answer.
#[green::green]
fn get(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[green::test]
fn websocket_serves_its_page_and_pushes_numbered_random_values() {
    let pace = Pace {
        count: 25,
        every: Duration::from_millis(2),
    };
    let server = eventlet_websocket::start("127.0.0.1:0", pace).unwrap();
    let addr = server.local_addr();

    let page = get(addr, "/");
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(page.contains("content-type: text/html"), "{page}");
    assert!(page.contains("/data") && page.contains("new WebSocket"));

    let mut ws = green::ws::connect(format!("ws://{addr}/data")).unwrap();
    ws.send("hi").unwrap(); // as the original's page does; not read
    let mut values = Vec::new();
    loop {
        match ws.read() {
            Ok(Message::Text(line)) => values.push(line.to_string()),
            Ok(Message::Close(_)) => {}
            Ok(other) => panic!("unexpected {other:?}"),
            Err(Error::ConnectionClosed) => break,
            Err(err) => panic!("{err}"),
        }
    }
    assert_eq!(values.len(), 25);
    let mut distinct = std::collections::BTreeSet::new();
    for (i, line) in values.iter().enumerate() {
        let fields: Vec<&str> = line.strip_suffix('\n').unwrap().split(' ').collect();
        assert_eq!(fields.len(), 3, "{line:?}");
        assert_eq!(fields[0], "0");
        assert_eq!(fields[1], i.to_string());
        let value: f64 = fields[2].parse().unwrap();
        assert!((0.0..1.0).contains(&value), "{value}");
        distinct.insert(fields[2].to_owned());
    }
    assert!(distinct.len() > 20, "values should vary: {distinct:?}");
    server.stop(Duration::from_secs(5));
}

#[green::test]
fn websocket_paces_its_values() {
    let pace = Pace {
        count: 5,
        every: Duration::from_millis(100),
    };
    let server = eventlet_websocket::start("127.0.0.1:0", pace).unwrap();
    let mut ws = green::ws::connect(format!("ws://{}/data", server.local_addr())).unwrap();
    let began = Instant::now();
    for _ in 0..5 {
        assert!(ws.read().unwrap().is_text());
    }
    // Four pauses between five values (generous bounds: a loaded machine).
    let took = began.elapsed();
    assert!(took >= Duration::from_millis(350), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    server.stop(Duration::from_millis(100));
}

/// Reads the next text message.
#[green::green]
fn next_text(ws: &mut green::ws::WebSocket<green::ws::ClientStream>) -> String {
    match ws.read().unwrap() {
        Message::Text(text) => text.to_string(),
        other => panic!("expected text, got {other:?}"),
    }
}

#[green::test]
fn chat_serves_its_page_and_broadcasts_to_everyone_sender_included() {
    let (server, room) = eventlet_websocket_chat::start("127.0.0.1:0").unwrap();
    let addr = server.local_addr();

    let page = get(addr, "/");
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(page.contains("/chat") && page.contains("id=\"chatform\""));

    let url = format!("ws://{addr}/chat");
    // Each joins as the page does; seeing its own line back means it is in.
    let mut alice = green::ws::connect(url.as_str()).unwrap();
    alice.send("New participant joined").unwrap();
    assert_eq!(next_text(&mut alice), "New participant joined");
    let mut bob = green::ws::connect(url.as_str()).unwrap();
    bob.send("New participant joined").unwrap();
    assert_eq!(next_text(&mut bob), "New participant joined");
    assert_eq!(next_text(&mut alice), "New participant joined");
    assert_eq!(room.len(), 2);

    alice.send("hello bob").unwrap();
    assert_eq!(next_text(&mut alice), "hello bob"); // the sender too
    assert_eq!(next_text(&mut bob), "hello bob");
    bob.send("hi alice").unwrap();
    assert_eq!(next_text(&mut alice), "hi alice");
    assert_eq!(next_text(&mut bob), "hi alice");

    // Bob leaves: the room forgets him, Alice goes on alone.
    bob.close(None).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while room.len() != 1 {
        assert!(Instant::now() < deadline, "bob never left the room");
        green::sleep(Duration::from_millis(5));
    }
    alice.send("anyone?").unwrap();
    assert_eq!(next_text(&mut alice), "anyone?");

    alice.close(None).unwrap();
    server.stop(Duration::from_secs(5));
    assert_eq!(room.len(), 0);
}
