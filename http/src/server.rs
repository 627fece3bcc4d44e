//! `Server` (the builder), `Limits` and `ServerHandle`.

use core::fmt;
use core::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use green_runtime::{Green, Greenlet};
use tokio::net::TcpListener;

use crate::access_log::AccessLog;
use crate::handler::HandlerResult;
use crate::listener::{self, Tracker};
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
    /// Request Header Fields Too Large`.
    pub max_header_size: usize,
    /// Bytes of request body; past it, `413 Payload Too Large` (at once for
    /// a declared `content-length`, else when the handler reads past it).
    pub max_body_size: u64,
    /// From the first byte of a request to the end of its headers; past it,
    /// `408 Request Timeout` and the connection closes.
    pub header_read_timeout: Duration,
    /// How long a keep-alive connection may wait for its next request
    /// before it is closed.
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

/// An HTTP/1.1 server (gevent's `pywsgi.WSGIServer`): bind, configure, then
/// [`start`](Server::start) it in the background or [`serve`](Server::serve)
/// in the calling task. Each connection runs in its own green task, and the
/// handler runs in it: a `#[green]` fn from [`Request`] to
/// [`Response`](crate::Response) (or to a `Result`, see
/// [`HandlerResult`](crate::HandlerResult)). Keep-alive, pipelining,
/// chunked bodies both ways and `Expect: 100-continue` are hyper's.
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
    listener: TcpListener,
    config: Config,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("local_addr", &self.listener.local_addr().ok())
            .field("limits", &self.config.limits)
            .field("access_log", &self.config.access_log.is_some())
            .finish()
    }
}

impl Server {
    /// A server listening on `addr` (green: the name may need a lookup).
    /// Port 0 asks the OS for a free port: see
    /// [`ServerHandle::local_addr`] or [`Server::local_addr`].
    ///
    /// ```
    /// use green::http::Server;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let server = Server::bind("127.0.0.1:0").unwrap();
    ///     assert_ne!(server.local_addr().unwrap().port(), 0);
    ///     assert!(Server::bind("not an address").is_err());
    /// }
    /// ```
    pub fn bind(
        addr: impl tokio::net::ToSocketAddrs,
    ) -> Green<impl Future<Output = io::Result<Server>>> {
        Green::new(async move {
            Ok(Server {
                listener: TcpListener::bind(addr).await?,
                config: Config::default(),
            })
        })
    }

    /// A server on a listening socket already bound (and set non-blocking
    /// here).
    ///
    /// ```
    /// use green::http::Server;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     #[allow_blocking]
    ///     let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = std_listener.local_addr()?;
    ///     let server = Server::from_std(std_listener)?;
    ///     assert_eq!(server.local_addr()?, addr);
    ///     Ok(())
    /// }
    /// ```
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<Server> {
        listener.set_nonblocking(true)?;
        Ok(Server {
            listener: TcpListener::from_std(listener)?,
            config: Config::default(),
        })
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
        self.listener.local_addr()
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
        self.config.access_log = on.then(|| AccessLog::new(Box::new(std::io::stderr())));
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

    /// Serves in a new green task and returns its handle at once. Call it
    /// inside a hub (`#[green::main]`, `green::run`). The `io::Result` is
    /// the listening socket's address.
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
        let local_addr = self.listener.local_addr()?;
        let tracker = Tracker::new(self.config.limits.max_connections);
        let accepting = {
            let tracker = tracker.clone();
            green_runtime::spawn(move || run(self.listener, self.config, tracker, app))
        };
        Ok(ServerHandle {
            local_addr,
            tracker,
            accepting,
        })
    }

    /// Serves in the calling task, forever (gevent's `serve_forever`).
    /// Green. Killing the task stops accepting; use [`start`](Server::start)
    /// for a server that can be stopped gracefully.
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
    ///     Server::bind("127.0.0.1:8080")?.serve(app);
    ///     Ok(())
    /// }
    /// ```
    pub fn serve<F, G>(self, app: F) -> Green<impl Future<Output = ()>>
    where
        F: Fn(Request) -> G + 'static,
        G: IntoFuture<Output: HandlerResult> + 'static,
    {
        let tracker = Tracker::new(self.config.limits.max_connections);
        Green::new(run(self.listener, self.config, tracker, app))
    }
}

/// The accept loop, spawning a green task per connection.
async fn run<F, G>(listener: TcpListener, config: Config, tracker: Rc<Tracker>, app: F)
where
    F: Fn(Request) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    let app = Rc::new(app);
    let config = Rc::new(config);
    let on_connection = |stream, peer, slot| {
        let (app, config, tracker) = (app.clone(), config.clone(), tracker.clone());
        green_runtime::spawn(move || connection::serve(stream, peer, app, config, tracker, slot));
    };
    listener::accept_loop(listener, tracker.clone(), on_connection).await;
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
    local_addr: SocketAddr,
    tracker: Rc<Tracker>,
    accepting: Greenlet<()>,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle")
            .field("local_addr", &self.local_addr)
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
        self.local_addr
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
        self.tracker.active()
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
            listener::stop(&self.tracker, timeout).await;
            // The accept loop sees the change at its next poll and closes
            // the listening socket.
            while !self.accepting.is_ready() {
                tokio::task::yield_now().await;
            }
        })
    }
}
