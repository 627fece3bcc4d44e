//! green::http speaking HTTP/2 without TLS to clients with prior knowledge
//! (h2c): curl's `--http2-prior-knowledge` and hyper's HTTP/2 client, on
//! 127.0.0.1, next to HTTP/1.1 on the same port.
#![cfg(feature = "http")]

mod http_support;

use std::time::{Duration, Instant};

use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;
use green::http::Server;
use http_support::{SharedLog, app, curl, h2_client, pattern, send};

#[green::test]
fn curl_speaks_h2c_with_prior_knowledge() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let base = format!("http://{}", server.local_addr());
    let Some(out) = curl(&[
        "--http2-prior-knowledge",
        "-w",
        "\n%{http_version} %{http_code}",
        &format!("{base}/version"),
    ]) else {
        return;
    };
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "HTTP/2.0\n2 200");

    let body = pattern(300_000);
    let file = std::env::temp_dir().join(format!("green-h2c-{}", std::process::id()));
    green::compat::fs::write(&file, &body).unwrap();
    let upload = format!("@{}", file.display());
    let out = curl(&[
        "--http2-prior-knowledge",
        "--data-binary",
        &upload,
        &format!("{base}/echo"),
    ])
    .unwrap();
    let _ = green::compat::fs::remove_file(&file);
    assert!(out.stdout == body, "the h2c echo differs");

    let out = curl(&["--http2-prior-knowledge", &format!("{base}/stream")]).unwrap();
    assert_eq!(out.stdout, b"part 0\npart 1\npart 2\n");
    for (path, code) in [("/panic", "500"), ("/err", "500"), ("/nowhere", "404")] {
        let url = format!("{base}{path}");
        let args = [
            "--http2-prior-knowledge",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            &url,
        ];
        assert_eq!(curl(&args).unwrap().stdout, code.as_bytes(), "{path}");
    }
    // HTTP/1.1 on the same port, as before.
    let out = curl(&["--http1.1", "-w", " %{http_version}", &format!("{base}/")]).unwrap();
    assert_eq!(out.stdout, b"hello 1.1");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn a_rust_client_gets_concurrent_streams_on_one_connection() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let sender = h2_client(TcpStream::connect(server.local_addr()).unwrap());

    let hello = send(sender.clone(), "GET", "/", Vec::new());
    assert_eq!((hello.status, hello.version), (200, hyper::Version::HTTP_2));
    assert_eq!(hello.body, b"hello");

    let body = pattern(1 << 20);
    let echoed = send(sender.clone(), "POST", "/echo", body.clone());
    assert_eq!(echoed.status, 200);
    assert!(echoed.body == body, "the echo differs");

    // Ten 200 ms handlers at once, as streams of one connection.
    let start = Instant::now();
    let streams: Vec<_> = (0..10)
        .map(|_| {
            let sender = sender.clone();
            green::spawn(move || send(sender, "GET", "/sleep", Vec::new()))
        })
        .collect();
    for got in green::joinall(streams) {
        assert_eq!(got.unwrap().body, b"slept");
    }
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "took {took:?}: not concurrent"
    );
    assert_eq!(server.connections(), 1, "all on one connection");

    let panicked = send(sender.clone(), "GET", "/panic", Vec::new());
    assert_eq!(
        (panicked.status, &panicked.body[..]),
        (500, &b"Internal Server Error"[..])
    );
    assert_eq!(send(sender, "GET", "/", Vec::new()).status, 200);
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn limits_apply_to_h2() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_body_size(1000)
        .start(app)
        .unwrap();
    let sender = h2_client(TcpStream::connect(server.local_addr()).unwrap());
    let declared = send(sender.clone(), "POST", "/text", vec![b'a'; 1001]);
    assert_eq!(declared.status, 413);
    let fits = send(sender.clone(), "POST", "/text", vec![b'a'; 1000]);
    assert_eq!((fits.status, &fits.body[..]), (200, &b"1000 bytes"[..]));
    server.stop(Duration::from_secs(1));

    // Headers past max_header_size: HTTP/2's 431 (curl does not hold
    // itself to the server's SETTINGS as hyper's client does).
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_header_size(8192)
        .start(app)
        .unwrap();
    let big = format!("x-big: {}", "z".repeat(20_000));
    let url = format!("http://{}/", server.local_addr());
    let args = [
        "--http2-prior-knowledge",
        "-H",
        &big,
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &url,
    ];
    if let Some(out) = curl(&args) {
        assert_eq!(out.stdout, b"431");
    }
    let out = curl(&["--http2-prior-knowledge", &url]);
    assert!(
        out.is_none_or(|out| out.stdout == b"hello"),
        "the connection goes on"
    );
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn idle_h2_connections_are_closed() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .keep_alive_timeout(Duration::from_millis(200))
        .start(app)
        .unwrap();
    let sender = h2_client(TcpStream::connect(server.local_addr()).unwrap());
    assert_eq!(send(sender.clone(), "GET", "/", Vec::new()).status, 200);
    let start = Instant::now();
    while server.connections() > 0 {
        assert!(start.elapsed() < Duration::from_secs(5), "still open");
        green::sleep(Duration::from_millis(10));
    }
    assert!(sender.is_closed() || !sender.is_ready());
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn stop_lets_h2_streams_in_flight_finish() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let sender = h2_client(TcpStream::connect(server.local_addr()).unwrap());
    let in_flight = {
        let sender = sender.clone();
        green::spawn(move || send(sender, "GET", "/sleep", Vec::new()))
    };
    green::sleep(Duration::from_millis(50));
    let start = Instant::now();
    server.stop(Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "stop waited for the timeout"
    );
    assert_eq!(in_flight.join().unwrap().body, b"slept");
    assert_eq!(server.connections(), 0);
}

