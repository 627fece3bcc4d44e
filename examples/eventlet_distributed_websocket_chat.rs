//! eventlet's `distributed_websocket_chat.py` on green: a WebSocket chat
//! served by several servers at once. Each server publishes what its own
//! participants say to a bridge (`eventlet_chat_bridge`) and subscribes to
//! what the bridge forwards, so a participant on any server hears everyone
//! on every server. `GET /` gives the chat page; `/chat` is the WebSocket.
//!
//! As the original: a new participant is greeted with
//! `Connected as <id>, change name with 'name: new_name'`; each message
//! comes back to its sender as `you said: <message>` and to everyone else
//! as `<name> says: <message>` (the id until a name is set); `name: bob`
//! sets a name and tells everyone `Changed name from <old>`.
//!
//! What differs, and why:
//! - The original talks to the bridge with ZeroMQ PUB and SUB sockets and
//!   pickled `(sender, message)` pairs. green has no ZeroMQ: here the
//!   server keeps two compat `TcpStream`s to the bridge, one to publish on
//!   and one to read from, and a message is one line of JSON
//!   (`{"id", "name", "text"}`), which the line-based bridge forwards as
//!   it is. Unlike ZeroMQ, a lost bridge is not reconnected: the server
//!   says so and its participants hear only silence.
//! - Each participant has an outbox written by its own green task, so a
//!   slow browser holds up nobody; the original sends to each in turn from
//!   the one task reading the bridge.
//! - Ids are this server's random tag and a count (the original uses
//!   uuid1): unique across servers, short to read.
//! - The page shows messages as text (the original inserts them as HTML,
//!   letting one participant script another's page) and asks the server
//!   it came from for the WebSocket, whatever its address.
//!
//! ```text
//! cargo run --example eventlet_chat_bridge                 # 127.0.0.1:12345 in, 127.0.0.1:12346 out
//! cargo run --example eventlet_distributed_websocket_chat -- 127.0.0.1:12345 127.0.0.1:12346 7000
//! cargo run --example eventlet_distributed_websocket_chat -- 127.0.0.1:12345 127.0.0.1:12346 7001
//! # open http://127.0.0.1:7000/ and http://127.0.0.1:7001/
//! ```

use std::cell::{Cell, RefCell};
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::io::{self, Result};
use std::rc::Rc;

use green::compat::io::{BufRead, BufReader, Write};
use green::compat::net::TcpStream;
use green::http::header::{CONTENT_TYPE, HeaderValue};
use green::http::{Body, Request, Response, Server, ServerHandle, Upgraded};
use green::ws::{Message, ReadHalf, WebSocket, WriteHalf};
use serde_json::{Value, json};

/// The longest line the bridge takes (its `MAX_LINE`); a message that
/// would make a longer one is refused here rather than cost this server
/// its connection to the bridge.
pub(crate) const MAX_LINE: usize = 64 * 1024;

/// How many messages a participant's outbox holds before messages for it
/// are dropped (a browser that stopped reading).
pub(crate) const OUTBOX: usize = 1000;

/// A participant on this server.
#[derive(Debug)]
struct Participant {
    id: String,
    name: RefCell<Option<String>>,
    outbox: green::Queue<String>,
}

impl Participant {
    /// The name, or the id until a name is set (the original's `IDName`).
    fn shown_as(&self) -> String {
        self.name
            .borrow()
            .clone()
            .unwrap_or_else(|| self.id.clone())
    }
}

/// One chat server: its participants and its link to the bridge.
#[derive(Debug)]
pub(crate) struct ChatServer {
    tag: String,
    next_id: Cell<u64>,
    participants: RefCell<Vec<Rc<Participant>>>,
    /// Lines for the bridge, written by one task so lines never interleave.
    to_bridge: green::Queue<String>,
}

impl ChatServer {
    /// How many participants are connected to this server.
    pub(crate) fn participants(&self) -> usize {
        self.participants.borrow().len()
    }

