//! `ShardedServer` and `ShardedHandle`: one HTTP address served by several
//! hubs (gunicorn's workers, in one process), on green-server's
//! [`ShardedServer`](green_server::ShardedServer).

use core::fmt;
use core::future::Future;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use green_runtime::Green;
use tokio::sync::watch;

use crate::access_log::{AccessLog, SharedSink};
use crate::app_factory::AppFactory;
use crate::connection;
use crate::server::{Config, Server, ServerHandle, Shared};
use crate::shutdown::Shutdown;

/// An HTTP [`Server`] served by `n` hubs, one OS thread each, made by
/// [`Server::workers`]: each hub accepts on a listener of its own
/// (`SO_REUSEPORT` on Linux; one acceptor handing connections out
/// elsewhere, see [`green::server::ShardedServer`](green_server::ShardedServer))
/// and runs the handler that a `Send + Sync` factory made on it; the
/// handler itself need not be `Send`.
///
/// Every [`Limits`](crate::Limits) value applies per connection as on one
/// hub, except `max_connections`, which bounds each hub (up to `n` times
/// as many in all). The [`tls`](Server::tls) acceptor is shared; so is the
/// [`access_log`](Server::access_log), whose lines are written whole under
/// a lock ([`Server::access_log_to`]'s sink need not be `Send` and cannot
/// be shared: give the sharded server one with
/// [`access_log_to`](ShardedServer::access_log_to)). `workers(1)` is
/// [`Server::start`] on the calling hub, exactly.
///
/// ```
/// use std::time::Duration;
/// use green::compat::io::{Read, Write};
/// use green::compat::net::TcpStream;
/// use green::http::{Body, Request, Response, Server};
///
/// #[green::green]
/// fn hello(_req: Request) -> Response {
///     Response::new(Body::from("hello"))
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = Server::bind("127.0.0.1:0")?.workers(2).start(hello)?;
///     let mut client = TcpStream::connect(server.local_addr())?;
///     client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")?;
///     let mut answer = String::new();
///     client.read_to_string(&mut answer)?;
///     assert!(answer.ends_with("\r\n\r\nhello"));
///     server.stop(Duration::from_secs(1));
///     Ok(())
/// }
/// ```
pub struct ShardedServer {
    server: Server,
    workers: usize,
}

impl fmt::Debug for ShardedServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShardedServer")
            .field("server", &self.server)
            .field("workers", &self.workers)
            .finish()
    }
}

impl Server {
    /// Serves on `n` hubs, each a thread with its own listener, handler and
    /// connections (see [`ShardedServer`]); `0` means one per core, `1`
    /// this hub alone, as [`start`](Server::start).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = green::http::Server::bind("127.0.0.1:0")?.workers(0);
    /// assert!(server.workers() >= 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn workers(self, n: usize) -> ShardedServer {
        ShardedServer {
            server: self,
            workers: n,
        }
    }
}

