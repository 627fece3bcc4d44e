//! green::http::client (reqwest::blocking, green) against servers on
//! 127.0.0.1 only: green's own `green::http::Server`, and plain std-thread
//! servers written here that answer raw HTTP/1.1 (redirect chains, stalls,
//! a 100 MiB body) or hold connections unanswered.
#![cfg(feature = "http")]

use std::io::{BufRead as _, Write as _};
use std::time::{Duration, Instant};

use green::compat::io::{Read, Write};
use green::http::client::{self, Client, redirect};
use green::http::{Body, Request, Response, Server, ServerHandle, StatusCode};

/// The green test app: what the request was, as text, and a few routes.
#[green::green]
fn app(req: Request) -> Response {
    let line = format!(
        "{} {} ua={:?} token={:?}",
        req.method(),
        req.uri(),
        req.headers().get("user-agent"),
        req.headers().get("x-token"),
    );
    match req.uri().path() {
        "/echo" => {
            let kind = req.headers().get("content-type").cloned();
            let body = req.into_body().bytes().unwrap();
            let mut echoed = Response::new(Body::from(body));
            if let Some(kind) = kind {
                echoed.headers_mut().insert("content-type", kind);
            }
            echoed
        }
        "/missing" => {
            let mut missing = Response::new(Body::from("no such page"));
            *missing.status_mut() = StatusCode::NOT_FOUND;
            missing
        }
        "/broken" => {
            let mut broken = Response::new(Body::from("oops"));
            *broken.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            broken
        }
        "/slow" => {
            green::sleep(Duration::from_millis(20));
            Response::new(Body::from(line))
        }
        _ => Response::new(Body::from(line)),
    }
}

#[green::green]
fn green_server() -> (ServerHandle, String) {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(10_000)
        .start(app)
        .unwrap();
    let base = format!("http://{}", server.local_addr());
    (server, base)
}

/// A std-thread server: reads each request head and answers what `answer`
/// writes for its path, `connections` times, one connection at a time.
fn std_server(
    connections: usize,
    answer: impl Fn(&str, &mut std::net::TcpStream) + Send + 'static,
) -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let thread = std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let Ok(reader) = stream.try_clone() else {
                continue;
            };
            let mut reader = std::io::BufReader::new(reader);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split(' ').nth(1).unwrap_or("/").to_owned();
            answer(&path, &mut stream);
        }
    });
    (base, thread)
}

#[green::test]
fn status_headers_and_query() {
    let (server, base) = green_server();
    let client = Client::builder()
        .user_agent("green-test/1")
        .build()
        .unwrap();
    let response = client
        .get(format!("{base}/find"))
        .query(&[("q", "green tea"), ("n", "2")])
        .header("x-token", "t1")
        .send()
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.version(), green::http::Version::HTTP_11);
    assert_eq!(response.url().path(), "/find");
    assert_eq!(response.remote_addr(), Some(server.local_addr()));
    let length = response.content_length().unwrap();
    assert_eq!(response.headers()["content-length"], length.to_string());
    let text = response.text().unwrap();
    assert_eq!(
        text,
        r#"GET /find?q=green+tea&n=2 ua=Some("green-test/1") token=Some("t1")"#
    );
    assert_eq!(text.len() as u64, length);

    // The free function, and the blocking-looking chain as reqwest::blocking
    // code writes it.
    let body = client::get(format!("{base}/x")).unwrap().text().unwrap();
    assert!(body.starts_with("GET /x "), "{body}");
    let body = fetch(&client, &format!("{base}/y")).unwrap();
    assert!(body.starts_with("GET /y "), "{body}");
    server.stop(Duration::from_secs(1));
}

/// reqwest::blocking code, ported by renaming the module.
#[green::green]
fn fetch(client: &Client, url: &str) -> Result<String, client::Error> {
    let body = client.get(url).send()?.text()?;
    Ok(body)
}

