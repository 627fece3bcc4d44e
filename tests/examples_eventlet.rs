//! The ports of eventlet's examples (examples/eventlet_echoserver.rs,
//! chat_server.rs, eventlet_connect.rs, eventlet_forwarder.rs,
//! eventlet_accept_loop.rs, eventlet_producer_consumer.rs,
//! eventlet_recursive_crawler.rs, eventlet_regression.rs, eventlet_wsgi.rs),
//! each included as a module and driven by real clients on 127.0.0.1: the
//! bytes, lines and order each original produces.

#[path = "../examples/eventlet_echoserver.rs"]
#[allow(dead_code)]
mod eventlet_echoserver;

#[path = "../examples/chat_server.rs"]
#[allow(dead_code)]
mod chat_server;

#[path = "../examples/eventlet_connect.rs"]
#[allow(dead_code)]
mod eventlet_connect;

#[path = "../examples/eventlet_forwarder.rs"]
#[allow(dead_code)]
mod eventlet_forwarder;

#[path = "../examples/eventlet_accept_loop.rs"]
#[allow(dead_code)]
mod eventlet_accept_loop;

#[path = "../examples/eventlet_producer_consumer.rs"]
#[allow(dead_code)]
mod eventlet_producer_consumer;

#[path = "../examples/eventlet_recursive_crawler.rs"]
#[allow(dead_code)]
mod eventlet_recursive_crawler;

#[path = "../examples/eventlet_regression.rs"]
#[allow(dead_code)]
mod eventlet_regression;

#[cfg(feature = "http")]
#[path = "../examples/eventlet_wsgi.rs"]
#[allow(dead_code)]
mod eventlet_wsgi;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use green::server::StreamServer;

/// Bounds every read of a test client, so a broken example fails the test
/// instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(10);

#[green::green]
fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

#[green::green]
fn read_line(reader: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    line
}

/// A client and a line reader over it.
#[green::green]
fn client(addr: SocketAddr) -> (TcpStream, BufReader<TcpStream>) {
    let stream = connect(addr);
    let reader = BufReader::new(stream.try_clone().unwrap());
    (stream, reader)
}

/// Waits (bounded) until `condition` holds.
#[green::green]
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let start = Instant::now();
    while !condition() {
        assert!(start.elapsed() < PATIENCE, "never happened: {what}");
        green::sleep(Duration::from_millis(5));
    }
}

// ---- echoserver -------------------------------------------------------

#[green::test]
fn eventlet_echoserver_echoes_each_clients_lines_byte_for_byte() {
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || eventlet_echoserver::serve(listener, 10_000));
    let (a, mut a_in) = client(addr);
    let (b, mut b_in) = client(addr);
    (&a).write_all(b"from a\r\n").unwrap();
    (&b).write_all(b"from b\n").unwrap();
    (&a).write_all(b"a again\n").unwrap();
    assert_eq!(read_line(&mut b_in), "from b\n");
    assert_eq!(read_line(&mut a_in), "from a\r\n");
    assert_eq!(read_line(&mut a_in), "a again\n");
    // A last line without a newline is echoed as it is once the client
    // finishes sending.
    (&b).write_all(b"no newline").unwrap();
    b.shutdown(Shutdown::Write).unwrap();
    let mut rest = String::new();
    b_in.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "no newline");
    server.kill();
}

#[green::test]
fn eventlet_echoserver_pool_bounds_the_clients_served_at_once() {
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || eventlet_echoserver::serve(listener, 1));
    let (first, mut first_in) = client(addr);
    (&first).write_all(b"one\n").unwrap();
    assert_eq!(read_line(&mut first_in), "one\n");

    // The pool is full: the second client is accepted by the OS but not
    // served until the first leaves.
    let (second, second_in) = client(addr);
    (&second).write_all(b"two\n").unwrap();
    let waiting = green::spawn(move || async move {
        let mut second_in = second_in;
        read_line(&mut second_in).await
    });
    green::sleep(Duration::from_millis(200));
    assert!(!waiting.is_ready(), "served while the pool was full");
    drop((first, first_in));
    assert_eq!(waiting.join().unwrap(), "two\n");
    server.kill();
}

// ---- chat_server ------------------------------------------------------

