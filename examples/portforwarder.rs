//! gevent's `portforwarder.py` on green: a `StreamServer` that connects each
//! client to a destination and copies bytes both ways. On Ctrl-C (or
//! SIGTERM) it stops accepting and waits for the open connections to end,
//! then exits; a second signal exits at once.
//!
//! ```text
//! cargo run --example portforwarder -- 127.0.0.1:8080 example.org:80
//! curl -H 'Host: example.org' http://127.0.0.1:8080/
//! ```

use std::io::{Error, ErrorKind, Result};
use std::time::Duration;

use green::compat::io::{Read, Write};
use green::compat::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use green::server::{ServerHandle, StreamServer};

/// Copies `source` to `dest` until `source` ends, then passes the end on
/// (a half close, so the other direction can still finish). Gives the
/// bytes copied.
#[green::green]
pub(crate) fn forward(mut source: TcpStream, mut dest: TcpStream) -> Result<u64> {
    let (from, to) = (source.peer_addr()?, dest.peer_addr()?);
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    let result = loop {
        match source.read(&mut buf) {
            Ok(0) => break Ok(total),
            Ok(n) => {
                eprintln!("{from}->{to}: {n} bytes");
                if let Err(e) = dest.write_all(&buf[..n]) {
                    break Err(e);
                }
                total += n as u64;
            }
            Err(e) => break Err(e),
        }
    };
    // Whatever ended the copy, the peer must learn of it; errors here only
    // mean it already knows.
    let _ = dest.shutdown(Shutdown::Write);
    result
}

/// One client: connect to `dest`, then forward both ways. One direction
/// runs in a green task of its own, the other in the handler's task, so
/// the handler lives as long as the connection (and `stop` waits for it).
#[green::green]
pub(crate) fn handle(client: TcpStream, peer: SocketAddr, dest: SocketAddr) -> Result<()> {
    eprintln!("{peer} accepted");
    let upstream = match TcpStream::connect(dest) {
        Ok(upstream) => upstream,
        Err(e) => {
            eprintln!("{peer} failed to connect to {dest}: {e}");
            return Ok(()); // dropping `client` closes it
        }
    };
    let (client_in, upstream_out) = (client.try_clone()?, upstream.try_clone()?);
    let to_dest = green::spawn(move || forward(client_in, upstream_out));
    let back = forward(upstream, client);
    let there = to_dest.join().map_err(|e| Error::other(e.to_string()))?;
    eprintln!("{peer} closed: {} bytes there, {} back", there?, back?);
    Ok(())
}

/// Starts forwarding connections on `listen` to `dest`.
#[green::green]
pub(crate) fn start(listen: SocketAddr, dest: SocketAddr) -> Result<ServerHandle> {
    StreamServer::bind(listen)?.start(move |client, peer| handle(client, peer, dest))
}

/// `HOST:PORT` resolved to its first address (gevent's `gethostbyname`).
#[green::green]
pub(crate) fn parse_address(address: &str) -> Result<SocketAddr> {
    let bad = || {
        Error::new(
            ErrorKind::InvalidInput,
            format!("expected HOST:PORT: {address:?}"),
        )
    };
    let (host, port) = address.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    let host = if host.is_empty() { "0.0.0.0" } else { host };
    let mut addrs = (host, port).to_socket_addrs()?;
    addrs.next().ok_or_else(bad)
}

#[green::main]
fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, dest] = args.as_slice() else {
        eprintln!("usage: portforwarder SOURCE-ADDRESS DESTINATION-ADDRESS");
        std::process::exit(2);
    };
    let dest = parse_address(dest)?;
    let listen = parse_address(source)?;
    let server = start(listen, dest)?;
    eprintln!("starting port forwarder {} -> {dest}", server.local_addr());
    // gevent installs signal handlers that close the server; here main
    // waits for ^C as for anything else, then drains.
    green::signal::ctrl_c()?;
    eprintln!("closing listener socket; waiting for open connections (^C again aborts)");
    green::spawn(|| {
        green::signal::ctrl_c().ok();
        eprintln!("multiple exit signals received - aborting");
        std::process::exit(1)
    });
    // As long as the open connections take.
    server.stop(Duration::MAX);
    Ok(())
}
