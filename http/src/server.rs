//! `Server` (the builder), `Limits` and `ServerHandle`.

use core::fmt;
use core::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use green_compat::net::{TcpListener, ToSocketAddrs};
#[cfg(feature = "tls")]
use green_compat::tls::TlsAcceptor;
use green_runtime::Green;
use green_server::StreamServer;

use crate::access_log::AccessLog;
use crate::handler::HandlerResult;
use crate::shutdown::Shutdown;
use crate::{Request, connection};

/// The server's limits, with their defaults. Set them one by one on
/// [`Server`] or all at once with [`Server::limits`].
///
/// ```
/// use std::time::Duration;
/// use green::http::Limits;
///
/// let limits = Limits::default();
/// assert_eq!(limits.max_connections, 10_000);
/// assert_eq!(limits.max_header_size, 64 * 1024);
/// assert_eq!(limits.max_body_size, 16 * 1024 * 1024);
/// assert_eq!(limits.header_read_timeout, Duration::from_secs(30));
/// assert_eq!(limits.keep_alive_timeout, Duration::from_secs(60));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Connections open at once; past it, accepting waits for one to close.
    pub max_connections: usize,
    /// Bytes of request line and headers (at least 8192); past it, `431
    /// Request Header Fields Too Large`. For HTTP/2, the limit on a
    /// request's decoded header list (announced in its SETTINGS).
    pub max_header_size: usize,
    /// Bytes of request body; past it, `413 Payload Too Large` (at once for
    /// a declared `content-length`, else when the handler reads past it).
    /// Per request, HTTP/1.1 or HTTP/2.
    pub max_body_size: u64,
    /// From the first byte of a request to the end of its headers; past it,
    /// `408 Request Timeout` and the connection closes. Also bounds a TLS
    /// handshake and the rest of an HTTP/2 preface once begun; HTTP/2
    /// streams are not timed one by one.
    pub header_read_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request
    /// before it is closed (HTTP/2: with no stream open; it gets a GOAWAY).
    /// An idle HTTP/1.1 connection is closed at least this long after its
    /// last byte, and at most half as long again (or the header timeout,
    /// if shorter) later: its timer checks on it rather than reading the
    /// clock on every request.
    pub keep_alive_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 10_000,
            max_header_size: 64 * 1024,
            max_body_size: 16 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(30),
            keep_alive_timeout: Duration::from_secs(60),
        }
    }
}

/// What every connection reads.
#[derive(Debug, Default)]
pub(crate) struct Config {
    pub(crate) limits: Limits,
    pub(crate) access_log: Option<AccessLog>,
}

/// What every connection of a started server shares.
pub(crate) struct Shared<F> {
    pub(crate) app: F,
    pub(crate) config: Config,
    pub(crate) shutdown: Rc<Shutdown>,
    /// The acceptor (offering h2 and http/1.1 by ALPN), for HTTPS.
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<TlsAcceptor>,
}

/// An HTTP server (gevent's `pywsgi.WSGIServer`): bind, configure, then
/// [`start`](Server::start) it in the background or [`serve`](Server::serve)
/// in the calling task. Connections are accepted by a
/// [`StreamServer`](green_server::StreamServer) (accept pacing when out of
/// descriptors, [`max_connections`](Server::max_connections),
/// [`backlog`](Server::backlog)), each in its own green task named after the
/// peer, and the handler runs in it: a `#[green]` fn from [`Request`] to
/// [`Response`](crate::Response) (or to a `Result`, see
/// [`HandlerResult`](crate::HandlerResult)).
///
/// HTTP/1.1 with keep-alive, pipelining, chunked bodies both ways and
/// `Expect: 100-continue`; HTTP/2 without TLS for clients that open with its
/// preface (h2c with prior knowledge), and over TLS ([`tls`](Server::tls))
/// when the client picks it by ALPN. An HTTP/2 connection's streams run
/// concurrently in the connection's task.
///
/// ```
/// use std::time::Duration;
/// use green::compat::io::{Read, Write};
/// use green::compat::net::TcpStream;
/// use green::http::{Body, Request, Response, Server, StatusCode};
///
/// #[green::green]
/// fn app(req: Request) -> Response {
///     match (req.method().as_str(), req.uri().path()) {
///         ("GET", "/") => Response::new(Body::from("hello")),
///         ("POST", "/echo") => Response::new(Body::from(req.into_body().text().unwrap())),
///         _ => {
///             let mut r = Response::new(Body::from("not found"));
///             *r.status_mut() = StatusCode::NOT_FOUND;
///             r
///         }
///     }
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = Server::bind("127.0.0.1:0")?.max_connections(100).start(app)?;
///     let mut client = TcpStream::connect(server.local_addr())?;
///     client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")?;
///     let mut answer = String::new();
///     client.read_to_string(&mut answer)?;
///     assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"));
///     assert!(answer.ends_with("\r\n\r\nhello"));
///     server.stop(Duration::from_secs(1));
///     Ok(())
/// }
/// ```
pub struct Server {
    pub(crate) stream: StreamServer,
    pub(crate) config: Config,
    #[cfg(feature = "tls")]
    pub(crate) tls: Option<TlsAcceptor>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Server");
        debug
            .field("local_addr", &self.stream.local_addr().ok())
            .field("limits", &self.config.limits)
            .field("access_log", &self.config.access_log.is_some());
        #[cfg(feature = "tls")]
        debug.field("tls", &self.tls.is_some());
        debug.finish()
    }
}