#[green::test]
fn chat_server_sends_a_line_to_everyone_but_its_sender() {
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let chat = Rc::new(chat_server::Chat::default());
    let room = chat.clone();
    let server = green::spawn(move || chat_server::serve(listener, room));
    let (a, mut a_in) = client(addr);
    let (b, mut b_in) = client(addr);
    let (c, mut c_in) = client(addr);
    eventually("three participants", || chat.participants() == 3);

    (&a).write_all(b"hi from a\n").unwrap();
    assert_eq!(read_line(&mut b_in), "hi from a\n");
    assert_eq!(read_line(&mut c_in), "hi from a\n");
    (&b).write_all(b"b here\n").unwrap();
    // a's next line is b's: its own line never came back to it.
    assert_eq!(read_line(&mut a_in), "b here\n");
    assert_eq!(read_line(&mut c_in), "b here\n");

    // One leaves; the others go on without it.
    drop((c, c_in));
    eventually("c left", || chat.participants() == 2);
    (&a).write_all(b"after c left\n").unwrap();
    assert_eq!(read_line(&mut b_in), "after c left\n");
    (&b).write_all(b"bye\n").unwrap();
    assert_eq!(read_line(&mut a_in), "bye\n");
    server.kill();
}

// ---- connect ----------------------------------------------------------

/// A server that reads one request head, records it, waits until `heard`
/// holds `quorum` requests (its own included), and answers `reply`.
#[green::green]
fn answering(
    reply: &'static str,
    quorum: usize,
    heard: Rc<RefCell<Vec<String>>>,
) -> green::server::ServerHandle {
    StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .start(move |stream: TcpStream, _peer| {
            let heard = heard.clone();
            async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && (&stream).read(&mut byte).await? == 1 {
                    head.push(byte[0]);
                }
                heard
                    .borrow_mut()
                    .push(String::from_utf8_lossy(&head).into_owned());
                while heard.borrow().len() < quorum {
                    green::sleep(Duration::from_millis(5)).await;
                }
                (&stream).write_all(reply.as_bytes()).await
            }
        })
        .unwrap()
}

#[green::test]
fn eventlet_connect_gives_answers_in_the_order_given() {
    let heard = Rc::new(RefCell::new(Vec::new()));
    // The first server answers only once the second was asked too: a
    // client fetching one after the other would never get an answer.
    let slow = answering("slow server's page", 2, heard.clone());
    let quick = answering("quick server's page", 1, heard.clone());
    let refused = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let servers = [slow.local_addr(), quick.local_addr(), refused].map(|a| a.to_string());
    let answers = green::timeout(PATIENCE, || eventlet_connect::fetch_all(&servers))
        .expect("the servers were asked one after the other");
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0].as_ref().unwrap(), b"slow server's page");
    assert_eq!(answers[1].as_ref().unwrap(), b"quick server's page");
    assert_eq!(
        answers[2].as_ref().unwrap_err().kind(),
        io::ErrorKind::ConnectionRefused
    );
    assert_eq!(*heard.borrow(), ["GET /\r\n\r\n", "GET /\r\n\r\n"]);
    slow.stop(Duration::from_secs(1));
    quick.stop(Duration::from_secs(1));
}

#[test]
fn eventlet_connect_adds_port_80_when_none_is_given() {
    assert_eq!(
        eventlet_connect::with_port("www.python.org"),
        "www.python.org:80"
    );
    assert_eq!(
        eventlet_connect::with_port("127.0.0.1:8080"),
        "127.0.0.1:8080"
    );
}

// ---- forwarder --------------------------------------------------------

/// A one-connection byte echo: what it reads it writes back, until EOF.
#[green::green]
fn echo_once(listener: TcpListener) -> u64 {
    let (stream, _) = listener.accept().unwrap();
    let mut reader = stream.try_clone().unwrap();
    let mut writer = stream;
    io::copy(&mut reader, &mut writer).unwrap()
}

