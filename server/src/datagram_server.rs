//! `DatagramServer`: gevent's `DatagramServer`, a UDP server running one
//! green task per datagram.

use core::cell::RefCell;
use core::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use green_compat::net::{ToSocketAddrs, UdpSocket};
use green_runtime::Green;

use crate::connections::{Connections, KillOnDrop};
use crate::handle::ServerHandle;
use crate::handler::HandlerOutput;
use crate::report::{ErrorReports, connection_failed};

/// The largest datagram received whole (the largest UDP payload).
const MAX_DATAGRAM: usize = 65_536;

/// How long the receive loop waits after an error that is not about one
/// datagram, so that it never spins.
const ERROR_PAUSE: Duration = Duration::from_millis(10);

/// A UDP server: receives datagrams and runs `handler(data, peer, socket)`
/// for each in its own green task named after the sender (gevent's
/// `DatagramServer`). `socket` is a handle of the server's socket, to
/// reply with [`send_to`](UdpSocket::send_to). The handler returns `()` or
/// a `Result`; an `Err` or a panic is reported with the sender's address
/// and the server goes on.
///
/// ```
/// use green::compat::net::{SocketAddr, UdpSocket};
/// use green::server::DatagramServer;
///
/// #[green::green]
/// fn shout(data: Vec<u8>, peer: SocketAddr, socket: UdpSocket) -> std::io::Result<()> {
///     socket.send_to(&data.to_ascii_uppercase(), peer)?;
///     Ok(())
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let handle = DatagramServer::bind("127.0.0.1:0")?.start(|d, p, s| shout(d, p, s))?;
///     let client = UdpSocket::bind("127.0.0.1:0")?;
///     client.send_to(b"hello", handle.local_addr())?;
///     let mut buf = [0u8; 16];
///     let (n, _) = client.recv_from(&mut buf)?;
///     assert_eq!(&buf[..n], b"HELLO");
///     handle.stop(std::time::Duration::from_secs(1));
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct DatagramServer {
    socket: UdpSocket,
    max_concurrency: Option<usize>,
}

