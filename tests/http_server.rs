//! green::http driven by real clients on 127.0.0.1: raw HTTP/1.1 written on
//! compat TcpStreams (keep-alive, pipelining, limits, stop) and `curl` where
//! present (skipped with a notice otherwise).
#![cfg(feature = "http")]

mod http_support;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::TcpStream;
use green::compat::process::Command;
use green::http::{Body, Request, Response, Server, ServerHandle, StatusCode, header};
use http_support::SharedLog;

/// The test app: a route per behaviour under test.
#[green::green]
fn app(req: Request) -> Result<Response, String> {
    let path = req.uri().path().to_owned();
    match path.as_str() {
        "/" => Ok(Response::new(Body::from("hello"))),
        "/echo" => Ok(Response::new(req.into_body())),
        "/text" => {
            let text = req.into_body().text().map_err(|e| e.to_string())?;
            Ok(Response::new(Body::from(format!("{} bytes", text.len()))))
        }
        "/read" => {
            let mut body = req.into_body();
            let mut bytes = Vec::new();
            body.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            Ok(Response::new(Body::from(format!("{} bytes", bytes.len()))))
        }
        "/sleep" => {
            green::sleep(Duration::from_millis(200));
            Ok(Response::new(Body::from("slept")))
        }
        "/stuck" => {
            green::sleep(Duration::from_secs(30));
            Ok(Response::new(Body::from("never")))
        }
        "/big" => Ok(Response::new(Body::from(vec![b'x'; 4 << 20]))),
        "/stream" => {
            let (mut writer, body) = Body::channel();
            green::spawn(move || async move {
                for i in 0..3 {
                    writer.write_all(format!("part {i}\n").as_bytes()).await?;
                }
                Ok::<_, std::io::Error>(())
            });
            Ok(Response::new(body))
        }
        "/err" => Err("the handler failed".to_owned()),
        "/panic" => panic!("the handler panicked"),
        _ => {
            let mut missing = Response::new(Body::from(format!("no {path}")));
            *missing.status_mut() = StatusCode::NOT_FOUND;
            Ok(missing)
        }
    }
}

#[derive(Debug, PartialEq)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

#[green::green]
fn read_line(reader: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    Ok(line.trim_end().to_owned())
}

/// Reads one response (content-length, chunked, or to EOF).
#[green::green]
fn read_response(reader: &mut BufReader<TcpStream>) -> io::Result<Reply> {
    let status_line = read_line(reader)?;
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
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
        let mut body = vec![0; len.parse().unwrap()];
        reader.read_exact(&mut body)?;
        reply.body = body;
    } else if reply.header("transfer-encoding") == Some("chunked") {
        loop {
            let size = usize::from_str_radix(&read_line(reader)?, 16).unwrap();
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            reply.body.extend_from_slice(&chunk[..size]);
        }
    } else {
        reader.read_to_end(&mut reply.body)?;
    }
    Ok(reply)
}

#[green::green]
fn connect(server: &ServerHandle) -> BufReader<TcpStream> {
    BufReader::new(TcpStream::connect(server.local_addr()).unwrap())
}

/// One request on a new connection; the whole response.
#[green::green]
fn request(server: &ServerHandle, raw: &str) -> Reply {
    let mut conn = connect(server);
    conn.get_mut().write_all(raw.as_bytes()).unwrap();
    read_response(&mut conn).unwrap()
}

/// GET `path` from `addr` on a new connection.
#[green::green]
fn get_at(addr: std::net::SocketAddr, path: &'static str) -> Reply {
    let mut conn = BufReader::new(TcpStream::connect(addr).unwrap());
    conn.get_mut().write_all(get(path).as_bytes()).unwrap();
    read_response(&mut conn).unwrap()
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nhost: test\r\n\r\n")
}