impl Server {
    /// A server listening on `addr` (compat's
    /// [`ToSocketAddrs`](green_compat::net::ToSocketAddrs), as
    /// `TcpListener::bind`: the first address that binds). Green: the name
    /// may need a lookup. Port 0 asks the OS for a free port: see
    /// [`ServerHandle::local_addr`] or [`Server::local_addr`]. An address
    /// that does not parse or resolve, or does not bind, is an `io::Error`.
    ///
    /// ```
    /// use green::http::Server;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let server = Server::bind("127.0.0.1:0").unwrap();
    ///     assert_ne!(server.local_addr().unwrap().port(), 0);
    ///     assert!(Server::bind("not an address").is_err());
    ///     assert!(Server::bind("127.0.0.1:99999").is_err());
    /// }
    /// ```
    pub fn bind<A: ToSocketAddrs>(addr: A) -> Green<impl Future<Output = io::Result<Server>>> {
        Green::new(async move { Ok(Server::with(StreamServer::bind(addr).await?)) })
    }

    /// A server accepting on `listener`, a compat `TcpListener` already
    /// bound (its backlog is left as it is unless
    /// [`backlog`](Server::backlog) says otherwise).
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    /// use green::http::Server;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let server = Server::from_listener(listener);
    ///     assert_eq!(server.local_addr()?, addr);
    ///     Ok(())
    /// }
    /// ```
    pub fn from_listener(listener: TcpListener) -> Server {
        Server::with(StreamServer::from_listener(listener))
    }

