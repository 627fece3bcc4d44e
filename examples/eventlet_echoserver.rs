//! eventlet's `echoserver.py` on green: a hand-written accept loop that
//! hands each client to a `GreenPool` of 10,000, and a handler that echoes
//! every line back through a buffered reader and writer.
//!
//! ```text
//! cargo run --example eventlet_echoserver -- [ADDR]   # default 127.0.0.1:6000
//! telnet 127.0.0.1 6000
//! ```

use std::io::Result;

use green::compat::io::{BufRead, BufReader, BufWriter, Write};
use green::compat::net::{TcpListener, TcpStream};

/// One client: echo each line until EOF. eventlet's two `makefile`s are a
/// `BufReader` and a `BufWriter` over two handles of the socket.
#[green::green]
pub(crate) fn handle(stream: TcpStream) -> Result<()> {
    println!("client connected");
    let mut writer = BufWriter::new(stream.try_clone()?);
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 {
        writer.write_all(line.as_bytes())?;
        writer.flush()?;
        println!("echoed {}", line.trim_end());
        line.clear();
    }
    println!("client disconnected");
    Ok(())
}

/// Accepts for ever, running each client's handler in a pool of `size`.
#[green::green]
pub(crate) fn serve(listener: TcpListener, size: usize) -> Result<()> {
    let pool = green::Pool::new(size);
    loop {
        match listener.accept() {
            Ok((stream, address)) => {
                println!("accepted {address}");
                // eventlet's spawn_n: waits for a free slot, then goes on.
                pool.spawn(move || handle(stream));
            }
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:6000".to_owned());
    let listener = green::server::listen(addr.as_str())?;
    println!("server socket listening on {}", listener.local_addr()?);
    serve(listener, 10_000)
}