impl DatagramServer {
    /// A server bound to `addr` (the first of its addresses that binds).
    /// Green, as the name lookup can block.
    ///
    /// ```
    /// use green::server::DatagramServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = DatagramServer::bind("127.0.0.1:0")?;
    ///     assert_ne!(server.local_addr()?.port(), 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn bind<A: ToSocketAddrs>(
        addr: A,
    ) -> Green<impl Future<Output = io::Result<DatagramServer>>> {
        Green::new(async move { Ok(DatagramServer::from_socket(UdpSocket::bind(addr).await?)) })
    }

    /// A server receiving on `socket`.
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    /// use green::server::DatagramServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     let addr = socket.local_addr()?;
    ///     assert_eq!(DatagramServer::from_socket(socket).local_addr()?, addr);
    ///     Ok(())
    /// }
    /// ```
    pub fn from_socket(socket: UdpSocket) -> DatagramServer {
        DatagramServer {
            socket,
            max_concurrency: None,
        }
    }

    /// At most `n` handlers run at once: while `n` run the server receives
    /// nothing (datagrams queue in the socket's buffer, and past it the OS
    /// drops them, as UDP does). Unbounded by default.
    ///
    /// ```
    /// use green::server::DatagramServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = DatagramServer::bind("127.0.0.1:0")?.max_concurrency(100);
    ///     # let _ = server;
    ///     Ok(())
    /// }
    /// ```
    pub fn max_concurrency(self, n: usize) -> Self {
        DatagramServer {
            max_concurrency: Some(n),
            ..self
        }
    }

    /// The address the server receives on.
    ///
    /// ```
    /// use green::server::DatagramServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = DatagramServer::bind("127.0.0.1:0")?;
    ///     assert!(server.local_addr()?.ip().is_loopback());
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Starts serving: the receive loop runs in a new green task (named
    /// `DatagramServer <addr>`), each datagram's handler in its own task.
    /// Not green: it returns at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::{SocketAddr, UdpSocket};
    /// use green::server::DatagramServer;
    ///
    /// #[green::green]
    /// fn echo(data: Vec<u8>, peer: SocketAddr, socket: UdpSocket) -> std::io::Result<usize> {
    ///     socket.send_to(&data, peer)
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let handle = DatagramServer::bind("127.0.0.1:0")?.start(|d, p, s| echo(d, p, s))?;
    ///     let client = UdpSocket::bind("127.0.0.1:0")?;
    ///     client.connect(handle.local_addr())?;
    ///     client.send(b"ping")?;
    ///     let mut buf = [0u8; 4];
    ///     assert_eq!(client.recv(&mut buf)?, 4);
    ///     handle.stop(Duration::ZERO);
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn start<F, G>(self, handler: F) -> io::Result<ServerHandle>
    where
        F: FnMut(Vec<u8>, SocketAddr, UdpSocket) -> G + 'static,
        G: IntoFuture + 'static,
        G::Output: HandlerOutput,
    {
        let addr = self.socket.local_addr()?;
        let connections = Connections::new(self.max_concurrency);
        let receiving = connections.clone();
        let task =
            green_runtime::spawn(move || receive_loop(self.socket, addr, handler, receiving));
        task.set_name(format!("DatagramServer {addr}"));
        Ok(ServerHandle::new(addr, task, connections))
    }

    /// Serves in the calling task until it is killed, as
    /// [`StreamServer::serve`](crate::StreamServer::serve). Green.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::{SocketAddr, UdpSocket};
    /// use green::server::DatagramServer;
    ///
    /// #[green::green]
    /// fn echo(data: Vec<u8>, peer: SocketAddr, socket: UdpSocket) -> std::io::Result<usize> {
    ///     socket.send_to(&data, peer)
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     let addr = socket.local_addr()?;
    ///     let server = green::spawn(move || DatagramServer::from_socket(socket).serve(|d, p, s| echo(d, p, s)));
    ///     let client = UdpSocket::bind("127.0.0.1:0")?;
    ///     client.send_to(b"ping", addr)?;
    ///     let mut buf = [0u8; 4];
    ///     assert_eq!(client.recv_from(&mut buf)?.0, 4);
    ///     server.kill();
    ///     Ok(())
    /// }
    /// ```
    pub fn serve<F, G>(self, handler: F) -> Green<impl Future<Output = io::Result<()>>>
    where
        F: FnMut(Vec<u8>, SocketAddr, UdpSocket) -> G + 'static,
        G: IntoFuture + 'static,
        G::Output: HandlerOutput,
    {
        Green::new(async move {
            let addr = self.socket.local_addr()?;
            let connections = Connections::new(self.max_concurrency);
            let _kill = KillOnDrop(connections.clone());
            receive_loop(self.socket, addr, handler, connections).await;
            Ok(())
        })
    }
}

/// Receives for ever, one task per datagram.
async fn receive_loop<F, G>(
    socket: UdpSocket,
    addr: SocketAddr,
    handler: F,
    connections: Rc<Connections>,
) where
    F: FnMut(Vec<u8>, SocketAddr, UdpSocket) -> G + 'static,
    G: IntoFuture + 'static,
    G::Output: HandlerOutput,
{
    let handler = Rc::new(RefCell::new(handler));
    let mut errors = ErrorReports::new(addr);
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let slot = connections.slot().await;
        match socket.recv_from(&mut buf).await {
            Ok((n, peer)) => {
                let data = buf[..n].to_vec();
                let reply = match socket.try_clone() {
                    Ok(reply) => reply,
                    Err(error) => {
                        errors.report("receive", &error);
                        continue;
                    }
                };
                let handler = handler.clone();
                let work = async move {
                    let work = (handler.borrow_mut())(data, peer, reply);
                    if let Some(failure) = work.into_future().await.failure() {
                        connection_failed("handler", peer, &failure);
                    }
                };
                connections.spawn(&peer.to_string(), slot, work);
            }
            // An ICMP error from an earlier send: about one peer only.
            Err(error) if error.kind() == io::ErrorKind::ConnectionRefused => {}
            Err(error) => {
                errors.report("receive", &error);
                green_runtime::sleep(ERROR_PAUSE).await;
            }
        }
    }
}
