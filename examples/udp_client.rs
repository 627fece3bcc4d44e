//! gevent's `udp_client.py` on green: sends its arguments as one datagram
//! to a UDP server (see `udp_server`) and prints the datagram it gets back.
//! Nothing here is specific to green but the `#[green]` and the compat
//! socket: the code reads like std's.
//!
//! ```text
//! cargo run --example udp_client -- [--server ADDR] MESSAGE..   # server 127.0.0.1:9000
//! ```

use std::io::{ErrorKind, Result};
use std::time::Duration;

use green::compat::net::{SocketAddr, UdpSocket};

/// Sends `message` to `server` and waits up to `wait` for the answer;
/// gives who answered and what. (The original waits for ever; a datagram
/// can be lost, so a client should not.)
#[green::green]
pub(crate) fn send(server: &str, message: &str, wait: Duration) -> Result<(SocketAddr, Vec<u8>)> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    socket.connect(server)?;
    println!("sending {} bytes to {server}", message.len());
    socket.send(message.as_bytes())?;
    socket.set_read_timeout(Some(wait))?;
    let mut buf = [0u8; 8192];
    let (n, from) = socket.recv_from(&mut buf)?;
    Ok((from, buf[..n].to_vec()))
}

#[green::main]
fn main() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut server = "127.0.0.1:9000".to_owned();
    if args.first().map(String::as_str) == Some("--server") && args.len() > 1 {
        server = args.remove(1);
        args.remove(0);
    }
    match send(&server, &args.join(" "), Duration::from_secs(5)) {
        Ok((from, data)) => println!("{from}: got {:?}", String::from_utf8_lossy(&data)),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            println!("no answer from {server}")
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
