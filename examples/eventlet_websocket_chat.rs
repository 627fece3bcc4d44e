//! eventlet's `websocket_chat.py` on green: a chat page at `/` and a
//! WebSocket at `/chat` that sends each message to every participant, the
//! sender included (that is how the page shows your own lines), as the
//! original does. eventlet's `WebSocketWSGI` is `green::ws::upgrade`.
//!
//! ```text
//! cargo run --example eventlet_websocket_chat -- [ADDR]   # default 127.0.0.1:7000
//! ```
//!
//! then open `http://127.0.0.1:7000/` in two browser windows. What differs:
//! eventlet sends to each participant from the sender's greenlet; here each
//! participant has an outbox that its own writer task drains, so a slow
//! browser holds up nobody and the shared list is never borrowed across a
//! green call. The page uses no jQuery (nothing leaves the machine) and
//! shows messages as text, not HTML.

use std::cell::{Cell, RefCell};
use std::io::Result;
use std::rc::Rc;

use green::Queue;
use green::http::header::{CONTENT_TYPE, HeaderValue};
use green::http::{Body, Request, Response, Server, ServerHandle, Upgraded};
use green::ws::{Message, WebSocket};

/// The chat page: what arrives is appended to `#chat`; the form sends a line.
/// Opening sends `New participant joined`, as the original's.
pub(crate) const PAGE: &str = r##"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Chat!</title>
<script>
window.onload = function () {
  var s = new WebSocket("ws://" + location.host + "/chat");
  s.onopen = function () { s.send("New participant joined"); };
  s.onmessage = function (e) {
    var line = document.createElement("div");
    line.textContent = e.data;
    document.getElementById("chat").appendChild(line);
  };
  document.getElementById("chatform").onsubmit = function () {
    var input = document.querySelector("#chatform [type=text]");
    s.send(input.value);
    input.value = "";
    return false;
  };
};
</script>
</head>
<body>
<h3>Chat!</h3>
<div id="chat" style="width: 40em; height: 15em; overflow: auto; border: 1px solid black"></div>
<form id="chatform">
<input type="text" />
<input type="submit" />
</form>
</body>
</html>
"##;

/// One participant as the room knows it.
struct Participant {
    id: u64,
    /// What its writer task sends to its browser.
    outbox: Queue<String>,
}

/// The participants (eventlet's `participants` set). One hub, so a
/// `RefCell` and no lock.
#[derive(Clone, Default)]
pub(crate) struct Room {
    participants: Rc<RefCell<Vec<Participant>>>,
    next_id: Rc<Cell<u64>>,
}

impl Room {
    /// How many are in the room now (what the tests check).
    #[allow(dead_code)]
    pub(crate) fn len(&self) -> usize {
        self.participants.borrow().len()
    }

    fn join(&self) -> (u64, Queue<String>) {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        let outbox = Queue::new();
        let outbox_kept = outbox.clone();
        let joined = Participant {
            id,
            outbox: outbox_kept,
        };
        self.participants.borrow_mut().push(joined);
        (id, outbox)
    }

    fn leave(&self, id: u64) {
        self.participants.borrow_mut().retain(|p| p.id != id);
    }

    /// Everyone's outbox, taken out of the borrow before anything is put.
    fn outboxes(&self) -> Vec<Queue<String>> {
        let participants = self.participants.borrow();
        participants.iter().map(|p| p.outbox.clone()).collect()
    }
}

/// One participant: joins the room, sends every text it gets to everyone
/// (itself included), leaves when the browser goes.
#[green::green]
pub(crate) fn participant(ws: WebSocket<Upgraded>, room: Room) {
    let (id, outbox) = room.join();
    let (mut reader, mut writer) = ws.split();
    let writing = green::spawn(move || async move {
        while let Ok(text) = outbox.get().await {
            if writer.send(text).await.is_err() {
                break; // the browser went away; the reader sees it too
            }
        }
    });
    while let Ok(message) = reader.read() {
        if let Message::Text(text) = message {
            for outbox in room.outboxes() {
                outbox.put(text.to_string()).ok();
            }
        }
    }
    room.leave(id);
    writing.kill();
}

/// The app: the WebSocket at `/chat`, the page anywhere else (as the
/// original's `dispatch`).
#[green::green]
pub(crate) fn dispatch(req: Request, room: Room) -> Response {
    if req.uri().path() == "/chat" {
        return green::ws::upgrade(req, move |ws| participant(ws, room));
    }
    let mut response = Response::new(Body::from(PAGE));
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    response.headers_mut().insert(CONTENT_TYPE, html);
    response
}

/// Starts the chat on `addr` in the background, with its room.
#[green::green]
pub(crate) fn start(addr: &str) -> Result<(ServerHandle, Room)> {
    let room = Room::default();
    let shared = room.clone();
    let server = Server::bind(addr)?.start(move |req| dispatch(req, shared.clone()))?;
    Ok((server, room))
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7000".to_owned());
    let server = Server::bind(addr.as_str())?;
    println!(
        "\nVisit http://{}/ in your websocket-capable browser.\n",
        server.local_addr()?
    );
    let room = Room::default();
    server.serve(move |req| dispatch(req, room.clone()))
}