impl ShardedServer {
    /// How many hubs will serve (`0` given: the number of cores).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// assert_eq!(green::http::Server::bind("127.0.0.1:0")?.workers(2).workers(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn workers(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    /// The address the server listens on.
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = green::http::Server::bind("127.0.0.1:0")?.workers(2);
    /// assert_ne!(server.local_addr()?.port(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.server.local_addr()
    }

    /// Logs every request of every hub to `out`, a line at a time under a
    /// lock (as [`Server::access_log_to`], whose sink stays on one hub).
    ///
    /// ```
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = green::http::Server::bind("127.0.0.1:0")?.workers(2).access_log_to(Vec::new());
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn access_log_to(mut self, out: impl std::io::Write + Send + 'static) -> ShardedServer {
        self.server.config.access_log =
            Some(AccessLog::Shared(Arc::new(Mutex::new(Box::new(out)))));
        self
    }

    /// Starts serving on every hub and returns at once (not green): on each
    /// hub `factory()` makes the handler, a `#[green]` fn from [`Request`](crate::Request)
    /// to [`Response`](crate::Response) as [`Server::start`] takes; an app that
    /// is `Clone + Send + Sync`, such as a plain `#[green]` fn, is cloned to
    /// every hub instead: `start(app)` (see [`AppFactory`]). Errors if the
    /// listeners cannot be made, a hub cannot start, or the access log was
    /// given to [`Server::access_log_to`] (a sink that cannot be shared).
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use green::http::{Body, Request, Response, Server};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = Server::bind("127.0.0.1:0")?.workers(2).start(|| {
    ///         let hits = Rc::new(Cell::new(0u64));          // per hub, no lock
    ///         move |_req: Request| {
    ///             let hits = hits.clone();
    ///             async move {
    ///                 hits.set(hits.get() + 1);
    ///                 Response::new(Body::from(format!("{} on this hub", hits.get())))
    ///             }
    ///         }
    ///     })?;
    ///     server.stop(std::time::Duration::from_secs(1));
    ///     Ok(())
    /// }
    /// ```
    pub fn start<K: 'static, M>(self, factory: M) -> io::Result<ShardedHandle>
    where
        M: AppFactory<K>,
    {
        if self.workers() == 1 {
            return Ok(ShardedHandle {
                inner: Inner::One(self.server.start(factory.make())?),
            });
        }
        let (begin, begun) = watch::channel(false);
        let (stream, app) = self.prepare(factory, begun)?;
        let inner = stream.start(move || {
            let shared = app.on_this_hub();
            move |tcp, peer| connection::serve(tcp, peer, shared.clone())
        })?;
        Ok(ShardedHandle {
            inner: Inner::Many { inner, begin },
        })
    }

    /// The stream server to shard, and what each hub makes its connection
    /// handler from.
    fn prepare<M>(
        self,
        factory: M,
        begun: watch::Receiver<bool>,
    ) -> io::Result<(green_server::ShardedServer, HubApp<M>)> {
        let workers = self.workers;
        let server = self.server;
        let sink = match &server.config.access_log {
            None => None,
            Some(log) => Some(log.sink().ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "Server::access_log_to's sink cannot be shared by the hubs of workers(n): \
                     give it to ShardedServer::access_log_to, which takes a Send one",
                )
            })?),
        };
        let limits = server.config.limits.clone();
        let stream = server
            .stream
            .max_connections(limits.max_connections)
            .workers(workers);
        let app = HubApp {
            factory,
            limits,
            sink,
            #[cfg(feature = "tls")]
            tls: server.tls,
            begun,
        };
        Ok((stream, app))
    }

    /// Serves on every hub in the calling task, forever (gevent's
    /// `serve_forever`). Green. Killing the task stops every hub's
    /// accepting and kills its connections; use
    /// [`start`](ShardedServer::start) for a graceful stop.
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
    ///     Server::bind("0.0.0.0:8080")?.workers(0).serve(app)
    /// }
    /// ```
    pub fn serve<K: 'static, M>(self, factory: M) -> Green<impl Future<Output = io::Result<()>>>
    where
        M: AppFactory<K>,
    {
        Green::new(async move {
            if self.workers() == 1 {
                return self.server.serve(factory.make()).await;
            }
            // Killed, it kills every hub's connections: no graceful stop
            // to begin.
            let (_begin, begun) = watch::channel(false);
            let (stream, app) = self.prepare(factory, begun)?;
            stream
                .serve(move || {
                    let shared = app.on_this_hub();
                    move |tcp, peer| connection::serve(tcp, peer, shared.clone())
                })
                .await
        })
    }
}

/// What every hub of a sharded server makes its connections' shared state
/// from: `Send + Sync`, unlike that state.
struct HubApp<M> {
    factory: M,
    limits: crate::Limits,
    sink: Option<SharedSink>,
    #[cfg(feature = "tls")]
    tls: Option<green_compat::tls::TlsAcceptor>,
    begun: watch::Receiver<bool>,
}