#[green::test]
fn methods_and_bodies() {
    let (server, base) = green_server();
    let client = Client::new();
    let echo = format!("{base}/echo");
    let posted = client.post(&echo).body("post body").send().unwrap();
    assert_eq!(posted.text().unwrap(), "post body");
    let bytes = client.put(&echo).body(vec![0u8, 1, 2, 255]).send().unwrap();
    assert_eq!(bytes.bytes().unwrap().as_ref(), [0, 1, 2, 255]);
    let form = client
        .patch(&echo)
        .form(&[("name", "ann lee"), ("n", "1")])
        .send()
        .unwrap();
    assert_eq!(
        form.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(form.text().unwrap(), "name=ann+lee&n=1");
    let deleted = client.delete(format!("{base}/thing")).send().unwrap();
    assert!(deleted.text().unwrap().starts_with("DELETE /thing "));
    let head = client.head(format!("{base}/thing")).send().unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.text().unwrap(), "");
    let auth = client
        .get(format!("{base}/a"))
        .bearer_auth("secret")
        .build()
        .unwrap();
    assert_eq!(auth.headers()["authorization"], "Bearer secret");
    assert!(client.execute(auth).unwrap().status().is_success());
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn error_for_status_turns_4xx_and_5xx_into_errors() {
    let (server, base) = green_server();
    let client = Client::new();
    let fine = client.get(format!("{base}/")).send().unwrap();
    assert!(fine.error_for_status().is_ok());

    let missing = client.get(format!("{base}/missing")).send().unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let err = missing.error_for_status_ref().unwrap_err();
    assert!(err.is_status() && !err.is_timeout() && !err.is_connect());
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.url().unwrap().path(), "/missing");
    assert_eq!(missing.text().unwrap(), "no such page");

    let broken = client.get(format!("{base}/broken")).send().unwrap();
    let err = broken.error_for_status().unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(
        err.to_string().starts_with("HTTP status server error (500"),
        "{err}"
    );
    server.stop(Duration::from_secs(1));
}

#[green::green]
fn get_text(client: Client, url: String) -> Result<String, client::Error> {
    client.get(&url).send()?.error_for_status()?.text()
}

#[green::test]
fn a_thousand_concurrent_requests_share_one_client() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 2_500 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(4096), hard);
    }
    let (server, base) = green_server();
    let client = Client::new();
    let start = Instant::now();
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let (client, url) = (client.clone(), format!("{base}/slow?i={i}"));
            green::spawn(move || get_text(client, url))
        })
        .collect();
    for (i, result) in green::joinall(tasks).into_iter().enumerate() {
        let text = result.unwrap().unwrap();
        assert!(text.starts_with(&format!("GET /slow?i={i} ")), "{text}");
    }
    // 1,000 requests of 20 ms each, concurrently: far less than 1,000 × 20 ms.
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    server.stop(Duration::from_secs(1));
}

/// A keep-alive std-thread server (a thread per connection) that answers
/// every request "ok" and counts the connections it accepted.
fn counting_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    // Left running: the test process ends it.
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    let mut head = 0;
                    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                        head += 1;
                        line.clear();
                    }
                    let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
                    if head == 0 || stream.write_all(reply).is_err() {
                        return; // the client closed the connection
                    }
                }
            });
        }
    });
    (base, accepted)
}

#[green::test]
fn a_client_reuses_its_connections() {
    use std::sync::atomic::Ordering;
    let (base, accepted) = counting_server();
    let client = Client::new();
    for _ in 0..20 {
        assert_eq!(client.get(&base).send().unwrap().text().unwrap(), "ok");
    }
    // One pooled connection (a second may start while the first is on its
    // way back to the pool), not one per request.
    let connections = accepted.load(Ordering::SeqCst);
    assert!((1..=2).contains(&connections), "{connections} connections");

    // No idle connection kept: one connection per request.
    let (base, accepted) = counting_server();
    let client = Client::builder().pool_max_idle_per_host(0).build().unwrap();
    for _ in 0..5 {
        assert_eq!(client.get(&base).send().unwrap().text().unwrap(), "ok");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 5);
}

