//! gevent's `webchat/` on green: a chat page whose browser long-polls for
//! new messages. `GET /` gives the page with the recent messages;
//! `POST /a/message/new` (form field `body`, and `from` for a name) adds a
//! message and answers with it as JSON; `POST /a/message/updates` (form
//! field `cursor`, the id of the last message the page has) answers with
//! `{"messages": [...]}`, the messages newer than the cursor, as soon as
//! there is one: at once if the page missed some, else when the next one
//! is posted.
//!
//! The original is a Django app on gevent's WSGI server; its view module
//! keeps the last 200 messages in a list and wakes the waiting pollers
//! with `Event.set(); Event.clear()`. Here the views are one `#[green]` fn
//! on `green::http::Server`, the list and the event live in a
//! [`MessageBuffer`] made in `main` (not a module global), and a poller
//! waiting in `Event::wait_timeout` holds only its connection's green task.
//!
//! What differs, and why:
//! - The cursor comes in the poll's body, as in the Tornado chat demo the
//!   original's page script comes from, instead of a Django session: no
//!   session store is needed, and a page holds its own place.
//! - Message ids count up from 1 (the original uses uuid4), so "newer than
//!   the cursor" is a comparison; a cursor the server never gave (from
//!   before a restart) gets every cached message, as the original answers
//!   a cursor it cannot find.
//! - `from` is a name the page sends ("Anonymous" when empty): a
//!   `green::http` handler is not given the peer's address, which the
//!   original shows instead.
//! - A poll waits at most `poll_timeout` (default 30 s) and then answers
//!   `{"messages": []}`; the page polls again. The original waits for
//!   ever, which proxies and browsers cut short anyway.
//! - The page is plain HTML and `fetch` (the original loads jQuery from a
//!   CDN); bodies are encoded with serde_json, since a message's text is the
//!   user's and must be escaped exactly.
//!
//! ```text
//! cargo run --example webchat -- [ADDR]   # default 127.0.0.1:8000
//! # open http://127.0.0.1:8000/ in two browser windows
//! ```

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::Result;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::http::header::{CONTENT_TYPE, HeaderValue};
use green::http::{Body, Method, Request, Response, Server, ServerHandle, StatusCode};
use serde_json::{Value, json};

/// How many recent messages the buffer keeps (the original's
/// `MESSAGES_SIZE`).
pub(crate) const MESSAGES_SIZE: usize = 200;

/// How long a poll waits for a new message before answering with none.
pub(crate) const POLL_TIMEOUT: Duration = Duration::from_secs(30);

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message {
    pub(crate) id: u64,
    pub(crate) from: String,
    pub(crate) body: String,
}

impl Message {
    /// The message as the page shows it (the original's `message.html`).
    pub(crate) fn html(&self) -> String {
        format!(
            "<div class=\"message\" id=\"m{}\"><b>{}: </b>{}</div>",
            self.id,
            escape(&self.from),
            escape(&self.body)
        )
    }

    /// The message as the JSON answers carry it: the original's keys, the
    /// id as a string as the original's uuid is.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "from": self.from,
            "body": self.body,
            "html": self.html(),
        })
    }
}

/// The recent messages and the event that wakes the pollers waiting for
/// the next one. Shared by every request of the server's hub through an
/// `Rc`: green tasks of one hub need no lock.
#[derive(Debug)]
pub(crate) struct MessageBuffer {
    messages: RefCell<VecDeque<Message>>,
    size: usize,
    next_id: Cell<u64>,
    new_message: green::Event,
    poll_timeout: Duration,
}

impl MessageBuffer {
    /// A buffer keeping the last `size` messages, whose polls wait at most
    /// `poll_timeout`.
    pub(crate) fn new(size: usize, poll_timeout: Duration) -> Self {
        MessageBuffer {
            messages: RefCell::new(VecDeque::with_capacity(size)),
            size,
            next_id: Cell::new(1),
            new_message: green::Event::new(),
            poll_timeout,
        }
    }

    /// Adds a message, forgets the oldest beyond the buffer's size and
    /// wakes every waiting poller.
    pub(crate) fn post(&self, from: &str, body: &str) -> Message {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let from = if from.trim().is_empty() {
            "Anonymous"
        } else {
            from.trim()
        };
        let message = Message {
            id,
            from: from.to_owned(),
            body: body.to_owned(),
        };
        let mut messages = self.messages.borrow_mut();
        messages.push_back(message.clone());
        while messages.len() > self.size {
            messages.pop_front();
        }
        drop(messages);
        // gevent's idiom: `set` wakes the tasks waiting now, `clear` makes
        // the next poll wait for the next message.
        self.new_message.set();
        self.new_message.clear();
        message
    }

    /// The cached messages, oldest first.
    pub(crate) fn messages(&self) -> Vec<Message> {
        self.messages.borrow().iter().cloned().collect()
    }

    /// The id of the newest message, 0 when there is none.
    pub(crate) fn last_id(&self) -> u64 {
        self.messages.borrow().back().map_or(0, |m| m.id)
    }

