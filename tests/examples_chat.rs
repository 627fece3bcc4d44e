//! The ports of the chat examples that speak HTTP and WebSocket (gevent's
//! `webchat/`, eventlet's `chat_bridge.py` and
//! `distributed_websocket_chat.py`), each included as a module and driven
//! by real clients on 127.0.0.1: the JSON a long-polling page receives and
//! when, the lines a bridge forwards, the WebSocket messages chat servers
//! joined through a bridge deliver.

#[path = "../examples/webchat.rs"]
#[allow(dead_code)]
mod webchat;

#[path = "../examples/eventlet_chat_bridge.rs"]
#[allow(dead_code)]
mod eventlet_chat_bridge;

#[path = "../examples/eventlet_distributed_websocket_chat.rs"]
#[allow(dead_code)]
mod eventlet_distributed_websocket_chat;

use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::http::StatusCode;
use green::http::client::Client;
use green::ws::{ClientStream, Message, WebSocket};
use serde_json::Value;

/// Bounds every wait of a test, so a broken example fails the test instead
/// of hanging it.
const PATIENCE: Duration = Duration::from_secs(10);

/// How long a test lets a waiting poll wait before it checks that the poll
/// has not been answered.
const SETTLE: Duration = Duration::from_millis(300);

/// Waits (bounded) until `condition` holds.
#[green::green]
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < PATIENCE, "never happened: {what}");
        green::sleep(Duration::from_millis(5));
    }
}

// ---- webchat ------------------------------------------------------------

/// A webchat server keeping `size` messages, polls waiting at most
/// `poll_timeout`, and its base URL.
#[green::green]
fn start_webchat(
    size: usize,
    poll_timeout: Duration,
) -> (
    green::http::ServerHandle,
    Rc<webchat::MessageBuffer>,
    String,
) {
    let chat = Rc::new(webchat::MessageBuffer::new(size, poll_timeout));
    let server = webchat::start("127.0.0.1:0", chat.clone()).unwrap();
    let base = format!("http://{}", server.local_addr());
    (server, chat, base)
}

/// Posts `form` to `url`; the status and the body.
#[green::green]
fn post(client: &Client, url: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let response = client
        .post(url)
        .form(form)
        .timeout(PATIENCE)
        .send()
        .unwrap();
    let status = response.status();
    (status, response.text().unwrap())
}

