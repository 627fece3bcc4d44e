//! WebSocket for green tasks, on tokio-tungstenite (eventlet's `websocket`,
//! gevent-websocket). Used through the facade as `green::ws`, behind the
//! `ws` feature.
//!
//! - [`accept`] runs the server side of the handshake on a stream just
//!   accepted (a compat `TcpStream`, a compat TLS stream, any tokio stream);
//! - [`connect`] opens a `ws://` URL (`wss://` with the `tls` feature, and
//!   [`connect_tls`] for a connector of one's own);
//! - both give a [`WebSocket`], whose [`read`](WebSocket::read),
//!   [`send`](WebSocket::send) and [`close`](WebSocket::close) are green
//!   calls: blocking-looking, awaited by `#[green]`;
//! - [`split`](WebSocket::split) gives a [`ReadHalf`] and a [`WriteHalf`]
//!   for a reading task and a writing task (a chat server broadcasts
//!   through the writers while each reader waits);
//! - [`upgrade`] (with the `http` feature, on in the facade when both `http`
//!   and `ws` are) answers the handshake from inside a `green::http`
//!   handler and runs a handler on the [`WebSocket`], eventlet's
//!   `WebSocketWSGI`;
//! - [`Config`] sets the size limits; a message over them is refused with
//!   [`Error::Capacity`].
//!
//! Pings are answered with pongs and the peer's close is answered with a
//! close, by tungstenite, without the program's help. Errors are
//! tungstenite's [`Error`], re-exported with [`Message`], [`CloseFrame`]
//! and the other types a program matches on; the whole tungstenite crate is
//! [`tungstenite`].
//!
//! ```
//! use green::compat::net::TcpStream;
//! use green::server::StreamServer;
//! use green::ws::{Error, Message};
//!
//! #[green::green]
//! fn echo(stream: TcpStream) -> Result<(), Error> {
//!     let mut ws = green::ws::accept(stream)?;
//!     loop {
//!         match ws.read() {
//!             Ok(message @ (Message::Text(_) | Message::Binary(_))) => ws.send(message)?,
//!             Ok(_) => {} // a ping (answered already) or the client's close
//!             Err(Error::ConnectionClosed) => return Ok(()), // the close handshake is over
//!             Err(error) => return Err(error),
//!         }
//!     }
//! }
//!
//! #[green::main]
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let server = StreamServer::bind("127.0.0.1:0")?.start(|stream, _| echo(stream))?;
//!     let mut ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
//!     ws.send("hello")?;
//!     assert_eq!(ws.read()?, Message::text("hello"));
//!     ws.send(vec![1u8, 2, 3])?;
//!     assert_eq!(ws.read()?, Message::binary(vec![1u8, 2, 3]));
//!     ws.close(None)?;
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

mod accept;
mod client_stream;
mod config;
mod connect;
mod connection;
#[cfg(feature = "http")]
mod handshake;
mod split;
#[cfg(feature = "http")]
mod upgrade;
mod websocket;

pub use tokio_tungstenite::tungstenite;
pub use tokio_tungstenite::tungstenite::error::{CapacityError, ProtocolError, UrlError};
pub use tokio_tungstenite::tungstenite::protocol::CloseFrame;
pub use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
pub use tokio_tungstenite::tungstenite::{Bytes, Error, Message, Utf8Bytes};

pub use crate::accept::{accept, accept_with_config};
pub use crate::client_stream::ClientStream;
pub use crate::config::Config;
#[cfg(feature = "tls")]
pub use crate::connect::connect_tls;
pub use crate::connect::{connect, connect_with_config};
pub use crate::split::{ReadHalf, WriteHalf};
#[cfg(feature = "http")]
pub use crate::upgrade::{HandlerResult, upgrade, upgrade_with_config};
pub use crate::websocket::WebSocket;
