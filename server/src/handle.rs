//! `ServerHandle`: a started server, to ask its address and stop it.

use core::fmt;
use core::future::Future;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use green_runtime::{Green, Greenlet};

use crate::connections::Connections;

/// A started [`StreamServer`](crate::StreamServer) or
/// [`DatagramServer`](crate::DatagramServer), made by their `start`.
/// Dropping it does not stop the server.
///
/// ```
/// use std::time::Duration;
/// use green::compat::net::{SocketAddr, TcpStream};
/// use green::server::StreamServer;
///
/// #[green::green]
/// fn ignore(_stream: TcpStream, _peer: SocketAddr) {}
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let handle = StreamServer::bind("127.0.0.1:0")?.start(|s, p| ignore(s, p))?;
///     TcpStream::connect(handle.local_addr())?;
///     handle.stop(Duration::from_secs(1));
///     assert!(TcpStream::connect(handle.local_addr()).is_err());
///     Ok(())
/// }
/// ```
pub struct ServerHandle {
    addr: SocketAddr,
    accept: Greenlet<()>,
    connections: Rc<Connections>,
}

impl ServerHandle {
    pub(crate) fn new(
        addr: SocketAddr,
        accept: Greenlet<()>,
        connections: Rc<Connections>,
    ) -> Self {
        ServerHandle {
            addr,
            accept,
            connections,
        }
    }

    /// The address the server listens on (port 0 resolved).
    ///
    /// ```
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn ignore(_stream: TcpStream, _peer: SocketAddr) {}
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.start(|s, p| ignore(s, p))?;
    ///     assert_ne!(handle.local_addr().port(), 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many handlers are running now.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn linger(_stream: TcpStream, _peer: SocketAddr) {
    ///     green::sleep(Duration::from_secs(60));
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.start(|s, p| linger(s, p))?;
    ///     assert_eq!(handle.connections(), 0);
    ///     let _client = TcpStream::connect(handle.local_addr())?;
    ///     while handle.connections() == 0 {
    ///         green::sleep(Duration::from_millis(1));
    ///     }
    ///     handle.stop(Duration::ZERO);
    ///     assert_eq!(handle.connections(), 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn connections(&self) -> usize {
        self.connections.len()
    }

    /// Stops the server (gevent's `stop(timeout)`): stops accepting and
    /// closes the listening socket (the server's own handle of it), waits
    /// up to `timeout` for the running handlers to end, kills those still
    /// running (their destructors run) and returns once all are gone.
    /// Green. Harmless twice.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn linger(_stream: TcpStream, _peer: SocketAddr) {
    ///     green::sleep(Duration::from_secs(60));
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.start(|s, p| linger(s, p))?;
    ///     let _client = TcpStream::connect(handle.local_addr())?;
    ///     green::sleep(Duration::from_millis(20));
    ///     let start = Instant::now();
    ///     handle.stop(Duration::from_millis(50)); // the handler is killed after 50 ms
    ///     assert!(start.elapsed() < Duration::from_secs(10));
    ///     assert_eq!(handle.connections(), 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn stop(&self, timeout: Duration) -> Green<impl Future<Output = ()> + '_> {
        Green::new(async move {
            self.accept.kill().await;
            if !self.connections.join_timeout(timeout).await {
                self.connections.kill().await;
            }
        })
    }
}

impl ServerHandle {
    /// Stops accepting and kills the connections, without waiting.
    pub(crate) fn kill_nowait(&self) {
        self.accept.kill_nowait();
        self.connections.kill_nowait();
    }
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .field("connections", &self.connections.len())
            .field("stopped", &self.accept.is_ready())
            .finish()
    }
}