#[green::test]
fn eventlet_forwarder_copies_both_ways_and_calls_back_once_closed() {
    let target = TcpListener::bind("127.0.0.1:0").unwrap();
    let dest = target.local_addr().unwrap();
    let echoed = green::spawn(move || echo_once(target));
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let calls = Rc::new(Cell::new(0));
    let counter = calls.clone();
    let server = green::spawn(move || {
        eventlet_forwarder::serve(
            listener,
            dest,
            Rc::new(move || counter.set(counter.get() + 1)),
        )
    });

    let client = connect(addr);
    let payload: Vec<u8> = (0..500_000u32).map(|i| (i % 241) as u8).collect();
    let mut writer = client.try_clone().unwrap();
    let sent = payload.clone();
    let writing = green::spawn(move || {
        writer.write_all(&sent).unwrap();
        writer.shutdown(Shutdown::Write).unwrap();
    });
    let mut back = Vec::new();
    (&client).read_to_end(&mut back).unwrap();
    writing.join().unwrap();
    assert!(back == payload, "{} bytes came back, changed", back.len());
    assert_eq!(echoed.join(), Ok(payload.len() as u64));
    // Called when the client's side ended, and only for that side.
    eventually("the callback", || calls.get() == 1);
    green::sleep(Duration::from_millis(50));
    assert_eq!(calls.get(), 1);
    server.kill();
}

// ---- accept_loop ------------------------------------------------------

#[green::test]
fn eventlet_accept_loop_echoes_closes_on_empty_line_and_shuts_down() {
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || eventlet_accept_loop::run_accept_loop(listener));

    let (a, mut a_in) = client(addr);
    (&a).write_all(b"hello\n").unwrap();
    assert_eq!(read_line(&mut a_in), "hello\n");

    // An empty line ends that client only.
    let (b, mut b_in) = client(addr);
    (&b).write_all(b"kept\n\nnot echoed\n").unwrap();
    assert_eq!(read_line(&mut b_in), "kept\n");
    let mut rest = String::new();
    b_in.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "");
    (&a).write_all(b"a still served\n").unwrap();
    assert_eq!(read_line(&mut a_in), "a still served\n");

    // `shutdown` is echoed, then the loop ends (within its half-second
    // poll) and takes the other connections with it.
    let (c, mut c_in) = client(addr);
    (&c).write_all(b"shutdown please\n").unwrap();
    assert_eq!(read_line(&mut c_in), "shutdown please\n");
    let start = Instant::now();
    server.join().unwrap().unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    let mut rest = String::new();
    a_in.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "a's connection was left open");
    assert!(TcpStream::connect(addr).is_err(), "still accepting");
}

// ---- producer_consumer and recursive_crawler ---------------------------

/// A small site on 127.0.0.1: pages linking to each other, to a page
/// elsewhere, to a missing page (404, whose body links on), and to a page
/// that answers too late. Counts the requests per path.
struct Site {
    server: green::server::ServerHandle,
    requests: Rc<RefCell<HashMap<String, usize>>>,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.server.local_addr())
    }

    /// What a crawl from `/` must see: every page in scope that is linked
    /// from a page that answered 200 in time.
    fn expected(&self) -> BTreeSet<String> {
        ["/", "/a", "/b", "/c", "/missing", "/slow"]
            .into_iter()
            .map(|path| self.url(path))
            .collect()
    }
}

#[green::green]
fn site() -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Rc::new(RefCell::new(HashMap::new()));
    let counted = requests.clone();
    let server = StreamServer::from_listener(listener)
        .start(move |stream: TcpStream, _peer| {
            let (base, counted) = (base.clone(), counted.clone());
            async move {
                let mut request_line = String::new();
                BufReader::new(&stream).read_line(&mut request_line).await?;
                let path = request_line.split(' ').nth(1).unwrap_or("").to_owned();
                *counted.borrow_mut().entry(path.clone()).or_insert(0) += 1;
                let (status, body) = match path.as_str() {
                    "/" => ("200 OK", format!(
                        "<a href=\"{base}/a\">a</a> ({base}/b) {base}/a http://elsewhere.invalid/x"
                    )),
                    "/a" => ("200 OK", format!("see {base}/c and {base}/ again")),
                    "/b" => ("200 OK", format!("'{base}/missing' '{base}/slow'")),
                    "/c" => ("200 OK", "a page without links".to_owned()),
                    "/slow" => {
                        green::sleep(Duration::from_secs(3)).await;
                        ("200 OK", format!("{base}/never"))
                    }
                    _ => ("404 Not Found", format!("nothing here, try {base}/ghost")),
                };
                let answer = format!("HTTP/1.0 {status}\r\nContent-Type: text/html\r\n\r\n{body}");
                (&stream).write_all(answer.as_bytes()).await
            }
        })
        .unwrap();
    Site { server, requests }
}