    fn with(stream: StreamServer) -> Server {
        Server {
            stream,
            config: Config::default(),
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// The address the server listens on.
    ///
    /// ```
    /// use green::http::Server;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let server = Server::bind(("127.0.0.1", 0)).unwrap();
    ///     assert!(server.local_addr().unwrap().ip().is_loopback());
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }

    /// The listen backlog (default
    /// [`DEFAULT_BACKLOG`](green_server::DEFAULT_BACKLOG) for a server made
    /// by [`bind`](Server::bind)), as
    /// [`StreamServer::backlog`](green_server::StreamServer::backlog).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().backlog(4096);
    /// # drop(server);
    /// # }
    /// ```
    pub fn backlog(self, n: u32) -> Server {
        Server {
            stream: self.stream.backlog(n),
            ..self
        }
    }

    /// Serves HTTPS: each connection is TLS-handshaken with `acceptor` in
    /// its own task (within the
    /// [`header_read_timeout`](Server::header_read_timeout)), then speaks
    /// HTTP/2 if the client chose `h2` by ALPN, else HTTP/1.1. An acceptor
    /// whose configuration lists no ALPN protocols is made to offer `h2` and
    /// `http/1.1`; one that lists some keeps them (`http/1.1` alone turns
    /// HTTP/2 off).
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::TcpStream;
    /// use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// use green::http::{Body, Request, Response, Server};
    ///
    /// #[green::green]
    /// fn app(_req: Request) -> Response {
    ///     Response::new(Body::from("secret"))
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    ///     let (cert, key) = (made.cert.pem(), made.signing_key.serialize_pem());
    ///     let acceptor = TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes())?;
    ///     let server = Server::bind("127.0.0.1:0")?.tls(acceptor).start(app)?;
    ///
    ///     let connector = TlsConnector::from_root_pem(cert.as_bytes())?;
    ///     let tcp = TcpStream::connect(server.local_addr())?;
    ///     let mut tls = connector.connect("localhost", tcp)?;
    ///     tls.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")?;
    ///     let mut answer = String::new();
    ///     tls.read_to_string(&mut answer)?;
    ///     assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"));
    ///     assert!(answer.ends_with("\r\n\r\nsecret"));
    ///     server.stop(Duration::from_secs(1));
    ///     Ok(())
    /// }
    /// ```
    #[cfg(feature = "tls")]
    pub fn tls(self, acceptor: TlsAcceptor) -> Server {
        Server {
            tls: Some(crate::tls::with_alpn(acceptor)),
            ..self
        }
    }

    /// All the limits at once (see [`Limits`] for each, and its defaults).
    ///
    /// ```
    /// use green::http::{Limits, Server};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut limits = Limits::default();
    ///     limits.max_body_size = 1024;
    ///     let server = Server::bind("127.0.0.1:0").unwrap().limits(limits);
    ///     # drop(server);
    /// }
    /// ```
    pub fn limits(mut self, limits: Limits) -> Server {
        self.config.limits = limits;
        self
    }

    /// Connections open at once ([`Limits::max_connections`], default
    /// 10 000): past it, accepting waits for one to close (gevent's
    /// `max_connections`, `pool` size).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().max_connections(2);
    /// # drop(server);
    /// # }
    /// ```
    pub fn max_connections(mut self, n: usize) -> Server {
        self.config.limits.max_connections = n;
        self
    }

    /// Bytes of request line and headers ([`Limits::max_header_size`],
    /// default 64 KiB, at least 8192): past it, 431.
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().max_header_size(16 * 1024);
    /// # drop(server);
    /// # }
    /// ```
    pub fn max_header_size(mut self, bytes: usize) -> Server {
        self.config.limits.max_header_size = bytes;
        self
    }

    /// Bytes of request body ([`Limits::max_body_size`], default 16 MiB):
    /// past it, 413, and reading the body fails with
    /// [`BodyTooLarge`](crate::BodyTooLarge).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().max_body_size(1 << 20);
    /// # drop(server);
    /// # }
    /// ```
    pub fn max_body_size(mut self, bytes: u64) -> Server {
        self.config.limits.max_body_size = bytes;
        self
    }

    /// From a request's first byte to the end of its headers
    /// ([`Limits::header_read_timeout`], default 30 s): past it, 408.
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// use std::time::Duration;
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().header_read_timeout(Duration::from_secs(5));
    /// # drop(server);
    /// # }
    /// ```
    pub fn header_read_timeout(mut self, timeout: Duration) -> Server {
        self.config.limits.header_read_timeout = timeout;
        self
    }

    /// How long an idle keep-alive connection is kept
    /// ([`Limits::keep_alive_timeout`], default 60 s).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// use std::time::Duration;
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().keep_alive_timeout(Duration::from_secs(5));
    /// # drop(server);
    /// # }
    /// ```
    pub fn keep_alive_timeout(mut self, timeout: Duration) -> Server {
        self.config.limits.keep_alive_timeout = timeout;
        self
    }

    /// Logs every request to stderr in the common log format (off by
    /// default): `127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 5`.
    /// The size is `-` for a streamed body.
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() {
    /// let server = green::http::Server::bind("127.0.0.1:0").unwrap().access_log(true);
    /// # drop(server);
    /// # }
    /// ```
    pub fn access_log(mut self, on: bool) -> Server {
        self.config.access_log = on.then(AccessLog::stderr);
        self
    }

    /// Logs every request to `out` (a file, a `Vec`, a pipe), as
    /// [`access_log`](Server::access_log) does to stderr. Written with std's
    /// blocking `Write`, a line at a time.
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = green::http::Server::bind("127.0.0.1:0")?.access_log_to(Vec::new());
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn access_log_to(mut self, out: impl std::io::Write + 'static) -> Server {
        self.config.access_log = Some(AccessLog::new(Box::new(out)));
        self
    }

    /// Serves in a new green task (the StreamServer's accept loop) and
    /// returns its handle at once. Call it inside a hub (`#[green::main]`,
    /// `green::run`). Errors only if the backlog cannot be set.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::{Body, Request, Response, Server};
    ///
    /// #[green::green]
    /// fn app(_req: Request) -> Response {
    ///     Response::new(Body::from("hi"))
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = Server::bind("127.0.0.1:0")?.start(app)?;
    ///     assert!(server.local_addr().ip().is_loopback());
    ///     server.stop(Duration::from_secs(1));
    ///     Ok(())
    /// }
    /// ```
    pub fn start<F, G>(self, app: F) -> io::Result<ServerHandle>
    where
        F: Fn(Request) -> G + 'static,
        G: IntoFuture<Output: HandlerResult> + 'static,
    {
        let (stream, shared) = self.prepare(app);
        let shutdown = shared.shutdown.clone();
        let inner = stream.start(move |tcp, peer| connection::serve(tcp, peer, shared.clone()))?;
        Ok(ServerHandle { inner, shutdown })
    }

    /// Serves in the calling task, forever (gevent's `serve_forever`).
    /// Green. Killing the task stops accepting and kills the connections;
    /// use [`start`](Server::start) for a server that can be stopped
    /// gracefully. Errors only if the backlog cannot be set.
    ///
    /// ```no_run
    /// use green::http::{Body, Request, Response, Server};
    ///
    /// #[green::green]
    /// fn app(_req: Request) -> Response {
    ///     Response::new(Body::from("hello"))
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     Server::bind("127.0.0.1:8080")?.serve(app)
    /// }
    /// ```
    pub fn serve<F, G>(self, app: F) -> Green<impl Future<Output = io::Result<()>>>
    where
        F: Fn(Request) -> G + 'static,
        G: IntoFuture<Output: HandlerResult> + 'static,
    {
        let (stream, shared) = self.prepare(app);
        stream.serve(move |tcp, peer| connection::serve(tcp, peer, shared.clone()))
    }

    /// The stream server to accept with, and what its connections share.
    fn prepare<F>(self, app: F) -> (StreamServer, Rc<Shared<F>>) {
        let stream = self
            .stream
            .max_connections(self.config.limits.max_connections);
        let shared = Rc::new(Shared {
            app,
            config: self.config,
            shutdown: Rc::new(Shutdown::default()),
            #[cfg(feature = "tls")]
            tls: self.tls,
        });
        (stream, shared)
    }
}

/// A running server: its address, how many connections it has open, and
/// [`stop`](ServerHandle::stop). Dropping the handle leaves the server
/// running.
///
/// ```
/// use std::time::Duration;
/// use green::http::{Body, Request, Response, Server};
///
/// #[green::green]
/// fn app(_req: Request) -> Response {
///     Response::new(Body::empty())
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = Server::bind("127.0.0.1:0")?.start(app)?;
///     assert_eq!(server.connections(), 0);
///     server.stop(Duration::from_secs(1));
///     assert!(green::compat::net::TcpStream::connect(server.local_addr()).is_err());
///     Ok(())
/// }
/// ```
pub struct ServerHandle {
    pub(crate) inner: green_server::ServerHandle,
    pub(crate) shutdown: Rc<Shutdown>,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle")
            .field("local_addr", &self.local_addr())
            .field("connections", &self.connections())
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The address the server listens on.
    ///
    /// ```
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.start(app)?;
    /// assert_ne!(server.local_addr().port(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.inner.local_addr()
    }

    /// Connections open now.
    ///
    /// ```
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.start(app)?;
    /// assert_eq!(server.connections(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn connections(&self) -> usize {
        self.inner.connections()
    }

    /// Stops the server (green): closes the listening socket at once, lets
    /// the requests in flight finish, closes idle keep-alive connections,
    /// and after `timeout` drops the connections still open. Returns when
    /// every connection is closed. Calling it again waits again.
    ///
    /// ```
    /// use std::time::Duration;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.start(app)?;
    /// server.stop(Duration::from_secs(5));
    /// assert_eq!(server.connections(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn stop(&self, timeout: Duration) -> Green<impl Future<Output = ()> + '_> {
        Green::new(async move {
            // Connections finish their requests in flight and close (no
            // more keep-alive, HTTP/2's GOAWAY); what is still open after
            // `timeout` is killed.
            self.shutdown.begin();
            self.inner.stop(timeout).await;
        })
    }
}