    /// A new participant, greeted and in the list; the greeting is in its
    /// outbox before any message from the bridge can be.
    fn join(&self) -> Rc<Participant> {
        let n = self.next_id.get();
        self.next_id.set(n + 1);
        let participant = Rc::new(Participant {
            id: format!("{}-{n}", self.tag),
            name: RefCell::new(None),
            outbox: green::Queue::bounded(OUTBOX),
        });
        let greeting = format!(
            "Connected as {}, change name with 'name: new_name'",
            participant.id
        );
        let _ = participant.outbox.try_put(greeting);
        self.participants.borrow_mut().push(participant.clone());
        participant
    }

    fn leave(&self, participant: &Participant) {
        participant.outbox.close();
        self.participants
            .borrow_mut()
            .retain(|p| p.id != participant.id);
    }

    /// Sends what `from` said to the bridge (and so to every server, this
    /// one included). False if the message is too long to send.
    fn publish(&self, from: &Participant, text: &str) -> bool {
        let line = json!({ "id": from.id, "name": *from.name.borrow(), "text": text }).to_string();
        if line.len() >= MAX_LINE {
            return false;
        }
        self.to_bridge.try_put(line + "\n").is_ok()
    }

    /// Gives a message the bridge forwarded to every participant here, as
    /// each should see it.
    fn distribute(&self, line: &str) {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            eprintln!("not a chat message from the bridge: {line}");
            return;
        };
        let (Some(id), Some(text)) = (message["id"].as_str(), message["text"].as_str()) else {
            eprintln!("not a chat message from the bridge: {line}");
            return;
        };
        let sender = message["name"].as_str().unwrap_or(id);
        for participant in self.participants.borrow().iter() {
            let shown = if participant.id == id {
                format!("you said: {text}")
            } else {
                format!("{sender} says: {text}")
            };
            // Full: that browser stopped reading and loses this one.
            let _ = participant.outbox.try_put(shown);
        }
    }
}

/// Connects a chat server to the bridge: publishing to `pub_addr` (the
/// bridge's in side), subscribed to `sub_addr` (its out side).
#[green::green]
pub(crate) fn connect_to_bridge(pub_addr: &str, sub_addr: &str) -> Result<Rc<ChatServer>> {
    let publish = TcpStream::connect(pub_addr)?;
    let subscribe = TcpStream::connect(sub_addr)?;
    let tag = RandomState::new().hash_one(std::process::id()) as u32;
    let server = Rc::new(ChatServer {
        tag: format!("{tag:08x}"),
        next_id: Cell::new(1),
        participants: RefCell::new(Vec::new()),
        to_bridge: green::Queue::bounded(OUTBOX),
    });
    let lines = server.to_bridge.clone();
    green::spawn(move || publish_to_bridge(lines, publish));
    let distributor = server.clone();
    green::spawn(move || subscribe_and_distribute(distributor, subscribe));
    Ok(server)
}

/// Writes the queued lines to the bridge.
#[green::green]
fn publish_to_bridge(lines: green::Queue<String>, bridge: TcpStream) {
    while let Some(line) = lines.next() {
        if let Err(e) = (&bridge).write_all(line.as_bytes()) {
            eprintln!("lost the bridge (publishing): {e}");
            lines.close();
        }
    }
}

/// Reads what the bridge forwards and hands it to this server's
/// participants (the original's `subscribe_and_distribute`).
#[green::green]
fn subscribe_and_distribute(server: Rc<ChatServer>, bridge: TcpStream) {
    let mut lines = BufReader::new(bridge);
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line) {
            Ok(0) => break eprintln!("lost the bridge (subscribed): it hung up"),
            Ok(_) => server.distribute(line.trim_end()),
            Err(e) => break eprintln!("lost the bridge (subscribed): {e}"),
        }
    }
}

/// One participant's WebSocket, from its greeting until it hangs up (the
/// original's `handle`).
#[green::green]
pub(crate) fn participant(server: Rc<ChatServer>, ws: WebSocket<Upgraded>) {
    let me = server.join();
    println!("{} joined ({} here)", me.id, server.participants());
    let (mut reader, writer) = ws.split();
    let outbox = me.outbox.clone();
    let writer = KillOnDrop(green::spawn(move || write_outbox(outbox, writer)));
    read_messages(&server, &me, &mut reader);
    server.leave(&me);
    drop(writer);
    println!("{} left ({} here)", me.shown_as(), server.participants());
}