#[green::green]
fn check_crawl(site: Site, seen: BTreeSet<String>, took: Duration) {
    assert_eq!(seen, site.expected());
    // Each page fetched once; the 404's and the late page's links never.
    let requests = site.requests.borrow().clone();
    let mut paths: Vec<_> = requests.keys().cloned().collect();
    paths.sort();
    assert_eq!(paths, ["/", "/a", "/b", "/c", "/missing", "/slow"]);
    assert!(requests.values().all(|n| *n == 1), "{requests:?}");
    // The slow page cost one patience, not three seconds.
    assert!(took < Duration::from_millis(2_500), "{took:?}");
    site.server.stop(Duration::ZERO);
}

#[green::test]
fn eventlet_producer_consumer_crawls_the_site_within_scope() {
    let site = site();
    let scope = site.url("/");
    let start = Instant::now();
    let seen =
        eventlet_producer_consumer::producer(&site.url("/"), &scope, Duration::from_millis(500));
    check_crawl(site, seen, start.elapsed());
}

#[green::test]
fn eventlet_recursive_crawler_crawls_the_site_within_scope() {
    let site = site();
    let scope = site.url("/");
    let start = Instant::now();
    let seen =
        eventlet_recursive_crawler::crawl(&site.url("/"), &scope, Duration::from_millis(500));
    check_crawl(site, seen, start.elapsed());
}

#[test]
fn crawlers_find_urls_in_text() {
    let text = "<a href=\"http://h/a\">x</a> (http://h/b) 'https://h/c' httpd http:/no";
    let expected = ["http://h/a", "http://h/b", "https://h/c"];
    assert_eq!(eventlet_producer_consumer::find_urls(text), expected);
    assert_eq!(eventlet_recursive_crawler::find_urls(text), expected);
}

// ---- regression -----------------------------------------------------

#[green::test]
fn eventlet_regression_fires_every_timer_near_its_delay() {
    let delays: Vec<Duration> = (1..100).step_by(10).map(Duration::from_millis).collect();
    let report = eventlet_regression::run(4, 50, delays);
    // 4 workers x 50 rounds x 10 delays.
    assert_eq!(report.expected, 2_000);
    assert_eq!(report.scheduled, 2_000);
    assert_eq!(report.fired, 2_000);
    assert_eq!(report.early, 0, "timers fired before their delay");
    // The run lasts at least the longest delay.
    assert!(
        report.took >= Duration::from_millis(91),
        "{:?}",
        report.took
    );
    assert!(report.took < PATIENCE, "{:?}", report.took);
    let mean = report.total_off / 2_000;
    assert!(mean < Duration::from_millis(500), "on average {mean:?} off");
}

// ---- wsgi -------------------------------------------------------------

#[cfg(feature = "http")]
#[green::green]
fn http_get(addr: SocketAddr, path: &str) -> String {
    let stream = connect(addr);
    write!(
        &stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    (&stream).read_to_string(&mut answer).unwrap();
    answer
}

#[cfg(feature = "http")]
#[green::test]
fn eventlet_wsgi_says_hello_at_root_and_404_elsewhere() {
    let server = eventlet_wsgi::start("127.0.0.1:0").unwrap();
    let hello = http_get(server.local_addr(), "/");
    assert!(hello.starts_with("HTTP/1.1 200 OK\r\n"), "{hello:?}");
    assert!(
        hello
            .to_ascii_lowercase()
            .contains("\r\ncontent-type: text/plain\r\n"),
        "{hello:?}"
    );
    assert!(hello.ends_with("\r\n\r\nHello, World!\r\n"), "{hello:?}");
    let missing = http_get(server.local_addr(), "/elsewhere");
    assert!(
        missing.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{missing:?}"
    );
    assert!(missing.ends_with("\r\n\r\nNot Found\r\n"), "{missing:?}");
    server.stop(Duration::from_secs(1));
}
