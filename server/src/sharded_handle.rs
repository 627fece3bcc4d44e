//! `ShardedHandle`: a started [`ShardedServer`](crate::ShardedServer), to
//! ask its address and connections and stop every hub's share of it.

use core::cell::RefCell;
use core::fmt;
use core::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use green_runtime::{Event, Green, Greenlet};
use tokio::sync::watch;

use crate::handle::ServerHandle;
use crate::hub_set::{HubSet, ShareTask};

/// A started [`ShardedServer`](crate::ShardedServer), made by its `start`.
/// Dropping it does not stop the server: its hubs serve until the process
/// ends. Not `Send`: it stays on the hub that started the server.
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
///     let handle = StreamServer::bind("127.0.0.1:0")?.workers(2).start(ignore)?;
///     assert_eq!(handle.workers(), 2);
///     TcpStream::connect(handle.local_addr())?;
///     handle.stop(Duration::from_secs(1));
///     assert!(TcpStream::connect(handle.local_addr()).is_err());
///     Ok(())
/// }
/// ```
pub struct ShardedHandle {
    addr: SocketAddr,
    inner: Inner,
}

enum Inner {
    /// `workers(1)`: the server of `StreamServer::start`, on this hub.
    One(ServerHandle),
    Many(Many),
}

struct Many {
    hubs: HubSet,
    /// `Some(timeout)` once `stop` is called; every share watches it.
    stop: watch::Sender<Option<Duration>>,
    /// The single acceptor, where there is one.
    acceptor: Option<Greenlet<()>>,
    /// Taken by the first `stop`, which joins them.
    shares: RefCell<Vec<ShareTask>>,
    counts: Vec<Arc<AtomicUsize>>,
    /// Set once the first `stop` has joined every share.
    stopped: Event,
}

impl ShardedHandle {
    pub(crate) fn one(handle: ServerHandle) -> Self {
        ShardedHandle {
            addr: handle.local_addr(),
            inner: Inner::One(handle),
        }
    }

    pub(crate) fn many(
        addr: SocketAddr,
        hubs: HubSet,
        stop: watch::Sender<Option<Duration>>,
        acceptor: Option<Greenlet<()>>,
        shares: Vec<ShareTask>,
        counts: Vec<Arc<AtomicUsize>>,
    ) -> Self {
        ShardedHandle {
            addr,
            inner: Inner::Many(Many {
                hubs,
                stop,
                acceptor,
                shares: RefCell::new(shares),
                counts,
                stopped: Event::new(),
            }),
        }
    }

