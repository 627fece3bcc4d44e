//! gevent's `udp_server.py` on green: a `DatagramServer` that answers every
//! datagram with how many bytes it got. Each datagram is handled in a green
//! task of its own.
//!
//! ```text
//! cargo run --example udp_server -- [ADDR]    # default 127.0.0.1:9000
//! cargo run --example udp_client -- hello     # prints: got "Received 5 bytes"
//! ```

use std::io::Result;

use green::compat::net::{SocketAddr, UdpSocket};
use green::server::{DatagramServer, ServerHandle};

/// The reply to a datagram of `len` bytes.
pub(crate) fn reply_to(len: usize) -> String {
    format!("Received {len} bytes")
}

/// One datagram: log it and answer its sender.
#[green::green]
pub(crate) fn handle(data: Vec<u8>, peer: SocketAddr, socket: UdpSocket) -> Result<()> {
    println!("{}: got {:?}", peer.ip(), String::from_utf8_lossy(&data));
    socket.send_to(reply_to(data.len()).as_bytes(), peer)?;
    Ok(())
}

/// Starts the server on `addr` in the background.
#[green::green]
pub(crate) fn start(addr: &str) -> Result<ServerHandle> {
    DatagramServer::bind(addr)?.start(handle)
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9000".to_owned());
    let server = DatagramServer::bind(addr.as_str())?;
    println!("receiving datagrams on {}", server.local_addr()?);
    server.serve(handle)
}