    /// The cached messages newer than `cursor`; all of them if `cursor` is
    /// not one this buffer gave out.
    pub(crate) fn since(&self, cursor: u64) -> Vec<Message> {
        let messages = self.messages.borrow();
        let given_out = self.next_id.get() - 1;
        messages
            .iter()
            .filter(|m| cursor > given_out || m.id > cursor)
            .cloned()
            .collect()
    }

    /// The messages newer than `cursor`, waiting for the next one if there
    /// are none yet; empty if none came within the poll timeout.
    #[green::green]
    pub(crate) fn updates(&self, cursor: u64) -> Vec<Message> {
        let deadline = Instant::now() + self.poll_timeout;
        loop {
            let new = self.since(cursor);
            if !new.is_empty() {
                return new;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || !self.new_message.wait_timeout(left) {
                return Vec::new();
            }
        }
    }
}

/// `s` with the characters HTML gives a meaning escaped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The value of `name` in an `application/x-www-form-urlencoded` body, if
/// it is there.
pub(crate) fn form_field(form: &str, name: &str) -> Option<String> {
    form.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode_form(key) == name).then(|| decode_form(value))
    })
}

/// Undoes form encoding: `+` is a space, `%XX` a byte; a stray `%` stays
/// as it is and bytes that are not UTF-8 become U+FFFD.
fn decode_form(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 2;
            }
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A response with `status`, a content type and `body`.
fn answer(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    let value = HeaderValue::from_static(content_type);
    response.headers_mut().insert(CONTENT_TYPE, value);
    response
}

fn json_response(value: &Value) -> Response {
    answer(StatusCode::OK, "application/json", value.to_string())
}

/// The app: the original's three views.
#[green::green]
pub(crate) fn app(chat: Rc<MessageBuffer>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    match (req.method().clone(), path.as_str()) {
        (Method::GET, "/") => answer(StatusCode::OK, "text/html; charset=utf-8", page(&chat)),
        (Method::POST, "/a/message/new") => {
            let form = req.into_body().text().unwrap_or_default();
            match form_field(&form, "body") {
                Some(body) if !body.is_empty() => {
                    let from = form_field(&form, "from").unwrap_or_default();
                    json_response(&chat.post(&from, &body).to_json())
                }
                _ => answer(
                    StatusCode::BAD_REQUEST,
                    "text/plain",
                    "a message needs a body",
                ),
            }
        }
        (Method::POST, "/a/message/updates") => {
            let form = req.into_body().text().unwrap_or_default();
            let cursor = form_field(&form, "cursor")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let messages: Vec<Value> = chat.updates(cursor).iter().map(Message::to_json).collect();
            json_response(&json!({ "messages": messages }))
        }
        (_, "/" | "/a/message/new" | "/a/message/updates") => {
            answer(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "")
        }
        _ => answer(StatusCode::NOT_FOUND, "text/plain", "not found"),
    }
}

/// The chat page: the cached messages, a form, and the script that posts
/// and long-polls.
pub(crate) fn page(chat: &MessageBuffer) -> String {
    let inbox: String = chat.messages().iter().map(Message::html).collect();
    PAGE.replace("{cursor}", &chat.last_id().to_string())
        .replace("{inbox}", &inbox)
}

const PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Chat Demo</title>
<style>
body { font-family: sans-serif; margin: 2em; }
#inbox { border: 1px solid #ccc; height: 20em; overflow: auto; padding: .5em; }
.message { margin: .2em 0; }
</style>
</head>
<body>
<div id="inbox" data-cursor="{cursor}">{inbox}</div>
<form action="/a/message/new" method="post" id="messageform">
<input name="from" id="from" placeholder="your name" style="width:8em">
<input name="body" id="message" style="width:30em" autofocus>
<input type="submit" value="Post">
</form>
<script>
const inbox = document.getElementById("inbox");
let cursor = inbox.dataset.cursor;

function show(messages) {
  for (const m of messages) {
    if (!document.getElementById("m" + m.id)) {
      inbox.insertAdjacentHTML("beforeend", m.html);
    }
    cursor = m.id;
  }
  inbox.scrollTop = inbox.scrollHeight;
}

async function poll() {
  for (;;) {
    try {
      const answer = await fetch("/a/message/updates", {
        method: "POST", body: new URLSearchParams({cursor}) });
      show((await answer.json()).messages);
    } catch (e) {
      await new Promise(r => setTimeout(r, 1000));
    }
  }
}

document.getElementById("messageform").addEventListener("submit", async (e) => {
  e.preventDefault();
  const body = document.getElementById("message");
  const from = document.getElementById("from").value;
  if (!body.value) return;
  await fetch("/a/message/new", {
    method: "POST", body: new URLSearchParams({from, body: body.value}) });
  body.value = "";
});

poll();
</script>
</body>
</html>
"#;

/// Starts the chat on `addr` in the background.
#[green::green]
pub(crate) fn start(addr: &str, chat: Rc<MessageBuffer>) -> Result<ServerHandle> {
    Server::bind(addr)?.start(move |req| app(chat.clone(), req))
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());
    let server = start(
        &addr,
        Rc::new(MessageBuffer::new(MESSAGES_SIZE, POLL_TIMEOUT)),
    )?;
    println!("serving on http://{}", server.local_addr());
    green::sleep(Duration::MAX);
    Ok(())
}