    /// The address the server listens on (port 0 resolved).
    ///
    /// ```
    /// # use green::compat::net::{SocketAddr, TcpStream};
    /// # #[green::green] fn ignore(_s: TcpStream, _p: SocketAddr) {}
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let handle = green::server::StreamServer::bind("127.0.0.1:0")?.workers(2).start(ignore)?;
    /// assert_ne!(handle.local_addr().port(), 0);
    /// # handle.stop(std::time::Duration::ZERO);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many hubs serve.
    ///
    /// ```
    /// # use green::compat::net::{SocketAddr, TcpStream};
    /// # #[green::green] fn ignore(_s: TcpStream, _p: SocketAddr) {}
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let handle = green::server::StreamServer::bind("127.0.0.1:0")?.workers(1).start(ignore)?;
    /// assert_eq!(handle.workers(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn workers(&self) -> usize {
        match &self.inner {
            Inner::One(_) => 1,
            Inner::Many(many) => many.counts.len(),
        }
    }

    /// How many handlers are running now, on every hub.
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
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.workers(2).start(linger)?;
    ///     let _client = TcpStream::connect(handle.local_addr())?;
    ///     while handle.connections() == 0 {
    ///         green::sleep(Duration::from_millis(1));
    ///     }
    ///     assert_eq!(handle.connections_per_worker().iter().sum::<usize>(), 1);
    ///     handle.stop(Duration::ZERO);
    ///     assert_eq!(handle.connections(), 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn connections(&self) -> usize {
        self.connections_per_worker().iter().sum()
    }

    /// How many handlers are running now on each hub, by hub.
    ///
    /// ```
    /// # use green::compat::net::{SocketAddr, TcpStream};
    /// # #[green::green] fn ignore(_s: TcpStream, _p: SocketAddr) {}
    /// # #[green::main]
    /// # fn main() -> std::io::Result<()> {
    /// let handle = green::server::StreamServer::bind("127.0.0.1:0")?.workers(2).start(ignore)?;
    /// assert_eq!(handle.connections_per_worker(), vec![0, 0]);
    /// # handle.stop(std::time::Duration::ZERO);
    /// # Ok(())
    /// # }
    /// ```
    pub fn connections_per_worker(&self) -> Vec<usize> {
        match &self.inner {
            Inner::One(handle) => vec![handle.connections()],
            Inner::Many(many) => many
                .counts
                .iter()
                .map(|count| count.load(Ordering::Relaxed))
                .collect(),
        }
    }

    /// Stops the server on every hub (gevent's `stop(timeout)`): each hub
    /// stops accepting and closes its listener, waits up to `timeout` for
    /// its running handlers, kills those still running (their destructors
    /// run), and the call returns once every hub's share has ended. Green.
    /// Harmless twice. A hub whose share panicked (its handler factory) is
    /// reported here.
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
    ///     let handle = StreamServer::bind("127.0.0.1:0")?.workers(2).start(linger)?;
    ///     let _client = TcpStream::connect(handle.local_addr())?;
    ///     let start = Instant::now();
    ///     handle.stop(Duration::from_millis(50)); // the handler is killed after 50 ms
    ///     assert!(start.elapsed() < Duration::from_secs(10));
    ///     assert_eq!(handle.connections(), 0);
    ///     handle.stop(Duration::ZERO);            // harmless
    ///     Ok(())
    /// }
    /// ```
    pub fn stop(&self, timeout: Duration) -> Green<impl Future<Output = ()> + '_> {
        Green::new(async move {
            match &self.inner {
                Inner::One(handle) => handle.stop(timeout).await,
                Inner::Many(many) => many.stop(self.addr, timeout).await,
            }
        })
    }

    /// Stops the server, killing its connections, when the guard drops:
    /// what a killed `serve` leaves behind.
    pub(crate) fn stop_on_drop(&self) -> StopOnDrop<'_> {
        StopOnDrop(self)
    }
}

impl Many {
    async fn stop(&self, addr: SocketAddr, timeout: Duration) {
        if let Some(acceptor) = &self.acceptor {
            acceptor.kill().await;
        }
        self.stop.send_if_modified(|asked| {
            let first = asked.is_none();
            if first {
                *asked = Some(timeout);
            }
            first
        });
        let shares = core::mem::take(&mut *self.shares.borrow_mut());
        if shares.is_empty() {
            // Another `stop` is joining them.
            self.stopped.wait().await;
            return;
        }
        // Set even if this stop is cut short, so that another never waits
        // for ever.
        let _done = SetOnDrop(&self.stopped);
        for (index, share) in shares.into_iter().enumerate() {
            if let Err(failure) = share.join().await {
                eprintln!("green::server: hub {index} of StreamServer {addr} failed: {failure}");
            }
        }
        self.hubs.shut_down().await;
    }
}

struct SetOnDrop<'a>(&'a Event);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.set();
    }
}

pub(crate) struct StopOnDrop<'a>(&'a ShardedHandle);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        match &self.0.inner {
            Inner::One(handle) => handle.kill_nowait(),
            Inner::Many(many) => {
                if let Some(acceptor) = &many.acceptor {
                    acceptor.kill_nowait();
                }
                many.stop.send_replace(Some(Duration::ZERO));
                many.hubs.shut_down_detached();
            }
        }
    }
}

impl fmt::Debug for ShardedHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShardedHandle")
            .field("addr", &self.addr)
            .field("workers", &self.workers())
            .field("connections", &self.connections_per_worker())
            .finish()
    }
}
