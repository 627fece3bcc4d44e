//! Where an accept loop gets its connections: its own listening socket,
//! or the inbox a sharded server's single acceptor fills (where the OS
//! does not balance one address over several listeners).

use std::io;
use std::net::SocketAddr;

use green_compat::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;

/// A connection accepted on another hub, on its way to the hub that
/// serves it: a plain std socket, which no reactor watches until
/// [`TcpStream::from_std`] registers it with the receiving hub.
pub(crate) type Handover = (std::net::TcpStream, SocketAddr);

pub(crate) enum AcceptSource {
    Listener(TcpListener),
    Inbox(UnboundedReceiver<Handover>),
}

impl AcceptSource {
    /// The next connection. An inbox whose acceptor is gone (the server
    /// stopping) gives nothing more and waits for ever: the share ends by
    /// being stopped, not by running dry.
    pub(crate) async fn accept(&mut self) -> io::Result<(TcpStream, SocketAddr)> {
        match self {
            AcceptSource::Listener(listener) => listener.accept().await,
            AcceptSource::Inbox(inbox) => match inbox.recv().await {
                Some((stream, peer)) => Ok((TcpStream::from_std(stream)?, peer)),
                None => core::future::pending().await,
            },
        }
    }
}
