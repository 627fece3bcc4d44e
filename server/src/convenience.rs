//! eventlet's conveniences: `listen`, `connect` and `serve`.

use core::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;

use green_compat::net::{TcpListener, TcpStream, ToSocketAddrs};
use green_runtime::Green;

use crate::handler::HandlerOutput;
use crate::stream_server::{DEFAULT_BACKLOG, StreamServer, set_backlog};

/// A listening socket bound to `addr`, with a backlog of
/// [`DEFAULT_BACKLOG`] (eventlet's `listen`). Green.
///
/// ```
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let listener = green::server::listen("127.0.0.1:0")?;
///     assert_ne!(listener.local_addr()?.port(), 0);
///     Ok(())
/// }
/// ```
pub fn listen<A: ToSocketAddrs>(addr: A) -> Green<impl Future<Output = io::Result<TcpListener>>> {
    Green::new(async move {
        let listener = TcpListener::bind(addr).await?;
        set_backlog(&listener, DEFAULT_BACKLOG)?;
        Ok(listener)
    })
}

/// A TCP connection to `addr` (eventlet's `connect`): as
/// [`TcpStream::connect`]. Green.
///
/// ```
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let listener = green::server::listen("127.0.0.1:0")?;
///     let client = green::server::connect(listener.local_addr()?)?;
///     assert_eq!(client.peer_addr()?, listener.local_addr()?);
///     Ok(())
/// }
/// ```
pub fn connect<A: ToSocketAddrs>(addr: A) -> Green<impl Future<Output = io::Result<TcpStream>>> {
    TcpStream::connect(addr)
}

/// Serves `listener` in the calling task until it is killed, running
/// `handler(stream, peer)` for each connection in its own green task, at
/// most `concurrency` at once (eventlet's `serve(sock, handle,
/// concurrency)`): [`StreamServer::from_listener`] with
/// [`max_connections`](StreamServer::max_connections), then
/// [`serve`](StreamServer::serve). Green.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::net::{SocketAddr, TcpStream};
///
/// #[green::green]
/// fn hello(mut stream: TcpStream, _peer: SocketAddr) -> std::io::Result<()> {
///     stream.write_all(b"hello")
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let listener = green::server::listen("127.0.0.1:0")?;
///     let addr = listener.local_addr()?;
///     let server = green::spawn(move || green::server::serve(listener, |s, p| hello(s, p), 1000));
///     let mut text = String::new();
///     green::server::connect(addr)?.read_to_string(&mut text)?;
///     assert_eq!(text, "hello");
///     server.kill();
///     Ok(())
/// }
/// ```
pub fn serve<F, G>(
    listener: TcpListener,
    handler: F,
    concurrency: usize,
) -> Green<impl Future<Output = io::Result<()>>>
where
    F: FnMut(TcpStream, SocketAddr) -> G + 'static,
    G: IntoFuture + 'static,
    G::Output: HandlerOutput,
{
    StreamServer::from_listener(listener)
        .max_connections(concurrency)
        .serve(handler)
}
