//! `ShardedServer`: one address served by several hubs, each with its own
//! accept loop, handler and connections (gunicorn's workers, in one
//! process).

use core::cell::RefCell;
use core::future::Future;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use green_compat::net::TcpListener;
use green_runtime::Green;
use tokio::sync::{mpsc, watch};

use crate::accept_source::{AcceptSource, Handover};
use crate::connections::Connections;
use crate::handler_factory::HandlerFactory;
use crate::handshake::{Handshake, Plain};
use crate::hub_set::{HubSet, ShareTask};
use crate::report::ErrorReports;
use crate::sharded_handle::ShardedHandle;
use crate::stream_server::{DEFAULT_BACKLOG, Running, StreamServer, set_backlog};

/// A [`StreamServer`] served by `n` hubs, one OS thread each, made by
/// [`StreamServer::workers`]: every hub runs an accept loop of its own and
/// the connections it accepts, with a handler of its own made by a factory
/// on that hub. The handler need not be `Send` (it may hold `Rc` state,
/// which is then per hub, as a gunicorn worker's is per process); the
/// factory is `Send + Sync`, as it is called on each hub.
///
/// - **Linux**: each hub listens on a socket of its own, all bound to the
///   one address with `SO_REUSEPORT`, and the kernel spreads the
///   connections over them (by a hash of the client's address and port).
///   The listener [`bind`](StreamServer::bind) made decides the port (port
///   0 resolved); the others join it.
/// - **Elsewhere** (the BSDs and macOS do not balance `SO_REUSEPORT`), and
///   with [`single_acceptor`](ShardedServer::single_acceptor): one accept
///   loop on the calling hub hands the connections to the hubs in turn.
///
/// [`max_connections`](StreamServer::max_connections) bounds each hub (as
/// gunicorn's `worker_connections` bounds each worker): the server holds up
/// to `n` times as many. The [`backlog`](StreamServer::backlog) is each
/// listener's, and a [`tls`](StreamServer::tls) acceptor is shared by every
/// hub. `workers(1)` is the server of [`StreamServer::start`] on the
/// calling hub, exactly: the factory is called once, there.
///
/// ```
/// use std::rc::Rc;
/// use std::cell::Cell;
/// use green::compat::io::{Read, Write};
/// use green::compat::net::{SocketAddr, TcpStream};
/// use green::server::StreamServer;
///
/// #[green::green]
/// fn count(mut stream: TcpStream, served: Rc<Cell<u32>>) -> std::io::Result<()> {
///     served.set(served.get() + 1);                 // this hub's count: no lock
///     write!(stream, "you are number {} here", served.get())
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = StreamServer::bind("127.0.0.1:0")?.workers(2);
///     let handle = server.start(|| {
///         let served = Rc::new(Cell::new(0));       // made on each hub
///         move |stream, _peer: SocketAddr| count(stream, served.clone())
///     })?;
///     let mut text = String::new();
///     TcpStream::connect(handle.local_addr())?.read_to_string(&mut text)?;
///     assert!(text.starts_with("you are number 1"));
///     handle.stop(std::time::Duration::from_secs(1));
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct ShardedServer<H = Plain> {
    server: StreamServer<H>,
    workers: usize,
    single_acceptor: bool,
}

impl<H: Handshake> StreamServer<H> {
    /// Serves on `n` hubs, each a thread with its own accept loop and
    /// connections (see [`ShardedServer`]); `0` means one per core
    /// (`std::thread::available_parallelism`), `1` this hub alone, as
    /// [`start`](StreamServer::start). The handler is then made by a
    /// factory, once per hub.
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = StreamServer::bind("127.0.0.1:0")?.workers(0);
    ///     assert!(server.workers() >= 1);
    ///     Ok(())
    /// }
    /// ```
    pub fn workers(self, n: usize) -> ShardedServer<H> {
        ShardedServer {
            server: self,
            workers: n,
            single_acceptor: false,
        }
    }
}