#[green::test]
fn stop_kills_h2_streams_that_outlive_the_timeout() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let sender = h2_client(TcpStream::connect(server.local_addr()).unwrap());
    let stuck = {
        let sender = sender.clone();
        green::spawn(move || async move {
            let mut sender = sender;
            sender.ready().await.unwrap();
            let request = hyper::Request::get("http://localhost/stuck")
                .body(http_body_util::Full::new(bytes::Bytes::new()))
                .unwrap();
            sender.send_request(request).await.map(|r| r.status())
        })
    };
    green::sleep(Duration::from_millis(50));
    let start = Instant::now();
    server.stop(Duration::from_millis(200));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(server.connections(), 0);
    assert!(
        stuck.join().unwrap().is_err(),
        "no answer from a killed stream"
    );
}

#[green::test]
fn logs_h2_requests() {
    let log = SharedLog::default();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .access_log_to(log.clone())
        .start(app)
        .unwrap();
    let sender = h2_client(TcpStream::connect(server.local_addr()).unwrap());
    send(sender.clone(), "GET", "/", Vec::new());
    send(sender, "GET", "/nowhere?x=1", Vec::new());
    server.stop(Duration::from_secs(1));
    let text = String::from_utf8(log.0.borrow().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("127.0.0.1 - - ["), "{text}");
    assert!(lines[0].ends_with("] \"GET / HTTP/2.0\" 200 5"), "{text}");
    assert!(
        lines[1].ends_with("] \"GET /nowhere?x=1 HTTP/2.0\" 404 11"),
        "{text}"
    );
}

#[green::test]
fn a_cut_preface_is_http1_or_waits() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .header_read_timeout(Duration::from_millis(300))
        .start(app)
        .unwrap();
    // "PRI" that turns out to be something else: HTTP/1.1's 400.
    let mut conn = TcpStream::connect(server.local_addr()).unwrap();
    conn.write_all(b"PRI").unwrap();
    green::sleep(Duration::from_millis(50));
    conn.write_all(b" / HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    // Half a preface, then silence: closed after the header timeout.
    let mut conn = TcpStream::connect(server.local_addr()).unwrap();
    conn.write_all(b"PRI * HTTP/2.0\r\n").unwrap();
    let start = Instant::now();
    let mut rest = Vec::new();
    let _ = conn.read_to_end(&mut rest);
    assert!(start.elapsed() < Duration::from_secs(5));
    server.stop(Duration::from_secs(1));
}
