//! `StreamServer`: gevent's `StreamServer`, a TCP (or TLS) server running
//! one green task per connection.

use core::cell::RefCell;
use core::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use green_compat::net::{TcpListener, ToSocketAddrs};
#[cfg(feature = "tls")]
use green_compat::tls::TlsAcceptor;
use green_runtime::Green;

use crate::accept_source::AcceptSource;
use crate::connections::{Connections, KillOnDrop};
use crate::handle::ServerHandle;
use crate::handler::HandlerOutput;
use crate::handshake::{Handshake, Plain};
use crate::report::{ErrorReports, connection_failed};

/// The listen backlog of a server made by [`StreamServer::bind`] (and
/// [`listen`](crate::listen)): std's 128 drops the SYNs of a burst of
/// connects beyond it, which clients retry only after a second.
pub const DEFAULT_BACKLOG: u32 = 1024;

/// A TCP server: accepts connections and runs `handler(stream, peer)` for
/// each in its own green task, named after the peer's address (gevent's
/// `StreamServer`, eventlet's `serve`).
///
/// - [`max_connections(n)`](Self::max_connections): at most `n` handlers
///   run at once; the accept loop waits for a free slot (gevent's
///   `spawn=Pool(n)`), leaving new clients in the listen backlog;
/// - [`backlog(n)`](Self::backlog): the listen backlog;
/// - [`tls(acceptor)`](Self::tls): each connection is TLS-handshaken in its
///   own task and the handler gets the [`TlsStream`](green_compat::tls::TlsStream).
///   The handler's stream type follows the server's [`Handshake`] type
///   parameter: `StreamServer<Plain>` gives a `TcpStream`,
///   `StreamServer<TlsAcceptor>` a `TlsStream<TcpStream>`;
/// - [`start(handler)`](Self::start) runs the accept loop in a new green
///   task and gives a [`ServerHandle`] to stop it;
///   [`serve(handler)`](Self::serve) runs it in the calling task (gevent's
///   `serve_forever`).
///
/// The handler is called as green work: `|stream, peer| handle(stream,
/// peer)` with `handle` a `#[green]` fn. It returns `()` or a `Result`;
/// an `Err`, a panic or a failed handshake is reported once on stderr with
/// the peer's address, and the server goes on.
///
/// # Out of descriptors
///
/// An accept error never ends the server: errors that would come straight
/// back (too many open files, no buffer space) make the next accept wait a
/// pause growing from 1 ms to 100 ms, and the server reports them at most
/// once a second. Clients wait in the backlog meanwhile and are served once
/// descriptors free up.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::net::{SocketAddr, TcpStream};
/// use green::server::StreamServer;
///
/// #[green::green]
/// fn echo(mut stream: TcpStream, _peer: SocketAddr) -> std::io::Result<()> {
///     let mut buf = [0u8; 1024];
///     loop {
///         let n = stream.read(&mut buf)?;
///         if n == 0 {
///             return Ok(());
///         }
///         stream.write_all(&buf[..n])?;
///     }
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = StreamServer::bind("127.0.0.1:0")?.max_connections(100);
///     let handle = server.start(|stream, peer| echo(stream, peer))?;
///
///     let mut client = TcpStream::connect(handle.local_addr())?;
///     client.write_all(b"ping")?;
///     let mut reply = [0u8; 4];
///     client.read_exact(&mut reply)?;
///     assert_eq!(&reply, b"ping");
///     drop(client);
///
///     handle.stop(std::time::Duration::from_secs(1));
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct StreamServer<H = Plain> {
    pub(crate) listener: TcpListener,
    pub(crate) max_connections: Option<usize>,
    pub(crate) backlog: Option<u32>,
    pub(crate) handshake: H,
}

impl StreamServer<Plain> {
    /// A server listening on `addr` (the first of its addresses that
    /// binds; port 0 for a free port), with a backlog of
    /// [`DEFAULT_BACKLOG`] unless [`backlog`](Self::backlog) says
    /// otherwise. Green, as the name lookup can block. Accepting starts
    /// with [`start`](Self::start) or [`serve`](Self::serve); until then
    /// clients wait in the backlog.
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let server = StreamServer::bind("127.0.0.1:0").unwrap();
    ///     assert_ne!(server.local_addr().unwrap().port(), 0);
    ///     assert!(StreamServer::bind("not an address").is_err());
    /// }
    /// ```
    pub fn bind<A: ToSocketAddrs>(
        addr: A,
    ) -> Green<impl Future<Output = io::Result<StreamServer>>> {
        Green::new(async move {
            let listener = TcpListener::bind(addr).await?;
            Ok(StreamServer {
                backlog: Some(DEFAULT_BACKLOG),
                ..StreamServer::from_listener(listener)
            })
        })
    }