/// `n`, or one per core for 0.
pub(crate) fn resolve_workers(n: usize) -> usize {
    match n {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

impl<H> ShardedServer<H>
where
    H: Handshake + Clone + Send,
{
    /// How many hubs will serve (`0` given: the number of cores).
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     assert_eq!(StreamServer::bind("127.0.0.1:0")?.workers(3).workers(), 3);
    ///     Ok(())
    /// }
    /// ```
    pub fn workers(&self) -> usize {
        resolve_workers(self.workers)
    }

    /// The address the server listens on.
    ///
    /// ```
    /// use green::server::StreamServer;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = StreamServer::bind("127.0.0.1:0")?.workers(2);
    ///     assert_ne!(server.local_addr()?.port(), 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.server.local_addr()
    }

    /// One accept loop, on the calling hub, hands the connections to the
    /// hubs in turn, instead of a listener per hub: what the server does
    /// where the OS does not balance `SO_REUSEPORT` (and on Linux if
    /// setting it fails). Every connection then costs a handover between
    /// threads; in exchange the hubs get exactly one in `n` each, where
    /// the kernel's hash of addresses and ports only evens out over many.
    ///
    /// ```
    /// use green::compat::io::Read;
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::compat::io::Write;
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn hello(mut stream: TcpStream, _peer: SocketAddr) -> std::io::Result<()> {
    ///     stream.write_all(b"hello")
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = StreamServer::bind("127.0.0.1:0")?.workers(2).single_acceptor();
    ///     let handle = server.start(hello)?;
    ///     for _ in 0..4 {
    ///         let mut text = String::new();
    ///         TcpStream::connect(handle.local_addr())?.read_to_string(&mut text)?;
    ///         assert_eq!(text, "hello");
    ///     }
    ///     handle.stop(std::time::Duration::from_secs(1));
    ///     Ok(())
    /// }
    /// ```
    pub fn single_acceptor(self) -> Self {
        ShardedServer {
            single_acceptor: true,
            ..self
        }
    }

    /// Starts serving on every hub and returns at once (not green). On
    /// each hub `factory()` makes the handler, called as
    /// [`StreamServer::start`]'s is, for each connection that hub accepted.
    /// A handler that is `Clone + Send + Sync`, such as a plain `#[green]`
    /// fn, is cloned to every hub instead: `start(handle)` (see
    /// [`HandlerFactory`]). Errors if the listeners cannot be made or a hub's thread
    /// cannot start; a hub that fails later (its factory panics) is
    /// reported, and the others serve.
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
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.workers(2).start(echo)?;
    ///     let mut client = TcpStream::connect(handle.local_addr())?;
    ///     client.write_all(b"ping")?;
    ///     let mut reply = [0u8; 4];
    ///     client.read_exact(&mut reply)?;
    ///     assert_eq!(&reply, b"ping");
    ///     drop(client);
    ///     handle.stop(std::time::Duration::from_secs(1));
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn start<K: 'static, M>(self, factory: M) -> io::Result<ShardedHandle>
    where
        M: HandlerFactory<H::Stream, K>,
    {
        let n = self.workers();
        if n == 1 {
            return Ok(ShardedHandle::one(self.server.start(factory.make())?));
        }
        #[cfg(not(unix))]
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "StreamServer::workers(n) with n > 1 needs a Unix OS",
        ));
        let server = self.server;
        if let Some(backlog) = server.backlog {
            set_backlog(&server.listener, backlog)?;
        }
        let addr = server.listener.local_addr()?;
        let backlog = server.backlog.unwrap_or(DEFAULT_BACKLOG);
        let hubs = HubSet::start(n)?;
        let n = hubs.len();
        let listeners = if self.single_acceptor {
            None
        } else {
            listeners(&server.listener, n, backlog).ok()
        };
        let (sources, acceptor) = match listeners {
            Some(listeners) => (listeners.into_iter().map(Source::Listener).collect(), None),
            None => {
                let (inboxes, sources): (Vec<_>, Vec<_>) = (0..n)
                    .map(|_| {
                        let (tx, rx) = mpsc::unbounded_channel();
                        (tx, Source::Inbox(rx))
                    })
                    .unzip();
                let acceptor = green_runtime::spawn(move || deal(server.listener, addr, inboxes));
                acceptor.set_name(format!("StreamServer {addr} acceptor"));
                (sources, Some(acceptor))
            }
        };
        let factory = Arc::new(factory);
        let (stop, stop_rx) = watch::channel(None);
        let mut counts = Vec::with_capacity(n);
        let mut shares: Vec<ShareTask> = Vec::with_capacity(n);
        for (index, source) in sources.into_iter().enumerate() {
            let count = Arc::new(AtomicUsize::new(0));
            counts.push(count.clone());
            let share = Share {
                index,
                addr,
                source,
                max_connections: server.max_connections,
                handshake: server.handshake.clone(),
                factory: factory.clone(),
                count,
                stop: stop_rx.clone(),
            };
            shares.extend(hubs.spawn_on(index, move || share.run()));
        }
        Ok(ShardedHandle::many(
            addr, hubs, stop, acceptor, shares, counts,
        ))
    }

    /// Serves in the calling task until it is killed (gevent's
    /// `serve_forever`), on every hub as [`start`](ShardedServer::start)
    /// does. Green. Killing the calling task (or a timeout around it)
    /// stops every hub's accepting and kills its connections. For a
    /// graceful stop use [`start`](ShardedServer::start) and
    /// [`ShardedHandle::stop`].
    ///
    /// ```no_run
    /// use green::compat::io::Write;
    /// use green::compat::net::{SocketAddr, TcpStream};
    /// use green::server::StreamServer;
    ///
    /// #[green::green]
    /// fn hello(mut stream: TcpStream, _peer: SocketAddr) -> std::io::Result<()> {
    ///     stream.write_all(b"hello")
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     StreamServer::bind("0.0.0.0:7000")?.workers(0).serve(hello)
    /// }
    /// ```
    pub fn serve<K: 'static, M>(self, factory: M) -> Green<impl Future<Output = io::Result<()>>>
    where
        M: HandlerFactory<H::Stream, K>,
    {
        Green::new(async move {
            let handle = self.start(factory)?;
            let _stop = handle.stop_on_drop();
            core::future::pending::<()>().await;
            Ok(())
        })
    }
}

