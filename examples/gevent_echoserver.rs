//! gevent's `echoserver.py` on green: a `StreamServer` greets each client,
//! echoes every line back until the client sends `quit` or hangs up. Each
//! connection runs in its own green task; the handler reads lines as if it
//! blocked.
//!
//! ```text
//! cargo run --example gevent_echoserver -- [ADDR]   # default 127.0.0.1:16000
//! telnet 127.0.0.1 16000
//! ```

use std::io::Result;

use green::compat::io::{BufRead, BufReader, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::server::{ServerHandle, StreamServer};

/// The first line every client gets.
pub(crate) const WELCOME: &[u8] = b"Welcome to the echo server! Type quit to exit.\r\n";

/// One connection: greet, then echo lines until EOF or `quit`.
#[green::green]
pub(crate) fn echo(mut stream: TcpStream, peer: SocketAddr) -> Result<()> {
    println!("new connection from {peer}");
    stream.write_all(WELCOME)?;
    // gevent reads through `makefile`; here a BufReader over a second
    // handle of the same socket gives `read_line`.
    let mut lines = BufReader::new(stream.try_clone()?);
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line)? == 0 {
            println!("{peer} disconnected");
            return Ok(());
        }
        if line.trim_ascii().eq_ignore_ascii_case(b"quit") {
            println!("{peer} quit");
            return Ok(());
        }
        stream.write_all(&line)?;
        println!("echoed {:?}", String::from_utf8_lossy(&line));
    }
}

/// Starts the server on `addr` in the background (gevent's `start()`).
#[green::green]
pub(crate) fn start(addr: &str) -> Result<ServerHandle> {
    StreamServer::bind(addr)?.start(echo)
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:16000".to_owned());
    let server = StreamServer::bind(addr.as_str())?;
    println!("starting echo server on {}", server.local_addr()?);
    // gevent's serve_forever(): the accept loop runs in this task.
    server.serve(echo)
}
