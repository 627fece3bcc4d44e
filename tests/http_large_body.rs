//! A 100 MiB body echoed over HTTP/1.1 by green::http, streamed both ways:
//! the client writes and checks it piece by piece, and the server, whose
//! handler gives the request body back as the response's, must not hold it
//! all (checked by the process's peak memory, alone in this test binary).
#![cfg(feature = "http")]

use std::time::{Duration, Instant};

use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;
use green::http::{Request, Response, Server};

const LEN: usize = 100 << 20;
const PIECE: usize = 64 * 1024;
const PERIOD: usize = 251;

#[green::green]
fn echo(req: Request) -> Response {
    Response::new(req.into_body())
}

/// The body's bytes from offset `at`: a 251-periodic pattern, so that any
/// piece is a slice of one short buffer (compared with memcmp, quick even
/// in a debug build).
fn piece(pattern: &[u8], at: usize, len: usize) -> &[u8] {
    &pattern[at % PERIOD..at % PERIOD + len]
}

#[green::green]
fn send_body(mut stream: TcpStream, pattern: Vec<u8>) -> std::io::Result<()> {
    let mut at = 0;
    while at < LEN {
        let n = PIECE.min(LEN - at);
        stream.write_all(piece(&pattern, at, n))?;
        at += n;
    }
    Ok(())
}

/// Peak resident memory of this process (Linux), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[green::test]
fn echoes_100_mib_streamed_byte_for_byte() {
    let pattern: Vec<u8> = (0..PERIOD + PIECE).map(|i| (i % PERIOD) as u8).collect();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .max_body_size(LEN as u64)
        .start(echo)
        .unwrap();
    let before = peak_rss();
    let start = Instant::now();

    let mut conn = TcpStream::connect(server.local_addr()).unwrap();
    let head = format!("POST /echo HTTP/1.1\r\nhost: t\r\ncontent-length: {LEN}\r\n\r\n");
    conn.write_all(head.as_bytes()).unwrap();
    let writer = conn.try_clone().unwrap();
    let sent = pattern.clone();
    let sending = green::spawn(move || send_body(writer, sent));

    // The response head, byte by byte up to the blank line.
    let mut head = Vec::new();
    let mut byte = [0];
    while !head.ends_with(b"\r\n\r\n") {
        conn.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap().to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200 ok\r\n"), "{head}");
    assert!(
        head.contains(&format!("content-length: {LEN}\r\n")),
        "{head}"
    );

    let mut buf = vec![0; PIECE];
    let mut got = 0;
    while got < LEN {
        let n = conn.read(&mut buf[..PIECE.min(LEN - got)]).unwrap();
        assert!(n > 0, "closed after {got} bytes");
        assert!(buf[..n] == *piece(&pattern, got, n), "differs at {got}");
        got += n;
    }
    sending.join().unwrap().unwrap();
    let took = start.elapsed();
    eprintln!("100 MiB echoed in {took:?}");
    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let grew = after.saturating_sub(before);
        eprintln!("peak memory grew by {} KiB", grew / 1024);
        assert!(
            grew < 32 << 20,
            "peak memory grew by {grew} bytes: the body was held"
        );
    }
    assert!(took < Duration::from_secs(120));
    server.stop(Duration::from_secs(1));
}
