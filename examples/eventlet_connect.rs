//! eventlet's `connect.py` on green: connects to several servers at once,
//! sends each a bare `GET /`, and prints the start of each answer in the
//! order the servers were given (a `Pile` gives results in spawn order,
//! whichever answers first).
//!
//! ```text
//! cargo run --example eventlet_connect -- [HOST[:PORT]..]   # port 80
//! ```

use std::io::Result;

use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;

/// `host`, with `:80` added when it names no port.
pub(crate) fn with_port(host: &str) -> String {
    match host.rsplit_once(':') {
        Some((_, port)) if port.parse::<u16>().is_ok() => host.to_owned(),
        _ => format!("{host}:80"),
    }
}

/// Connects to `server`, sends `GET /` and gives the first read of the
/// answer (at most 1024 bytes).
#[green::green]
pub(crate) fn geturl(server: String) -> Result<Vec<u8>> {
    let mut stream = TcpStream::connect(server.as_str())?;
    println!("{server} connected");
    stream.write_all(b"GET /\r\n\r\n")?;
    let mut buf = vec![0u8; 1024];
    let n = stream.read(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

/// Fetches from every server at once; the answers in the order given.
#[green::green]
pub(crate) fn fetch_all(servers: &[String]) -> Vec<Result<Vec<u8>>> {
    let pile = green::Pile::new();
    for server in servers {
        let server = with_port(server);
        pile.spawn(move || geturl(server));
    }
    let mut answers = Vec::new();
    while let Some(answer) = pile.next() {
        // A task that panicked is a failed fetch too.
        answers.push(answer.unwrap_or_else(|e| Err(std::io::Error::other(e.to_string()))));
    }
    answers
}

#[green::main]
fn main() {
    let mut servers: Vec<String> = std::env::args().skip(1).collect();
    if servers.is_empty() {
        servers = ["www.google.com", "www.yandex.ru", "www.python.org"]
            .map(String::from)
            .to_vec();
    }
    for (server, answer) in servers.iter().zip(fetch_all(&servers)) {
        match answer {
            Ok(data) => {
                let text = String::from_utf8_lossy(&data);
                println!("{server}: {:?}", text.chars().take(50).collect::<String>())
            }
            Err(e) => println!("{server}: {e}"),
        }
    }
}