#[green::test]
fn answers_status_headers_and_body() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let hello = request(&server, &get("/"));
    assert_eq!((hello.status, hello.text()), (200, "hello"));
    assert_eq!(hello.header("content-length"), Some("5"));
    assert!(hello.header("date").is_some());
    let missing = request(&server, &get("/nowhere"));
    assert_eq!((missing.status, missing.text()), (404, "no /nowhere"));
    let streamed = request(&server, &get("/stream"));
    assert_eq!(streamed.header("transfer-encoding"), Some("chunked"));
    assert_eq!(streamed.text(), "part 0\npart 1\npart 2\n");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn keeps_the_connection_alive() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let mut conn = connect(&server);
    for _ in 0..2 {
        conn.get_mut().write_all(get("/").as_bytes()).unwrap();
        let reply = read_response(&mut conn).unwrap();
        assert_eq!(reply.text(), "hello");
    }
    assert_eq!(server.connections(), 1, "both requests on one connection");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn answers_pipelined_requests_in_order() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let mut conn = connect(&server);
    let pipeline = format!("{}{}{}", get("/a"), get("/sleep"), get("/c"));
    conn.get_mut().write_all(pipeline.as_bytes()).unwrap();
    let mut texts = Vec::new();
    for _ in 0..3 {
        texts.push(read_response(&mut conn).unwrap().text().to_owned());
    }
    assert_eq!(texts, ["no /a", "slept", "no /c"]);
    server.stop(Duration::from_secs(1));
}

/// Writes `body` in `piece`-byte writes with `pause` between them.
#[green::green]
fn send_body(
    mut stream: TcpStream,
    body: Vec<u8>,
    piece: usize,
    pause: Duration,
) -> io::Result<()> {
    for chunk in body.chunks(piece) {
        stream.write_all(chunk)?;
        if !pause.is_zero() {
            green::sleep(pause);
        }
    }
    Ok(())
}

/// POSTs `len` bytes to /echo (written by another task while this one
/// reads) and checks they come back byte for byte.
#[green::green]
fn echo(server: &ServerHandle, len: usize) {
    let body: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
    let mut conn = connect(server);
    let head = format!("POST /echo HTTP/1.1\r\nhost: t\r\ncontent-length: {len}\r\n\r\n");
    conn.get_mut().write_all(head.as_bytes()).unwrap();
    let writer = conn.get_ref().try_clone().unwrap();
    let sent = body.clone();
    let sending = green::spawn(move || send_body(writer, sent, 64 * 1024, Duration::ZERO));
    let reply = read_response(&mut conn).unwrap();
    sending.join().unwrap().unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body.len(), len);
    assert!(reply.body == body, "the echo differs");
}

#[green::test]
fn echoes_a_large_body() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_body_size(200 << 20)
        .start(app)
        .unwrap();
    echo(&server, 1 << 20);
    let start = Instant::now();
    echo(&server, 16 << 20);
    eprintln!("16 MiB echoed in {:?}", start.elapsed());
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn reads_chunked_and_streamed_request_bodies() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let chunked = "POST /text HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n";
    let reply = request(&server, chunked);
    assert_eq!((reply.status, reply.text()), (200, "7 bytes"));
    let read = "POST /read HTTP/1.1\r\nhost: t\r\ncontent-length: 5\r\n\r\nhello";
    assert_eq!(request(&server, read).text(), "5 bytes");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn serves_a_slow_writer_and_a_slow_reader() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    // Slow writer: 2000 bytes in 100-byte writes, 10 ms apart.
    let mut conn = connect(&server);
    let head = "POST /text HTTP/1.1\r\nhost: t\r\ncontent-length: 2000\r\n\r\n";
    conn.get_mut().write_all(head.as_bytes()).unwrap();
    let writer = conn.get_ref().try_clone().unwrap();
    send_body(writer, vec![b'a'; 2000], 100, Duration::from_millis(10)).unwrap();
    assert_eq!(read_response(&mut conn).unwrap().text(), "2000 bytes");
    // Slow reader: a 4 MiB answer read 64 KiB at a time, 5 ms apart.
    let mut conn = connect(&server);
    conn.get_mut().write_all(get("/big").as_bytes()).unwrap();
    green::sleep(Duration::from_millis(200)); // the server's writes stall meanwhile
    let mut head = String::new();
    while !head.ends_with("\r\n\r\n") {
        head.push(read_exact_byte(&mut conn) as char);
    }
    let mut total = 0;
    let mut buf = vec![0; 64 * 1024];
    while total < 4 << 20 {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0 && buf[..n].iter().all(|&b| b == b'x'));
        total += n;
        green::sleep(Duration::from_millis(1));
    }
    assert_eq!(total, 4 << 20);
    server.stop(Duration::from_secs(1));
}

