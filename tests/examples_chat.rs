//! The ports of the chat examples that speak HTTP and WebSocket (gevent's
//! `webchat/`, eventlet's `chat_bridge.py` and
//! `distributed_websocket_chat.py`), each included as a module and driven
//! by real clients on 127.0.0.1: the JSON a long-polling page receives and
//! when, the lines a bridge forwards, the WebSocket messages chat servers
//! joined through a bridge deliver.

#[path = "../examples/webchat.rs"]
#[allow(dead_code)]
mod webchat;

use std::rc::Rc;
use std::time::{Duration, Instant};

use green::http::StatusCode;
use green::http::client::Client;
use serde_json::Value;

/// Bounds every wait of a test, so a broken example fails the test instead
/// of hanging it.
const PATIENCE: Duration = Duration::from_secs(10);

/// How long a test lets a waiting poll wait before it checks that the poll
/// has not been answered.
const SETTLE: Duration = Duration::from_millis(300);

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
