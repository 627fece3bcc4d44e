//! One address, several listening sockets: how a sharded server gives each
//! hub a listener of its own (`SO_REUSEPORT`, which Linux balances over
//! the sockets by a hash of each connection's addresses and ports).

use std::io;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, SockRef, Socket, Type};

use green_compat::net::TcpListener;

/// `n` listening sockets on the address of `first`, `first` itself among
/// them (its port, 0 resolved when it was bound, is the port of them all).
/// Plain std sockets in non-blocking mode, for each hub to register with
/// its own reactor. `first` stays open for as long as the returned
/// sockets: it is duplicated, not moved.
///
/// Linux lets `SO_REUSEPORT` be set on a socket already listening and
/// adds it to the group once a second socket binds the port with it set
/// too; where the OS refuses, the error comes back and the caller falls
/// back to one acceptor.
pub(crate) fn listeners(
    first: &TcpListener,
    n: usize,
    backlog: u32,
) -> io::Result<Vec<std::net::TcpListener>> {
    let addr = first.local_addr()?;
    let original = SockRef::from(first).try_clone()?;
    set_reuse_port(&original)?;
    let mut all = vec![std::net::TcpListener::from(original)];
    for _ in 1..n {
        all.push(bind_another(addr, backlog)?);
    }
    for listener in &all {
        listener.set_nonblocking(true)?;
    }
    Ok(all)
}

/// A listening socket on `addr` beside the others of the group.
fn bind_another(addr: SocketAddr, backlog: u32) -> io::Result<std::net::TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    set_reuse_port(&socket)?;
    socket.bind(&addr.into())?;
    socket.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    Ok(socket.into())
}

#[cfg(target_os = "linux")]
fn set_reuse_port(socket: &Socket) -> io::Result<()> {
    socket.set_reuse_port(true)
}

/// Elsewhere `SO_REUSEPORT` does not balance (the BSDs and macOS hand
/// every connection to one socket): say so, and let one acceptor deal.
#[cfg(not(target_os = "linux"))]
fn set_reuse_port(_socket: &Socket) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "SO_REUSEPORT does not balance connections on this OS",
    ))
}