#[green::green]
fn read_exact_byte(conn: &mut BufReader<TcpStream>) -> u8 {
    let mut byte = [0];
    conn.read_exact(&mut byte).unwrap();
    byte[0]
}

#[green::test]
fn serves_a_thousand_concurrent_clients() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    if soft < 2_200 {
        let _ = rlimit::setrlimit(rlimit::Resource::NOFILE, hard.min(4096), hard);
    }
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let addr = server.local_addr();
    let start = Instant::now();
    let clients: Vec<_> = (0..1000)
        .map(|_| green::spawn(move || get_at(addr, "/sleep")))
        .collect();
    for client in green::joinall(clients) {
        assert_eq!(client.map(|reply| reply.status), Ok(200));
    }
    let took = start.elapsed();
    eprintln!("1000 clients x 200 ms handler: {took:?}");
    assert!(
        took < Duration::from_secs(30),
        "took {took:?}; one at a time would take 200 s"
    );
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn refuses_bad_requests_before_the_handler() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_body_size(1000)
        .max_header_size(8192)
        .start(app)
        .unwrap();
    let malformed = request(&server, "GET / HTTP/1.1\r\nno colon here\r\n\r\n");
    assert_eq!(malformed.status, 400);
    let bad_line = request(&server, "G(T / HTTP/1.1\r\nhost: t\r\n\r\n");
    assert_eq!(bad_line.status, 400);
    let bad_length = request(
        &server,
        "GET / HTTP/1.1\r\nhost: t\r\ncontent-length: abc\r\n\r\n",
    );
    assert_eq!(bad_length.status, 400);
    let declared = "POST /text HTTP/1.1\r\nhost: t\r\ncontent-length: 1001\r\n\r\n";
    assert_eq!(request(&server, declared).status, 413);
    let chunk = format!("{:x}\r\n{}\r\n", 1500, "y".repeat(1500));
    let chunked = format!(
        "POST /text HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n{chunk}0\r\n\r\n"
    );
    let reply = request(&server, &chunked);
    assert_eq!(reply.status, 413);
    assert_eq!(reply.header("connection"), Some("close"));
    let huge = format!(
        "GET / HTTP/1.1\r\nhost: t\r\nx-big: {}\r\n\r\n",
        "z".repeat(20_000)
    );
    assert_eq!(request(&server, &huge).status, 431);
    server.stop(Duration::from_secs(1));
}

/// A server whose header-read timeout is `HEAD_TIMEOUT`.
#[green::green]
fn with_head_timeout() -> ServerHandle {
    Server::bind("127.0.0.1:0")
        .unwrap()
        .header_read_timeout(HEAD_TIMEOUT)
        .start(app)
        .unwrap()
}

const HEAD_TIMEOUT: Duration = Duration::from_millis(200);