/// Answers `/a` → 302 `/b` → 302 `/c` → 200 "end"; `/loop` → 302 `/loop`.
fn redirect_answer(path: &str, stream: &mut std::net::TcpStream) {
    let (status, location, body) = match path {
        "/a" => ("302 Found", Some("/b"), ""),
        "/b" => ("302 Found", Some("/c"), ""),
        "/c" => ("200 OK", None, "end"),
        _ => ("302 Found", Some("/loop"), ""),
    };
    let location = location.map_or(String::new(), |l| format!("location: {l}\r\n"));
    let reply = format!(
        "HTTP/1.1 {status}\r\n{location}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

#[green::test]
fn redirects_follow_the_policy() {
    // Followed by default: /a, /b, /c.
    let (base, thread) = std_server(3, redirect_answer);
    let response = client::get(format!("{base}/a")).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.url().path(), "/c");
    assert_eq!(response.text().unwrap(), "end");
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();

    // Policy none: the 302 itself.
    let (base, thread) = std_server(1, redirect_answer);
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let response = client.get(format!("{base}/a")).send().unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/b");
    assert_eq!(response.url().path(), "/a");
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();

    // A limit: an error that says so.
    let (base, thread) = std_server(2, redirect_answer);
    let client = Client::builder()
        .redirect(redirect::Policy::limited(1))
        .build()
        .unwrap();
    let err = client.get(format!("{base}/a")).send().unwrap_err();
    assert!(err.is_redirect(), "{err:?}");
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();
}

/// A listener nobody accepts on (the kernel accepts, nobody answers), and
/// its URL.
fn silent_listener() -> (std::net::TcpListener, String) {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", silent.local_addr().unwrap());
    (silent, url)
}

/// The URL of a port nobody listens on (any more).
fn refusing_url() -> String {
    let (listener, url) = silent_listener();
    drop(listener);
    url
}

#[green::test]
fn timeouts_are_errors_that_say_so() {
    let (silent, url) = silent_listener();
    let client = Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.get(&url).send().unwrap_err();
    let took = start.elapsed();
    assert!(err.is_timeout() && err.is_request(), "{err:?}");
    assert_eq!(err.url().map(|u| u.as_str()), Some(url.as_str()));
    assert!(took >= Duration::from_millis(150), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");

    // A request's own timeout replaces the client's.
    let patient = Client::builder().timeout(None).build().unwrap();
    let err = patient
        .get(&url)
        .timeout(Duration::from_millis(100))
        .send()
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    drop(silent);
}

/// A head, 3 of the 10 body bytes announced, then a stall of 2 s.
fn stalling_answer(_path: &str, stream: &mut std::net::TcpStream) {
    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
    std::thread::sleep(Duration::from_secs(2));
}

#[green::test]
fn a_stalled_body_times_out_per_operation() {
    let client = Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let (base, thread) = std_server(1, stalling_answer);
    let err = client.get(&base).send().unwrap().text().unwrap_err();
    assert!(err.is_timeout() && err.is_decode(), "{err:?}");
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();

    // Through compat `Read`: the bytes that came, then a TimedOut error.
    let (base, thread) = std_server(1, stalling_answer);
    let mut response = client.get(&base).send().unwrap();
    let mut first = [0u8; 3];
    response.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"abc");
    let err = response.read(&mut [0u8; 16]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<client::Error>());
    assert!(inner.is_some_and(client::Error::is_timeout), "{err:?}");
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();
}

#[green::test]
fn refused_connections_and_bad_urls() {
    let url = refusing_url();
    let err = client::get(&url).unwrap_err();
    assert!(
        err.is_connect() && err.is_request() && !err.is_timeout(),
        "{err:?}"
    );
    assert_eq!(err.url().map(|u| u.as_str()), Some(url.as_str()));

    for bad in ["no scheme", "http://", "http://[::1/", ""] {
        let err = Client::new().get(bad).send().unwrap_err();
        assert!(err.is_builder(), "{bad}: {err:?}");
    }
    let err = Client::new()
        .get("http://127.0.0.1/")
        .header("bad header name", "x")
        .send()
        .unwrap_err();
    assert!(err.is_builder(), "{err:?}");
}

/// Size of the streamed body: 100 MiB.
const BIG: u64 = 100 << 20;

/// A pseudo-random block; piece `j` of the big body is this block with `j`
/// written in its first 8 bytes.
fn big_block() -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..PIECE)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

/// Size of a piece of the big body.
const PIECE: usize = 256 << 10;

fn big_answer(_path: &str, stream: &mut std::net::TcpStream) {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {BIG}\r\nconnection: close\r\n\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let mut piece = big_block();
    for j in 0..BIG / PIECE as u64 {
        piece[..8].copy_from_slice(&j.to_le_bytes());
        if stream.write_all(&piece).is_err() {
            return;
        }
    }
}

/// An order-sensitive hash over a stream of bytes cut anywhere, and a count.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Digest {
    count: u64,
    hash: u64,
    word: u64,
}

impl Digest {
    fn new() -> Digest {
        Digest {
            count: 0,
            hash: 0,
            word: 0,
        }
    }

