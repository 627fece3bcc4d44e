//! A green TCP echo server: one green task per connection, plain
//! blocking-looking code, on 127.0.0.1.
//!
//! ```text
//! cargo run --release --example echo_server -- 7000
//! # in another shell: nc 127.0.0.1 7000
//! ```

use std::io::Result;

use green::compat::io::{Read, Write};
use green::compat::net::{TcpListener, TcpStream};

#[green::green]
fn handle(mut stream: TcpStream) -> Result<()> {
    let peer = stream.peer_addr()?;
    stream.set_nodelay(true)?;
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            println!("{peer} left");
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}

#[green::main]
fn main() -> Result<()> {
    let port: u16 = match std::env::args().nth(1) {
        Some(arg) => arg.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("bad port `{arg}`"),
            )
        })?,
        None => 7000,
    };
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    println!("echo server on {}", listener.local_addr()?);
    for stream in listener.incoming() {
        // An accept error (too many open files, ..) must not end the
        // server; compat's accept paces itself after one, so logging and
        // going on neither spins nor floods the log. green::server's
        // StreamServer does all of this for you.
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        println!("{} joined", stream.peer_addr()?);
        green::spawn(move || handle(stream));
    }
    Ok(())
}
