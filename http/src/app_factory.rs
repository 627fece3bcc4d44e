//! What a sharded HTTP server takes to make each hub's app: a factory
//! called once on every hub, or an app that can be cloned to each (a plain
//! `#[green]` fn).

use core::future::IntoFuture;

use crate::Request;
use crate::handler::HandlerResult;

/// Makes the app of one hub of a [`ShardedServer`](crate::ShardedServer),
/// on that hub. Implemented by
///
/// - a factory `|| app`, `Fn() -> F + Send + Sync`: called once on each
///   hub, so the app it returns may hold `!Send` state (`Rc`, `RefCell`),
///   which is that hub's;
/// - an app that is `Clone + Send + Sync` itself, such as a plain
///   `#[green]` fn: cloned to each hub.
///
/// `Kind` tells the two apart; it is inferred, never written.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use green::http::{Body, Request, Response, Server};
///
/// #[green::green]
/// fn hello(_req: Request) -> Response {
///     Response::new(Body::from("hello"))
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let plain = Server::bind("127.0.0.1:0")?.workers(2).start(hello)?;
///     let counted = Server::bind("127.0.0.1:0")?.workers(2).start(|| {
///         let seen = Rc::new(Cell::new(0u64));
///         move |req| {
///             seen.set(seen.get() + 1);
///             hello(req)
///         }
///     })?;
///     plain.stop(std::time::Duration::ZERO);
///     counted.stop(std::time::Duration::ZERO);
///     Ok(())
/// }
/// ```
pub trait AppFactory<Kind>: Send + Sync + 'static {
    /// The app of one hub: called with each request it serves.
    type App: Fn(Request) -> Self::Work + 'static;
    /// What the app returns: green work ending in a response.
    type Work: IntoFuture<Output: HandlerResult> + 'static;

    /// Makes the app, on the hub that will call it.
    fn make(&self) -> Self::App;
}

/// The [`AppFactory`] kind of a factory, called on each hub.
#[derive(Debug)]
pub enum MadeOnEachHub {}

/// The [`AppFactory`] kind of an app, cloned to each hub.
#[derive(Debug)]
pub enum ClonedToEachHub {}

impl<M, F, G> AppFactory<(MadeOnEachHub, F, G)> for M
where
    M: Fn() -> F + Send + Sync + 'static,
    F: Fn(Request) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    type App = F;
    type Work = G;

    fn make(&self) -> F {
        self()
    }
}

impl<F, G> AppFactory<(ClonedToEachHub, G)> for F
where
    F: Fn(Request) -> G + Clone + Send + Sync + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    type App = F;
    type Work = G;

    fn make(&self) -> F {
        self.clone()
    }
}
