//! `TcpListener::bind` inside `#[green::main(workers = n)]`: the k-th bind
//! of every hub shares one address, so that one port is served by every
//! hub, as gunicorn's workers share the master's socket.
//!
//! The first hub to reach its k-th bind binds as usual (port 0: the
//! kernel's pick) with SO_REUSEPORT set and publishes the address it got;
//! the other hubs wait for it and bind that same address with
//! SO_REUSEPORT, each its own socket on its own reactor. Linux then hashes
//! each incoming connection (by its addresses and ports) to one of the
//! sockets: every hub accepts its share, none wakes for another's. If the
//! first hub's bind fails, the others bind the address they were given on
//! their own (and most likely fail the same way).
//!
//! Elsewhere (no SO_REUSEPORT balancing), each hub binds on its own.

use std::io;
use std::net::SocketAddr;

use green_runtime::__private::shared_bind;

use super::addr::{ToSocketAddrs, each_addr};

/// Binds `addr` for `TcpListener::bind`: shared with the other hubs'
/// binds of the same number inside a workers main, alone elsewhere.
pub(crate) async fn bind<A: ToSocketAddrs + ?Sized>(
    addr: &A,
) -> io::Result<tokio::net::TcpListener> {
    let Some(turn) = shared_bind().filter(|_| cfg!(target_os = "linux")) else {
        return each_addr(addr, tokio::net::TcpListener::bind).await;
    };
    if turn.is_first() {
        let bound = each_addr(addr, bind_shared).await;
        turn.publish(bound.as_ref().ok().and_then(|l| l.local_addr().ok()));
        return bound;
    }
    match turn.address().await {
        Some(published) => bind_shared(published).await,
        None => each_addr(addr, bind_shared).await,
    }
}

/// A listener on `addr` that other sockets may bind too (SO_REUSEPORT),
/// with std's SO_REUSEADDR and tokio's backlog of 1024.
async fn bind_shared(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(target_os = "linux")]
    {
        socket.set_reuseaddr(true)?;
        socket.set_reuseport(true)?;
    }
    socket.bind(addr)?;
    socket.listen(1024)
}