    /// A server accepting on `listener`, whose backlog is left as it is
    /// unless [`backlog`](Self::backlog) says otherwise.
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let server = StreamServer::from_listener(listener);
    ///     assert_eq!(server.local_addr()?, addr);
    ///     Ok(())
    /// }
    /// ```
    pub fn from_listener(listener: TcpListener) -> StreamServer {
        StreamServer {
            listener,
            max_connections: None,
            backlog: None,
            handshake: Plain,
        }
    }
}

impl<H: Handshake> StreamServer<H> {
    /// At most `n` handlers run at once: while `n` connections are being
    /// handled the server accepts no more, and new clients wait in the
    /// listen backlog (gevent's `spawn=Pool(n)`). `0` accepts nothing, as
    /// gevent's `Pool(0)`. Unbounded by default.
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = StreamServer::bind("127.0.0.1:0")?.max_connections(10_000);
    ///     # let _ = server;
    ///     Ok(())
    /// }
    /// ```
    pub fn max_connections(self, n: usize) -> Self {
        StreamServer {
            max_connections: Some(n),
            ..self
        }
    }

    /// The listen backlog: how many connections the OS completes and
    /// queues before the server accepts them (capped by the OS, on Linux
    /// by `net.core.somaxconn`). Applied when the server starts; on a
    /// listener given to [`from_listener`](StreamServer::from_listener) it
    /// re-issues `listen(2)`, which updates the backlog on Linux and the
    /// BSDs. Ignored on platforms other than Unix.
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = StreamServer::bind("127.0.0.1:0")?.backlog(4096);
    ///     # let _ = server;
    ///     Ok(())
    /// }
    /// ```
    pub fn backlog(self, n: u32) -> Self {
        StreamServer {
            backlog: Some(n),
            ..self
        }
    }