/// Posts a message; the JSON the server answers with.
#[green::green]
fn say(client: &Client, base: &str, from: &str, body: &str) -> Value {
    let url = format!("{base}/a/message/new");
    let (status, text) = post(client, &url, &[("from", from), ("body", body)]);
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Long-polls with `cursor`; the messages answered.
#[green::green]
fn poll(client: Client, base: String, cursor: &str) -> Vec<Value> {
    let url = format!("{base}/a/message/updates");
    let (status, text) = post(&client, &url, &[("cursor", cursor)]);
    assert_eq!(status, StatusCode::OK, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    answer["messages"].as_array().unwrap().clone()
}

/// The ids of `messages`, as numbers.
fn ids(messages: &[Value]) -> Vec<u64> {
    messages
        .iter()
        .map(|m| m["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[green::test]
fn webchat_a_post_wakes_every_waiting_poller_with_the_message() {
    let (server, _chat, base) = start_webchat(200, PATIENCE);
    let client = Client::new();
    let pollers: Vec<_> = (0..2)
        .map(|_| {
            let (client, base) = (client.clone(), base.clone());
            green::spawn(move || poll(client, base, "0"))
        })
        .collect();
    green::sleep(SETTLE);
    assert!(
        pollers.iter().all(|p| !p.is_ready()),
        "a poll answered before any message was posted"
    );

    let posted = Instant::now();
    let sent = say(&client, &base, "carol", "hello <all> & \"you\"");
    assert_eq!(sent["id"], "1");
    assert_eq!(sent["from"], "carol");
    assert_eq!(sent["body"], "hello <all> & \"you\"");
    assert_eq!(
        sent["html"],
        "<div class=\"message\" id=\"m1\"><b>carol: </b>hello &lt;all&gt; &amp; &quot;you&quot;</div>"
    );
    for poller in pollers {
        let got = poller.join().unwrap();
        assert_eq!(got, vec![sent.clone()]);
    }
    assert!(
        posted.elapsed() < PATIENCE / 2,
        "the pollers were not woken by the post: {:?}",
        posted.elapsed()
    );
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn webchat_an_old_cursor_answers_at_once_an_up_to_date_one_waits() {
    let (server, _chat, base) = start_webchat(200, PATIENCE);
    let client = Client::new();
    for body in ["one", "two", "three"] {
        say(&client, &base, "", body);
    }

    // Cursor 1: the page has seen "one" and missed the other two.
    let asked = Instant::now();
    let missed = poll(client.clone(), base.clone(), "1");
    assert!(asked.elapsed() < PATIENCE / 2, "{:?}", asked.elapsed());
    assert_eq!(ids(&missed), [2, 3]);
    assert_eq!(missed[0]["body"], "two");
    assert_eq!(missed[1]["body"], "three");
    assert_eq!(missed[1]["from"], "Anonymous");

    // Cursor 3 is the newest: the poll waits for the next message.
    let waiting = {
        let (client, base) = (client.clone(), base.clone());
        green::spawn(move || poll(client, base, "3"))
    };
    green::sleep(SETTLE);
    assert!(!waiting.is_ready(), "an up-to-date poll answered at once");
    say(&client, &base, "dave", "four");
    let got = waiting.join().unwrap();
    assert_eq!(ids(&got), [4]);
    assert_eq!(got[0]["body"], "four");
    assert_eq!(got[0]["from"], "dave");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn webchat_a_poll_with_nothing_new_answers_empty_after_its_timeout() {
    let (server, _chat, base) = start_webchat(200, Duration::from_millis(400));
    let client = Client::new();
    say(&client, &base, "erin", "only one");
    let asked = Instant::now();
    let got = poll(client, base, "1");
    let waited = asked.elapsed();
    assert_eq!(got, Vec::<Value>::new());
    assert!(
        waited >= Duration::from_millis(400) && waited < PATIENCE,
        "{waited:?}"
    );
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn webchat_keeps_only_the_last_n_messages() {
    let (server, chat, base) = start_webchat(3, PATIENCE);
    let client = Client::new();
    for n in 1..=5 {
        say(&client, &base, "frank", &format!("message {n}"));
    }
    assert_eq!(
        chat.messages().iter().map(|m| m.id).collect::<Vec<_>>(),
        [3, 4, 5]
    );

    // A new page gets the cached messages and the newest id as its cursor.
    let page = client
        .get(format!("{base}/"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("data-cursor=\"5\""), "{page}");
    for n in 1..=5 {
        let shown = page.contains(&format!("id=\"m{n}\""));
        assert_eq!(shown, n >= 3, "message {n} on the page: {shown}");
    }
    assert!(page.contains("<b>frank: </b>message 5</div>"));

    // A page with no cursor, or one older than the cache, gets what is
    // left; so does a cursor this server never gave out.
    assert_eq!(ids(&poll(client.clone(), base.clone(), "")), [3, 4, 5]);
    assert_eq!(ids(&poll(client.clone(), base.clone(), "1")), [3, 4, 5]);
    assert_eq!(ids(&poll(client.clone(), base.clone(), "4")), [5]);
    assert_eq!(ids(&poll(client.clone(), base.clone(), "99")), [3, 4, 5]);
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn webchat_refuses_what_it_does_not_serve() {
    let (server, chat, base) = start_webchat(200, PATIENCE);
    let client = Client::new();
    let new = format!("{base}/a/message/new");
    let (status, _) = post(&client, &new, &[("from", "x")]);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = post(&client, &new, &[("body", "")]);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(chat.messages().is_empty());
    let get = client.get(&new).send().unwrap();
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    let missing = client.get(format!("{base}/elsewhere")).send().unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    server.stop(Duration::from_secs(1));
}

#[test]
fn webchat_decodes_form_fields() {
    let form = "from=J%C3%BCrgen+K&body=1%2B1%3D2%20%26+more&bad=%zz%4";
    assert_eq!(
        webchat::form_field(form, "from").as_deref(),
        Some("Jürgen K")
    );
    assert_eq!(
        webchat::form_field(form, "body").as_deref(),
        Some("1+1=2 & more")
    );
    assert_eq!(webchat::form_field(form, "bad").as_deref(), Some("%zz%4"));
    assert_eq!(webchat::form_field(form, "cursor"), None);
    assert_eq!(webchat::form_field("flag", "flag").as_deref(), Some(""));
}

// ---- chat_bridge ----------------------------------------------------------

/// A client of the bridge and a line reader over it.
#[green::green]
fn bridge_client(addr: SocketAddr) -> (TcpStream, BufReader<TcpStream>) {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let reader = BufReader::new(stream.try_clone().unwrap());
    (stream, reader)
}

/// Stops both sides of a bridge; their handlers wait on peers that stay
/// connected, so there is no point in waiting for them.
#[green::green]
fn stop_bridge(running: eventlet_chat_bridge::Running) {
    running.publishers.stop(Duration::from_millis(50));
    running.subscribers.stop(Duration::from_millis(50));
}

#[green::green]
fn read_line(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

#[green::test]
fn chat_bridge_forwards_every_line_to_every_subscriber_and_survives_one_leaving() {
    let running = eventlet_chat_bridge::start("127.0.0.1:0", "127.0.0.1:0").unwrap();
    let (in_addr, out_addr) = (
        running.publishers.local_addr(),
        running.subscribers.local_addr(),
    );
    let bridge = running.bridge.clone();
    let mut subscribers: Vec<_> = (0..3).map(|_| bridge_client(out_addr)).collect();
    eventually("three subscribers", || bridge.subscribers() == 3);

    let (a, _) = bridge_client(in_addr);
    let (b, _) = bridge_client(in_addr);
    (&a).write_all(b"a1\n").unwrap();
    for (_, lines) in &mut subscribers {
        assert_eq!(read_line(lines), "a1\n");
    }
    (&b).write_all(b"{\"text\": \"b1\"}\n").unwrap();
    (&a).write_all(b"a2\n").unwrap();
    for (_, lines) in &mut subscribers {
        let mut got = vec![read_line(lines), read_line(lines)];
        got.sort();
        assert_eq!(got, ["a2\n", "{\"text\": \"b1\"}\n"]);
    }

    // One subscriber hangs up with a line it never read: the bridge
    // forgets it and goes on with the others.
    (&a).write_all(b"unread\n").unwrap();
    let (gone, _) = subscribers.pop().unwrap();
    drop(gone);
    for (_, lines) in &mut subscribers {
        assert_eq!(read_line(lines), "unread\n");
    }
    eventually("the subscriber that left is forgotten", || {
        bridge.subscribers() == 2
    });
    (&b).write_all(b"after\n").unwrap();
    for (_, lines) in &mut subscribers {
        assert_eq!(read_line(lines), "after\n");
    }
    // A subscriber that joins late gets what is published from then on.
    let (_late, mut late_lines) = bridge_client(out_addr);
    eventually("the late subscriber", || bridge.subscribers() == 3);
    (&a).write_all(b"welcome\n").unwrap();
    assert_eq!(read_line(&mut late_lines), "welcome\n");
    for (_, lines) in &mut subscribers {
        assert_eq!(read_line(lines), "welcome\n");
    }
    assert_eq!(bridge.forwarded(), 6);
    stop_bridge(running);
}

/// Line `i` of the flood: its number and 4 KiB in all.
fn flood_line(i: usize) -> String {
    format!("{i:05} {}\n", "x".repeat(4090))
}

/// The number of a flood line, checking the rest of it.
fn flood_number(line: &str) -> usize {
    let n = line[..5].parse().unwrap();
    assert!(line == flood_line(n), "a flood line came garbled");
    n
}

#[green::test]
fn chat_bridge_a_subscriber_that_does_not_read_holds_up_nobody() {
    const LINES: usize = 4000;
    const BATCH: usize = 500;
    let running = eventlet_chat_bridge::start("127.0.0.1:0", "127.0.0.1:0").unwrap();
    let (in_addr, out_addr) = (
        running.publishers.local_addr(),
        running.subscribers.local_addr(),
    );
    let bridge = running.bridge.clone();
    let (stalled, mut stalled_lines) = bridge_client(out_addr);
    let (_reading, reading_lines) = bridge_client(out_addr);
    eventually("two subscribers", || bridge.subscribers() == 2);
    let read = Rc::new(std::cell::Cell::new(0));
    let reader = {
        let read = read.clone();
        green::spawn(move || {
            let mut lines = reading_lines;
            while read.get() < LINES {
                assert_eq!(flood_number(&read_line(&mut lines)), read.get());
                read.set(read.get() + 1);
            }
        })
    };
    // 4,000 lines of 4 KiB, 16 MiB: far more than the stalled subscriber's
    // socket buffers and outbox hold. Sent in batches the reading
    // subscriber keeps up with (its outbox holds 1,000 lines), so that
    // any line it lost would be the bridge's doing.
    let (publisher, _) = bridge_client(in_addr);
    let started = Instant::now();
    for batch in (0..LINES).step_by(BATCH) {
        let text: String = (batch..batch + BATCH).map(flood_line).collect();
        (&publisher).write_all(text.as_bytes()).unwrap();
        eventually("the reading subscriber gets the batch", || {
            read.get() == batch + BATCH
        });
    }
    reader.join().unwrap();
    assert!(started.elapsed() < PATIENCE, "{:?}", started.elapsed());

    // The stalled one gets lines in order, with a gap where its outbox
    // was full.
    stalled
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut numbers = Vec::new();
    let mut text = String::new();
    while let Ok(1..) = stalled_lines.read_line(&mut text) {
        numbers.push(flood_number(&text));
        text.clear();
    }
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "out of order");
    assert!(
        numbers.len() >= eventlet_chat_bridge::HIGH_WATER && numbers.len() < LINES,
        "the stalled subscriber got {} lines",
        numbers.len()
    );
    stop_bridge(running);
}

#[green::test]
fn chat_bridge_disconnects_a_publisher_whose_line_is_too_long() {
    let running = eventlet_chat_bridge::start("127.0.0.1:0", "127.0.0.1:0").unwrap();
    let (in_addr, out_addr) = (
        running.publishers.local_addr(),
        running.subscribers.local_addr(),
    );
    let bridge = running.bridge.clone();
    let (_sub, mut sub_lines) = bridge_client(out_addr);
    eventually("a subscriber", || bridge.subscribers() == 1);

    let (mut flooder, _) = bridge_client(in_addr);
    let endless = vec![b'x'; eventlet_chat_bridge::MAX_LINE as usize + 100];
    let _ = (&flooder).write_all(&endless);
    let mut rest = Vec::new();
    match flooder.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty()),
        Err(e) => assert_eq!(e.kind(), io::ErrorKind::ConnectionReset),
    }

    let (good, _) = bridge_client(in_addr);
    (&good).write_all(b"still here\n").unwrap();
    assert_eq!(read_line(&mut sub_lines), "still here\n");
    assert_eq!(bridge.forwarded(), 1);
    stop_bridge(running);
}

// ---- distributed_websocket_chat --------------------------------------------

/// A bridge and two chat servers joined through it, with the chat servers'
/// addresses.
struct Distributed {
    bridge: eventlet_chat_bridge::Running,
    servers: Vec<(
        green::http::ServerHandle,
        Rc<eventlet_distributed_websocket_chat::ChatServer>,
    )>,
}

#[green::green]
fn start_distributed(servers: usize) -> Distributed {
    let bridge = eventlet_chat_bridge::start("127.0.0.1:0", "127.0.0.1:0").unwrap();
    let (in_addr, out_addr) = (
        bridge.publishers.local_addr().to_string(),
        bridge.subscribers.local_addr().to_string(),
    );
    let servers = (0..servers)
        .map(|_| {
            eventlet_distributed_websocket_chat::start("127.0.0.1:0", &in_addr, &out_addr).unwrap()
        })
        .collect::<Vec<_>>();
    // As with ZeroMQ, a subscription takes a moment to reach the bridge;
    // what is published before it is not delivered to that server.
    let count = servers.len();
    eventually("every chat server subscribed", || {
        bridge.bridge.subscribers() == count
    });
    Distributed { bridge, servers }
}

/// The next text message on `ws`, bounded by PATIENCE.
#[green::green]
fn next_text(ws: &mut WebSocket<ClientStream>) -> String {
    match green::timeout(PATIENCE, || ws.read()) {
        Ok(Ok(Message::Text(text))) => text.to_string(),
        other => panic!("expected a text message, got {other:?}"),
    }
}

/// A participant on `server`, and the id the server greeted it with.
#[green::green]
fn join_chat(server: &green::http::ServerHandle) -> (WebSocket<ClientStream>, String) {
    let url = format!("ws://{}/chat", server.local_addr());
    let mut ws = green::ws::connect(url).unwrap();
    let greeting = next_text(&mut ws);
    let id = greeting
        .strip_prefix("Connected as ")
        .and_then(|rest| rest.strip_suffix(", change name with 'name: new_name'"))
        .unwrap_or_else(|| panic!("not a greeting: {greeting}"))
        .to_owned();
    (ws, id)
}

#[green::test]
fn distributed_chat_servers_joined_by_the_bridge_share_one_conversation() {
    let chat = start_distributed(2);
    let (server_a, chat_a) = &chat.servers[0];
    let (server_b, _) = &chat.servers[1];

    // Each server serves the page that opens the WebSocket.
    let page = green::http::client::get(format!("http://{}/", server_a.local_addr()))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        page.contains("new WebSocket(`ws://${location.host}/chat`)"),
        "{page}"
    );

    let (mut alice, alice_id) = join_chat(server_a);
    let (mut bob, bob_id) = join_chat(server_b);
    let (mut carol, carol_id) = join_chat(server_a);
    assert!(alice_id != bob_id && alice_id != carol_id && bob_id != carol_id);
    assert_eq!(chat_a.participants(), 2);

    alice.send("hello from A").unwrap();
    assert_eq!(next_text(&mut alice), "you said: hello from A");
    assert_eq!(
        next_text(&mut bob),
        format!("{alice_id} says: hello from A")
    );
    assert_eq!(
        next_text(&mut carol),
        format!("{alice_id} says: hello from A")
    );

    bob.send("name: bob").unwrap();
    assert_eq!(
        next_text(&mut bob),
        format!("you said: Changed name from {bob_id}")
    );
    let renamed = format!("bob says: Changed name from {bob_id}");
    assert_eq!(next_text(&mut alice), renamed);
    assert_eq!(next_text(&mut carol), renamed);

    bob.send("hi, from B").unwrap();
    assert_eq!(next_text(&mut bob), "you said: hi, from B");
    assert_eq!(next_text(&mut alice), "bob says: hi, from B");
    assert_eq!(next_text(&mut carol), "bob says: hi, from B");

    // A participant leaving is forgotten; the others go on.
    carol.close(None).unwrap();
    eventually("carol left server A", || chat_a.participants() == 1);
    alice.send("still here").unwrap();
    assert_eq!(next_text(&mut alice), "you said: still here");
    assert_eq!(next_text(&mut bob), format!("{alice_id} says: still here"));
    for (server, _) in &chat.servers {
        server.stop(Duration::from_millis(50));
    }
    stop_bridge(chat.bridge);
}

#[green::test]
fn distributed_chat_refuses_a_message_too_long_for_the_bridge() {
    let chat = start_distributed(2);
    let (mut alice, _) = join_chat(&chat.servers[0].0);
    let (mut bob, _) = join_chat(&chat.servers[1].0);
    let huge = "x".repeat(eventlet_distributed_websocket_chat::MAX_LINE);
    alice.send(huge.as_str()).unwrap();
    let refused = next_text(&mut alice);
    assert!(refused.starts_with("not sent: "), "{refused}");
    // The server kept its link to the bridge: the next message goes through,
    // and is the first bob hears.
    alice.send("short").unwrap();
    assert_eq!(next_text(&mut alice), "you said: short");
    assert!(next_text(&mut bob).ends_with(" says: short"));
    assert_eq!(chat.bridge.bridge.forwarded(), 1);
    for (server, _) in &chat.servers {
        server.stop(Duration::from_millis(50));
    }
    stop_bridge(chat.bridge);
}
