//! Servers for green tasks: gevent's `gevent.server` and eventlet's
//! `eventlet.convenience`. Use it through the facade, as `green::server`.
//!
//! - [`StreamServer`]: a TCP (or TLS) server, one green task per
//!   connection named after the peer, with a bound on the handlers running
//!   at once ([`max_connections`](StreamServer::max_connections), gevent's
//!   `spawn=Pool(n)`), a listen [`backlog`](StreamServer::backlog),
//!   [`start`](StreamServer::start) → [`ServerHandle`] (`local_addr`,
//!   `stop(timeout)`) or [`serve`](StreamServer::serve) (gevent's
//!   `serve_forever`);
//! - [`DatagramServer`]: a UDP server, one green task per datagram;
//! - eventlet's [`listen`], [`connect`] and [`serve`].
//!
//! Handlers are green work: `start(|stream, peer| handle(stream, peer))`
//! with `handle` a `#[green]` fn. A handler returning `Err` or panicking is
//! reported once on stderr with the peer's address, and the server goes
//! on. Accept errors never end a server: out of descriptors (`EMFILE`,
//! `ENFILE`), buffers or memory, it backs off (a pause growing to 100 ms
//! between accepts), says so at most once a second, and serves the
//! waiting clients once descriptors free up.
//!
//! | gevent / eventlet | green |
//! |---|---|
//! | `StreamServer(addr, handle, spawn=Pool(n), backlog=b)` | `StreamServer::bind(addr)?.max_connections(n).backlog(b)` |
//! | `server.start()` / `server.serve_forever()` | `server.start(\|s, p\| handle(s, p))?` → [`ServerHandle`] / `server.serve(..)?` |
//! | `server.stop(timeout)` | `handle.stop(timeout)` |
//! | `StreamServer(addr, handle, keyfile=.., certfile=..)` | `StreamServer::bind(addr)?.tls(acceptor)` |
//! | `DatagramServer(addr, handle)` | `DatagramServer::bind(addr)?.start(\|data, peer, socket\| ..)?` |
//! | `eventlet.listen(addr)`, `eventlet.connect(addr)` | [`listen`]`(addr)?`, [`connect`]`(addr)?` |
//! | `eventlet.serve(sock, handle, concurrency)` | [`serve`]`(listener, handler, concurrency)?` |
//!
//! ```
//! use std::time::Duration;
//! use green::compat::io::{BufRead, BufReader, Write};
//! use green::compat::net::{SocketAddr, TcpStream};
//! use green::server::StreamServer;
//!
//! #[green::green]
//! fn handle(stream: TcpStream, peer: SocketAddr) -> std::io::Result<()> {
//!     let mut writer = stream.try_clone()?;
//!     for line in BufReader::new(stream).lines() {
//!         writeln!(writer, "{peer} said {}", line?)?;
//!     }
//!     Ok(())
//! }
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let server = StreamServer::bind("127.0.0.1:0")?.max_connections(1000);
//!     let handle = server.start(|stream, peer| handle(stream, peer))?;
//!
//!     let mut client = TcpStream::connect(handle.local_addr())?;
//!     let me = client.local_addr()?;
//!     client.write_all(b"hi\n")?;
//!     let mut reply = String::new();
//!     BufReader::new(client).read_line(&mut reply)?;
//!     assert_eq!(reply, format!("{me} said hi\n"));
//!
//!     handle.stop(Duration::from_secs(1));
//!     Ok(())
//! }
//! ```
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![forbid(unsafe_code)]

mod accept_source;
mod connections;
mod convenience;
mod datagram_server;
mod handle;
mod handler;
mod handler_factory;
mod handshake;
mod hub_set;
mod report;
#[cfg(unix)]
mod reuse_port;
mod sharded_handle;
mod sharded_server;
mod stream_server;

pub use crate::convenience::{connect, listen, serve};
pub use crate::datagram_server::DatagramServer;
pub use crate::handle::ServerHandle;
pub use crate::handler::HandlerOutput;
pub use crate::handler_factory::{ClonedToEachHub, HandlerFactory, MadeOnEachHub};
pub use crate::handshake::{Handshake, Plain};
pub use crate::sharded_handle::ShardedHandle;
pub use crate::sharded_server::ShardedServer;
pub use crate::stream_server::{DEFAULT_BACKLOG, StreamServer};
