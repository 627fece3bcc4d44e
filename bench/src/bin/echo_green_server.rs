//! echo server, green through `green::server::StreamServer` (gevent's
//! `StreamServer(addr, handle).serve_forever()`): the same handler as
//! echo_green.rs, with the accept loop, the task per connection (named
//! after the peer) and the handler's error reporting left to the server
//! instead of written by hand.
//!
//! `echo_green_server --port 0 [--workers N]` prints `PORT n` and serves
//! 127.0.0.1:n until killed; with `--workers N` (the scaling rows) on N
//! hubs, `StreamServer::workers(N)` (1, the default, is the server on
//! this hub).

use std::io::Result;

use green::compat::io::{Read, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::server::StreamServer;

#[green::green]
fn echo(mut stream: TcpStream, _peer: SocketAddr) -> Result<()> {
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}

#[green::green]
fn serve(port: u16, workers: usize) -> Result<()> {
    let server = StreamServer::bind(("127.0.0.1", port))?;
    green_bench::announce_port(server.local_addr()?.port());
    if workers == 1 {
        server.serve(echo)?;
    } else {
        server.workers(workers).serve(echo)?;
    }
    Ok(())
}

fn main() {
    let port: u16 = green_bench::arg("port", 0);
    let workers: usize = green_bench::arg("workers", 1);
    green_bench::raise_fd_limit();
    if let Err(err) = green::run(serve(port, workers)) {
        eprintln!("echo_green_server: {err}");
        std::process::exit(1);
    }
}