/// Where a hub's connections will come from, before it runs.
enum Source {
    /// Its own listening socket (`SO_REUSEPORT`).
    Listener(std::net::TcpListener),
    /// What the single acceptor hands it.
    Inbox(mpsc::UnboundedReceiver<Handover>),
}

#[cfg(unix)]
fn listeners(
    first: &TcpListener,
    n: usize,
    backlog: u32,
) -> io::Result<Vec<std::net::TcpListener>> {
    crate::reuse_port::listeners(first, n, backlog)
}

#[cfg(not(unix))]
fn listeners(_: &TcpListener, _: usize, _: u32) -> io::Result<Vec<std::net::TcpListener>> {
    Err(io::ErrorKind::Unsupported.into())
}

/// What one hub runs: its accept loop and connections until the handle
/// says stop.
struct Share<M, H> {
    index: usize,
    addr: SocketAddr,
    source: Source,
    max_connections: Option<usize>,
    handshake: H,
    factory: Arc<M>,
    count: Arc<AtomicUsize>,
    stop: watch::Receiver<Option<Duration>>,
}

impl<M, H> Share<M, H>
where
    H: Handshake,
{
    async fn run<K>(self)
    where
        M: HandlerFactory<H::Stream, K>,
    {
        let source = match self.source {
            Source::Listener(listener) => match TcpListener::from_std(listener) {
                Ok(listener) => AcceptSource::Listener(listener),
                Err(error) => {
                    eprintln!(
                        "green::server: hub {} of StreamServer {} cannot listen: {error}; the other hubs serve",
                        self.index, self.addr
                    );
                    return;
                }
            },
            Source::Inbox(inbox) => AcceptSource::Inbox(inbox),
        };
        let running = Running {
            addr: self.addr,
            source,
            handshake: Rc::new(self.handshake),
            handler: Rc::new(RefCell::new(self.factory.make())),
            connections: Connections::counted(self.max_connections, Some(self.count)),
        };
        let handle = running.start();
        let timeout = stop_asked(self.stop).await;
        handle.stop(timeout).await;
    }
}

/// The timeout `stop` was called with; never, if the handle was dropped
/// without it (a server whose handle is dropped goes on serving).
async fn stop_asked(mut stop: watch::Receiver<Option<Duration>>) -> Duration {
    loop {
        if let Some(timeout) = *stop.borrow_and_update() {
            return timeout;
        }
        if stop.changed().await.is_err() {
            return core::future::pending().await;
        }
    }
}

/// The single acceptor: accepts on `listener` and hands each connection to
/// the next hub in turn, skipping hubs that are gone.
async fn deal(
    listener: TcpListener,
    addr: SocketAddr,
    inboxes: Vec<mpsc::UnboundedSender<Handover>>,
) {
    let mut errors = ErrorReports::new(addr);
    let mut next = 0;
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                errors.report("accept", &error);
                continue;
            }
        };
        // A descriptor of its own for the receiving hub to register; this
        // hub's (and its registration) goes with `stream`.
        let handover = match handover(&stream) {
            Ok(socket) => socket,
            Err(error) => {
                errors.report("handing a connection over", &error);
                continue;
            }
        };
        drop(stream);
        let mut item = (handover, peer);
        let mut tried = 0;
        while tried < inboxes.len() {
            let inbox = &inboxes[next];
            next = (next + 1) % inboxes.len();
            tried += 1;
            match inbox.send(item) {
                Ok(()) => break,
                Err(mpsc::error::SendError(back)) => item = back,
            }
        }
        if tried == inboxes.len() && inboxes.iter().all(|i| i.is_closed()) {
            return;
        }
    }
}

#[cfg(unix)]
fn handover(stream: &green_compat::net::TcpStream) -> io::Result<std::net::TcpStream> {
    Ok(socket2::SockRef::from(stream).try_clone()?.into())
}

#[cfg(not(unix))]
fn handover(_: &green_compat::net::TcpStream) -> io::Result<std::net::TcpStream> {
    Err(io::ErrorKind::Unsupported.into())
}