#[green::test]
fn times_out_a_slow_head() {
    let server = with_head_timeout();
    let start = Instant::now();
    let reply = request(&server, "GET / HTTP/1.1\r\nhost: t\r\n");
    assert_eq!(reply.status, 408);
    // Never before the timeout, counted from the head's first bytes.
    assert!(start.elapsed() >= HEAD_TIMEOUT);
    assert!(start.elapsed() < Duration::from_secs(5));
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn times_a_trickled_head_from_its_first_byte() {
    let server = with_head_timeout();
    let mut conn = connect(&server);
    conn.get_mut().write_all(b"GET / HTTP/1.1\r\n").unwrap();
    // A header byte every 50 ms for 3 s: were the timeout counted from the
    // latest bytes, the head would never time out while they come.
    let writer = conn.get_ref().try_clone().unwrap();
    let trickle = green::spawn(move || trickle_head(writer, 60, Duration::from_millis(50)));
    let reply = read_response(&mut conn).unwrap();
    assert_eq!(reply.status, 408);
    let written = trickle.join().unwrap();
    assert!(
        written < 60,
        "the 408 came only after the whole trickle ({written} bytes)"
    );
    server.stop(Duration::from_secs(1));
}

/// Writes `count` bytes of a header line one at a time, `gap` apart, until
/// the server closes; how many it wrote.
#[green::green]
fn trickle_head(mut writer: TcpStream, count: usize, gap: Duration) -> usize {
    for written in 0..count {
        if writer.write_all(b"x").is_err() {
            return written;
        }
        green::sleep(gap);
    }
    count
}

#[green::test]
fn closes_idle_keep_alive_connections() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .keep_alive_timeout(Duration::from_millis(200))
        .start(app)
        .unwrap();
    let mut conn = connect(&server);
    conn.get_mut().write_all(get("/").as_bytes()).unwrap();
    assert_eq!(read_response(&mut conn).unwrap().status, 200);
    let start = Instant::now();
    let mut rest = Vec::new();
    conn.read_to_end(&mut rest).unwrap(); // EOF once the server closes
    assert!(rest.is_empty());
    assert!(start.elapsed() < Duration::from_secs(5));
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn answers_500_for_errors_and_panics_and_goes_on() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    assert_eq!(request(&server, &get("/err")).status, 500);
    let panicked = request(&server, &get("/panic"));
    assert_eq!(
        (panicked.status, panicked.text()),
        (500, "Internal Server Error")
    );
    assert_eq!(request(&server, &get("/")).text(), "hello");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn answers_500_when_the_app_itself_panics_before_making_its_work() {
    let picky = |req: Request| {
        if req.uri().path() == "/refuse" {
            panic!("the app refused before making its work");
        }
        app(req)
    };
    let server = Server::bind("127.0.0.1:0").unwrap().start(picky).unwrap();
    let mut client = connect(&server);
    client
        .get_mut()
        .write_all(get("/refuse").as_bytes())
        .unwrap();
    let refused = read_response(&mut client).unwrap();
    assert_eq!(
        (refused.status, refused.text()),
        (500, "Internal Server Error")
    );
    // The same connection goes on.
    client.get_mut().write_all(get("/").as_bytes()).unwrap();
    assert_eq!(read_response(&mut client).unwrap().text(), "hello");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn waits_for_a_free_slot_at_max_connections() {
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_connections(1)
        .start(app)
        .unwrap();
    let mut first = connect(&server);
    first.get_mut().write_all(get("/").as_bytes()).unwrap();
    read_response(&mut first).unwrap();
    let addr = server.local_addr();
    let second = green::spawn(move || get_at(addr, "/"));
    green::sleep(Duration::from_millis(300));
    assert!(!second.is_ready(), "served past max_connections");
    drop(first);
    assert_eq!(second.join().map(|reply| reply.status), Ok(200));
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn stop_lets_requests_in_flight_finish() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let addr = server.local_addr();
    let in_flight = green::spawn(move || get_at(addr, "/sleep"));
    let mut idle = connect(&server);
    idle.get_mut().write_all(get("/").as_bytes()).unwrap();
    read_response(&mut idle).unwrap();
    green::sleep(Duration::from_millis(50));
    let start = Instant::now();
    server.stop(Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "stop waited for the timeout"
    );
    let reply = in_flight.join().unwrap();
    assert_eq!(reply.text(), "slept");
    let mut rest = Vec::new();
    idle.read_to_end(&mut rest).unwrap(); // the idle connection was closed
    assert!(TcpStream::connect(addr).is_err(), "still accepting");
}

#[green::test]
fn stop_drops_what_outlives_the_timeout() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let mut stuck = connect(&server);
    stuck.get_mut().write_all(get("/stuck").as_bytes()).unwrap();
    green::sleep(Duration::from_millis(50));
    let start = Instant::now();
    server.stop(Duration::from_millis(200));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(server.connections(), 0);
    let mut rest = Vec::new();
    let _ = stuck.read_to_end(&mut rest);
    assert!(rest.is_empty(), "no answer from a dropped handler");
}

#[green::test]
fn logs_requests_in_common_log_format() {
    let log = SharedLog::default();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .access_log_to(log.clone())
        .start(app)
        .unwrap();
    request(&server, &get("/"));
    request(&server, &get("/nowhere?x=1"));
    server.stop(Duration::from_secs(1));
    let text = String::from_utf8(log.0.borrow().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("127.0.0.1 - - ["), "{text}");
    assert!(lines[0].ends_with("] \"GET / HTTP/1.1\" 200 5"), "{text}");
    assert!(
        lines[1].ends_with("] \"GET /nowhere?x=1 HTTP/1.1\" 404 11"),
        "{text}"
    );
}

/// Runs curl with `args`, `None` (and a notice) if curl is missing.
#[green::green]
fn curl(args: &[&str]) -> Option<std::process::Output> {
    match Command::new("curl")
        .args(["-sS", "--max-time", "20"])
        .args(args)
        .output()
    {
        Ok(output) => Some(output),
        Err(err) if err.kind() == ErrorKind::NotFound => {
            eprintln!("curl not found: skipping (.ci/run installs it)");
            None
        }
        Err(err) => panic!("curl: {err}"),
    }
}

#[green::test]
fn curl_gets_posts_and_expects_continue() {
    let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    let base = format!("http://{}", server.local_addr());
    let Some(out) = curl(&["-i", &format!("{base}/")]) else {
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("\r\ncontent-length: 5\r\n"), "{text}");
    assert!(text.ends_with("\r\n\r\nhello"), "{text}");

    let body: String = (0..100_000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let file = std::env::temp_dir().join(format!("green-http-curl-{}", std::process::id()));
    green::compat::fs::write(&file, &body).unwrap();
    let upload = format!("@{}", file.display());
    let echo = format!("{base}/echo");
    let out = curl(&[
        "--data-binary",
        &upload,
        "-H",
        "Expect: 100-continue",
        &echo,
    ])
    .unwrap();
    assert_eq!(
        out.stdout,
        body.as_bytes(),
        "echo with Expect: 100-continue"
    );
    let out = curl(&[
        "--data-binary",
        &upload,
        "-H",
        "Transfer-Encoding: chunked",
        &echo,
    ])
    .unwrap();
    assert_eq!(out.stdout, body.as_bytes(), "chunked upload echo");
    let _ = green::compat::fs::remove_file(&file);

    let out = curl(&[
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        &format!("{base}/panic"),
    ])
    .unwrap();
    assert_eq!(out.stdout, b"500");
    let out = curl(&[&format!("{base}/stream")]).unwrap();
    assert_eq!(out.stdout, b"part 0\npart 1\npart 2\n");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn handlers_see_headers() {
    #[green::green]
    fn agent(req: Request) -> Response {
        let agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-");
        Response::new(Body::from(agent.to_owned()))
    }
    let server = Server::bind("127.0.0.1:0").unwrap().start(agent).unwrap();
    let reply = request(
        &server,
        "GET / HTTP/1.1\r\nhost: t\r\nuser-agent: tester/1\r\n\r\n",
    );
    assert_eq!(reply.text(), "tester/1");
    server.stop(Duration::from_secs(1));
}

/// `examples/http_hello.rs --once` (built by `cargo test`, skipped with a
/// notice when only this test target was built) answers one request and
/// exits.
#[green::test]
fn the_hello_example_answers_once() {
    let deps = std::env::current_exe().unwrap();
    let example = deps
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/http_hello");
    if !example.exists() {
        eprintln!(
            "{} not built: skipping (cargo test builds it)",
            example.display()
        );
        return;
    }
    let mut child = Command::new(&example)
        .arg("--once")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr: std::net::SocketAddr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap()
        .parse()
        .unwrap();
    let reply = get_at(addr, "/");
    assert_eq!((reply.status, reply.text()), (200, "Hello, World!"));
    assert!(child.wait().unwrap().success());
}