    fn update(&mut self, mut bytes: &[u8]) {
        // Byte by byte up to a word boundary, then a word at a time.
        while !self.count.is_multiple_of(8) || bytes.len() < 8 {
            let Some((&b, rest)) = bytes.split_first() else {
                return;
            };
            self.push(u64::from(b), 1);
            bytes = rest;
        }
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let word = u64::from_be_bytes(word.try_into().unwrap());
            self.push(word, 8);
        }
        for &b in words.remainder() {
            self.push(u64::from(b), 1);
        }
    }

    fn push(&mut self, value: u64, len: u64) {
        self.word = if len == 8 {
            value
        } else {
            (self.word << 8) | value
        };
        self.count += len;
        if self.count.is_multiple_of(8) {
            self.hash = (self.hash ^ self.word)
                .rotate_left(23)
                .wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn big_digest() -> Digest {
    let mut digest = Digest::new();
    let mut piece = big_block();
    for j in 0..BIG / PIECE as u64 {
        piece[..8].copy_from_slice(&j.to_le_bytes());
        digest.update(&piece);
    }
    digest
}

/// The resident set of this process, in KiB (Linux), else 0.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A compat writer that digests what it is given.
impl Write for Digest {
    fn poll_write(
        &mut self,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.update(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[green::test]
fn a_100_mib_body_streams_in_bounded_memory() {
    let expected = big_digest();
    let client = Client::new();

    // Through compat `Read`, 64 KiB at a time.
    let (base, thread) = std_server(1, big_answer);
    let mut response = client.get(&base).send().unwrap();
    assert_eq!(response.content_length(), Some(BIG));
    let before = rss_kib();
    let mut peak = before;
    let mut digest = Digest::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = response.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        digest.update(&buf[..n]);
        if digest.count % (8 << 20) < n as u64 {
            peak = peak.max(rss_kib());
        }
    }
    assert_eq!(digest.count, BIG);
    assert_eq!(digest, expected);
    // Never the whole body in memory: the growth stays far below 100 MiB.
    assert!(peak - before < 40 << 10, "RSS grew {} KiB", peak - before);
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();

    // Through copy_to, into a compat writer.
    let (base, thread) = std_server(1, big_answer);
    let mut response = client.get(&base).send().unwrap();
    let mut sink = Digest::new();
    let before = rss_kib();
    assert_eq!(response.copy_to(&mut sink).unwrap(), BIG);
    assert_eq!(sink, expected);
    assert!(rss_kib().saturating_sub(before) < 40 << 10);
    green::spawn_blocking(move || thread.join().unwrap())
        .join()
        .unwrap();
}

#[cfg(feature = "tls")]
mod tls {
    use super::*;
    use green::compat::net::TcpListener;
    use green::compat::tls::TlsAcceptor;
    use green::http::client::Certificate;

    /// A green HTTPS server for `connections` connections: a self-signed
    /// certificate for "localhost", one fixed answer per request.
    #[green::green]
    fn https_server(connections: usize) -> (String, String, green::Greenlet<()>) {
        let generated = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let cert_pem = generated.cert.pem();
        let key_pem = generated.signing_key.serialize_pem();
        let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = green::spawn(move || serve_tls(listener, acceptor, connections));
        (format!("https://127.0.0.1:{port}/"), cert_pem, server)
    }

    #[green::green]
    fn serve_tls(listener: TcpListener, acceptor: TlsAcceptor, connections: usize) {
        for _ in 0..connections {
            let Ok((tcp, _)) = listener.accept() else {
                return;
            };
            // A failed handshake (a client that does not trust us) is fine.
            let Ok(mut tls) = acceptor.accept(tcp) else {
                continue;
            };
            let mut head = Vec::new();
            let mut byte = [0u8];
            while !head.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            let _ = tls.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nsecret",
            );
            let _ = tls.shutdown();
        }
    }

    #[green::test]
    fn https_with_a_self_signed_root() {
        let (url, cert_pem, server) = https_server(3);

        let root = Certificate::from_pem(cert_pem.as_bytes()).unwrap();
        let trusting = Client::builder()
            .add_root_certificate(root)
            .build()
            .unwrap();
        let text = trusting.get(&url).send().unwrap().text().unwrap();
        assert_eq!(text, "secret");

        // Not trusted by default: a connect error.
        let err = Client::new().get(&url).send().unwrap_err();
        assert!(err.is_connect(), "{err:?}");

        let careless = Client::builder()
            .danger_accept_invalid_certs(true)
            .build()
            .unwrap();
        assert_eq!(careless.get(&url).send().unwrap().text().unwrap(), "secret");
        server.join().unwrap();
    }
}

#[cfg(feature = "json")]
#[green::test]
fn json_both_ways() {
    let (server, base) = green_server();
    let client = Client::new();
    let sent = serde_json::json!({"name": "ann", "tags": [1, 2]});
    let response = client
        .post(format!("{base}/echo"))
        .json(&sent)
        .send()
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    let back: serde_json::Value = response.json().unwrap();
    assert_eq!(back, sent);
    let err = client
        .get(format!("{base}/"))
        .send()
        .unwrap()
        .json::<serde_json::Value>()
        .unwrap_err();
    assert!(err.is_decode() && !err.is_timeout(), "{err:?}");
    server.stop(Duration::from_secs(1));
}
