//! What a sharded server takes to make each hub's handler: a factory
//! called once on every hub, or a handler that can be cloned to each (a
//! plain `#[green]` fn).

use core::future::IntoFuture;
use std::net::SocketAddr;

use crate::handler::HandlerOutput;

/// Makes the handler of one hub of a
/// [`ShardedServer`](crate::ShardedServer), on that hub. Implemented by
///
/// - a factory `|| handler`, `Fn() -> F + Send + Sync`: called once on each
///   hub, so the handler it returns may hold `!Send` state (`Rc`,
///   `RefCell`), which is that hub's;
/// - a handler that is `Clone + Send + Sync` itself, such as a plain
///   `#[green]` fn or a closure holding only `Arc`s: cloned to each hub.
///
/// `Kind` tells the two apart; it is inferred, never written.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use green::compat::net::{SocketAddr, TcpStream};
/// use green::server::StreamServer;
///
/// #[green::green]
/// fn ignore(_stream: TcpStream, _peer: SocketAddr) {}
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     // A plain fn, the same on every hub.
///     let plain = StreamServer::bind("127.0.0.1:0")?.workers(2).start(ignore)?;
///     // A factory: each hub's handler has its own counter.
///     let counted = StreamServer::bind("127.0.0.1:0")?.workers(2).start(|| {
///         let seen = Rc::new(Cell::new(0u64));
///         move |stream, peer| {
///             seen.set(seen.get() + 1);
///             ignore(stream, peer)
///         }
///     })?;
///     plain.stop(std::time::Duration::ZERO);
///     counted.stop(std::time::Duration::ZERO);
///     Ok(())
/// }
/// ```
pub trait HandlerFactory<S, Kind>: Send + Sync + 'static {
    /// The handler of one hub: called with each connection it accepted.
    type Handler: FnMut(S, SocketAddr) -> Self::Work + 'static;
    /// What the handler returns: green work ending in `()` or a `Result`.
    type Work: IntoFuture<Output: HandlerOutput> + 'static;

    /// Makes the handler, on the hub that will call it.
    fn make(&self) -> Self::Handler;
}

/// The [`HandlerFactory`] kind of a factory, called on each hub.
#[derive(Debug)]
pub enum MadeOnEachHub {}

/// The [`HandlerFactory`] kind of a handler, cloned to each hub.
#[derive(Debug)]
pub enum ClonedToEachHub {}

impl<M, F, G, S> HandlerFactory<S, (MadeOnEachHub, F, G)> for M
where
    M: Fn() -> F + Send + Sync + 'static,
    F: FnMut(S, SocketAddr) -> G + 'static,
    G: IntoFuture<Output: HandlerOutput> + 'static,
{
    type Handler = F;
    type Work = G;

    fn make(&self) -> F {
        self()
    }
}

impl<F, G, S> HandlerFactory<S, (ClonedToEachHub, G)> for F
where
    F: FnMut(S, SocketAddr) -> G + Clone + Send + Sync + 'static,
    G: IntoFuture<Output: HandlerOutput> + 'static,
{
    type Handler = F;
    type Work = G;

    fn make(&self) -> F {
        self.clone()
    }
}