impl<M> HubApp<M> {
    /// This hub's app, config and shutdown, and the task that begins its
    /// shutdown when the handle's `stop` says so.
    fn on_this_hub<K>(&self) -> Rc<Shared<M::App>>
    where
        M: AppFactory<K>,
    {
        let shutdown = Rc::new(Shutdown::default());
        watch_stop(self.begun.clone(), shutdown.clone());
        Rc::new(Shared {
            app: self.factory.make(),
            config: Config {
                limits: self.limits.clone(),
                access_log: self.sink.clone().map(AccessLog::Shared),
            },
            shutdown,
            #[cfg(feature = "tls")]
            tls: self.tls.clone(),
        })
    }
}

/// On this hub, begins the graceful stop of `shutdown` when the handle
/// says so (a task that ends unused if the handle is dropped unstopped).
fn watch_stop(mut begun: watch::Receiver<bool>, shutdown: Rc<Shutdown>) {
    green_runtime::spawn(move || async move {
        if begun.wait_for(|begun| *begun).await.is_ok() {
            shutdown.begin();
        }
    });
}

/// A running [`ShardedServer`]: its address, its connections on every hub,
/// and [`stop`](ShardedHandle::stop). Dropping the handle leaves the
/// server running.
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
///     let server = Server::bind("127.0.0.1:0")?.workers(2).start(app)?;
///     assert_eq!(server.connections_per_worker(), vec![0, 0]);
///     server.stop(Duration::from_secs(1));
///     assert!(green::compat::net::TcpStream::connect(server.local_addr()).is_err());
///     Ok(())
/// }
/// ```
pub struct ShardedHandle {
    inner: Inner,
}

enum Inner {
    One(ServerHandle),
    Many {
        inner: green_server::ShardedHandle,
        /// Set by `stop`: every hub's connections finish and close.
        begin: watch::Sender<bool>,
    },
}

impl fmt::Debug for ShardedHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShardedHandle")
            .field("local_addr", &self.local_addr())
            .field("connections", &self.connections_per_worker())
            .finish_non_exhaustive()
    }
}

impl ShardedHandle {
    /// The address the server listens on.
    ///
    /// ```
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.workers(2).start(app)?;
    /// assert_ne!(server.local_addr().port(), 0);
    /// # server.stop(std::time::Duration::ZERO);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        match &self.inner {
            Inner::One(handle) => handle.local_addr(),
            Inner::Many { inner, .. } => inner.local_addr(),
        }
    }

    /// Connections open now, on every hub.
    ///
    /// ```
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.workers(2).start(app)?;
    /// assert_eq!(server.connections(), 0);
    /// # server.stop(std::time::Duration::ZERO);
    /// # Ok(())
    /// # }
    /// ```
    pub fn connections(&self) -> usize {
        self.connections_per_worker().iter().sum()
    }

    /// Connections open now on each hub, by hub.
    ///
    /// ```
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.workers(1).start(app)?;
    /// assert_eq!(server.connections_per_worker(), vec![0]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn connections_per_worker(&self) -> Vec<usize> {
        match &self.inner {
            Inner::One(handle) => vec![handle.connections()],
            Inner::Many { inner, .. } => inner.connections_per_worker(),
        }
    }

    /// Stops the server on every hub (green): each closes its listener at
    /// once, lets its requests in flight finish, closes idle keep-alive
    /// connections, and after `timeout` drops those still open. Returns
    /// when every hub's connections are closed.
    ///
    /// ```
    /// use std::time::Duration;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green] fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let server = Server::bind("127.0.0.1:0")?.workers(2).start(app)?;
    /// server.stop(Duration::from_secs(5));
    /// assert_eq!(server.connections(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn stop(&self, timeout: Duration) -> Green<impl Future<Output = ()> + '_> {
        Green::new(async move {
            match &self.inner {
                Inner::One(handle) => handle.stop(timeout).await,
                Inner::Many { inner, begin } => {
                    begin.send_replace(true);
                    inner.stop(timeout).await;
                }
            }
        })
    }
}