    #[cfg(feature = "tls")]
    /// Serves TLS: each accepted connection is handshaken by `acceptor` in
    /// its own green task and the handler gets the
    /// [`TlsStream<TcpStream>`](green_compat::tls::TlsStream). A failed
    /// handshake is reported with the peer's address; the handler is not
    /// called for it.
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::compat::tls::{TlsAcceptor, TlsConnector, TlsStream};
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn greet(mut stream: TlsStream<TcpStream>, _peer: SocketAddr) -> std::io::Result<()> {
    ///     stream.write_all(b"hello over TLS")?;
    ///     stream.shutdown()
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    ///     let (cert, key) = (made.cert.pem(), made.signing_key.serialize_pem());
    ///     let acceptor = TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes())?;
    ///
    ///     let server = StreamServer::bind("127.0.0.1:0")?.tls(acceptor);
    ///     let handle = server.start(|stream, peer| greet(stream, peer))?;
    ///
    ///     let connector = TlsConnector::from_root_pem(cert.as_bytes())?;
    ///     let mut tls = connector.connect("localhost", TcpStream::connect(handle.local_addr())?)?;
    ///     let mut text = String::new();
    ///     tls.read_to_string(&mut text)?;
    ///     assert_eq!(text, "hello over TLS");
    ///     handle.stop(std::time::Duration::from_secs(1));
    ///     Ok(())
    /// }
    /// ```
    pub fn tls(self, acceptor: TlsAcceptor) -> StreamServer<TlsAcceptor> {
        StreamServer {
            listener: self.listener,
            max_connections: self.max_connections,
            backlog: self.backlog,
            handshake: acceptor,
        }
    }

    /// The address the server listens on.
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = StreamServer::bind("127.0.0.1:0")?;
    ///     assert!(server.local_addr()?.ip().is_loopback());
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Starts serving: the accept loop runs in a new green task (named
    /// `StreamServer <addr>`) from the hub's next turn, and each
    /// connection in its own task named after the peer. Not green: it
    /// returns at once. Errors only if the backlog cannot be set.
    ///
    /// Dropping the [`ServerHandle`] does not stop the server (as dropping
    /// a `Greenlet` does not stop the task): call
    /// [`stop`](ServerHandle::stop).
    ///
    /// ```
    /// use green::compat::io::Read;
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::compat::io::Write;
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn hello(mut stream: TcpStream, peer: SocketAddr) -> std::io::Result<()> {
    ///     write!(stream, "hello {}", peer.ip())
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.start(|s, p| hello(s, p))?;
    ///     let mut text = String::new();
    ///     TcpStream::connect(handle.local_addr())?.read_to_string(&mut text)?;
    ///     assert_eq!(text, "hello 127.0.0.1");
    ///     handle.stop(std::time::Duration::ZERO);
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn start<F, G>(self, handler: F) -> io::Result<ServerHandle>
    where
        F: FnMut(H::Stream, SocketAddr) -> G + 'static,
        G: IntoFuture + 'static,
        G::Output: HandlerOutput,
    {
        let running = self.prepare(handler)?;
        Ok(running.start())
    }

    /// Serves in the calling task until it is killed (gevent's
    /// `serve_forever`, eventlet's `serve`): the accept loop runs here and
    /// each connection in its own task. Green. It returns only with an
    /// error from setting up (the backlog); killing the calling task (or a
    /// [`green::timeout`](green_runtime::timeout) around it) stops the
    /// server and kills its connections. For a graceful stop use
    /// [`start`](Self::start) and [`ServerHandle::stop`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::{SocketAddr, TcpListener, TcpStream};
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn hello(mut stream: TcpStream, _peer: SocketAddr) -> std::io::Result<()> {
    ///     stream.write_all(b"hello")
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let server = green::spawn(move || StreamServer::from_listener(listener).serve(|s, p| hello(s, p)));
    ///     let mut text = String::new();
    ///     TcpStream::connect(addr)?.read_to_string(&mut text)?;
    ///     assert_eq!(text, "hello");
    ///     server.kill();
    ///     Ok(())
    /// }
    /// ```
    pub fn serve<F, G>(self, handler: F) -> Green<impl Future<Output = io::Result<()>>>
    where
        F: FnMut(H::Stream, SocketAddr) -> G + 'static,
        G: IntoFuture + 'static,
        G::Output: HandlerOutput,
    {
        Green::new(async move {
            let running = self.prepare(handler)?;
            let _kill = KillOnDrop(running.connections.clone());
            running.accept_loop().await;
            Ok(())
        })
    }

    /// Applies the backlog and sets up what the accept loop needs.
    fn prepare<F>(self, handler: F) -> io::Result<Running<H, F>> {
        if let Some(backlog) = self.backlog {
            set_backlog(&self.listener, backlog)?;
        }
        Ok(Running {
            addr: self.listener.local_addr()?,
            source: AcceptSource::Listener(self.listener),
            handshake: Rc::new(self.handshake),
            handler: Rc::new(RefCell::new(handler)),
            connections: Connections::new(self.max_connections),
        })
    }
}

/// Re-issues `listen(2)` with `backlog`, which updates it.
pub(crate) fn set_backlog(listener: &TcpListener, backlog: u32) -> io::Result<()> {
    #[cfg(unix)]
    socket2::SockRef::from(listener).listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    #[cfg(not(unix))]
    let _ = (listener, backlog);
    Ok(())
}

/// A started server: what its accept loop owns. A sharded server makes
/// one per hub.
pub(crate) struct Running<H, F> {
    pub(crate) addr: SocketAddr,
    pub(crate) source: AcceptSource,
    pub(crate) handshake: Rc<H>,
    pub(crate) handler: Rc<RefCell<F>>,
    pub(crate) connections: Rc<Connections>,
}

impl<H, F, G> Running<H, F>
where
    H: Handshake,
    F: FnMut(H::Stream, SocketAddr) -> G + 'static,
    G: IntoFuture + 'static,
    G::Output: HandlerOutput,
{
    /// Runs the accept loop in a new green task (named `StreamServer
    /// <addr>`) and gives the handle that stops it.
    #[track_caller]
    pub(crate) fn start(self) -> ServerHandle {
        let addr = self.addr;
        let connections = self.connections.clone();
        let task = green_runtime::spawn(move || self.accept_loop());
        task.set_name(format!("StreamServer {addr}"));
        ServerHandle::new(addr, task, connections)
    }

    /// Accepts for ever. compat's `accept` paces itself after errors that
    /// would come straight back; here they are reported, at most once a
    /// second.
    async fn accept_loop(mut self) {
        let mut errors = ErrorReports::new(self.addr);
        loop {
            let slot = self.connections.slot().await;
            match self.source.accept().await {
                Ok((stream, peer)) => {
                    let handshake = self.handshake.clone();
                    let handler = self.handler.clone();
                    let work = async move {
                        let stream = match handshake.handshake(stream).await {
                            Ok(stream) => stream,
                            Err(error) => {
                                return connection_failed("handshake", peer, &error.to_string());
                            }
                        };
                        let work = (handler.borrow_mut())(stream, peer);
                        if let Some(failure) = work.into_future().await.failure() {
                            connection_failed("handler", peer, &failure);
                        }
                    };
                    self.connections.spawn(&peer.to_string(), slot, work);
                }
                Err(error) => errors.report("accept", &error),
            }
        }
    }
}