/// What the participant says, published until it hangs up.
#[green::green]
fn read_messages(server: &ChatServer, me: &Participant, reader: &mut ReadHalf<Upgraded>) {
    loop {
        let text = match reader.read() {
            Ok(Message::Text(text)) => text.to_string(),
            Ok(Message::Close(_)) | Err(_) => return,
            Ok(_) => continue, // binary, ping, pong: not chat
        };
        let text = match text.strip_prefix("name:") {
            Some(new_name) => {
                let old = me.shown_as();
                *me.name.borrow_mut() = Some(new_name.trim().to_owned());
                format!("Changed name from {old}")
            }
            None => text,
        };
        if !server.publish(me, &text) {
            let refused = format!("not sent: over {MAX_LINE} bytes, or the bridge is gone");
            let _ = me.outbox.try_put(refused);
        }
    }
}

/// Sends the participant's outbox to its browser.
#[green::green]
fn write_outbox(outbox: green::Queue<String>, mut writer: WriteHalf<Upgraded>) {
    while let Some(text) = outbox.next() {
        if writer.send(text).is_err() {
            return;
        }
    }
    let _ = writer.close(None);
}

/// Kills the outbox writer when its participant leaves: a writer stuck on a
/// browser that stopped reading would otherwise linger.
struct KillOnDrop(green::Greenlet<()>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        self.0.kill_nowait();
    }
}

/// The app: the page at `/`, the WebSocket at `/chat` (the original's
/// `dispatch`).
#[green::green]
pub(crate) fn dispatch(server: Rc<ChatServer>, req: Request) -> Response {
    if req.uri().path() == "/chat" {
        return green::ws::upgrade(req, move |ws| participant(server, ws));
    }
    let mut page = Response::new(Body::from(PAGE));
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    page.headers_mut().insert(CONTENT_TYPE, html);
    page
}

const PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Chat!</title>
</head>
<body>
<h3>Chat!</h3>
<div id="chat" style="width: 60em; height: 20em; overflow: auto; border: 1px solid black"></div>
<form id="chatform">
<input type="text" id="line" autofocus>
<input type="submit" value="Send">
</form>
<script>
const chat = document.getElementById("chat");
const line = document.getElementById("line");
const s = new WebSocket(`ws://${location.host}/chat`);
s.onopen = () => s.send("New participant joined");
s.onmessage = (e) => {
  const div = document.createElement("div");
  div.textContent = e.data;
  chat.appendChild(div);
  chat.scrollTop = chat.scrollHeight;
};
document.getElementById("chatform").addEventListener("submit", (e) => {
  e.preventDefault();
  s.send(line.value);
  line.value = "";
});
</script>
</body>
</html>
"#;

/// Starts a chat server on `addr` joined to the bridge.
#[green::green]
pub(crate) fn start(
    addr: &str,
    pub_addr: &str,
    sub_addr: &str,
) -> Result<(ServerHandle, Rc<ChatServer>)> {
    let chat = connect_to_bridge(pub_addr, sub_addr)?;
    println!("Publishing to {pub_addr}");
    println!("Subscribing to {sub_addr}");
    let app = chat.clone();
    let server = Server::bind(addr)?.start(move |req| dispatch(app.clone(), req))?;
    Ok((server, chat))
}

#[green::main]
fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [pub_addr, sub_addr, port] = &args[..] else {
        eprintln!("usage: eventlet_distributed_websocket_chat PUB_ADDR SUB_ADDR PORT");
        std::process::exit(1);
    };
    let Ok(port) = port.parse::<u16>() else {
        let e = format!("port {port:?} is not a number");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, e));
    };
    let (server, _chat) = start(&format!("127.0.0.1:{port}"), pub_addr, sub_addr)?;
    println!(
        "\nVisit http://{}/ in your websocket-capable browser.\n",
        server.local_addr()
    );
    green::sleep(std::time::Duration::MAX);
    Ok(())
}
