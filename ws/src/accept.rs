//! `accept`: the server side of the WebSocket handshake.

use core::future::Future;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::tungstenite::Error;

use crate::config::Config;
use crate::connection::Connection;
use crate::websocket::WebSocket;

/// Reads the client's HTTP upgrade request from `stream`, answers it with
/// `101 Switching Protocols`, and gives the [`WebSocket`]. Green: blocks the
/// task for the handshake. The default [`Config`] applies.
///
/// `stream` is a connection just accepted: a compat
/// [`TcpStream`](green_compat::net::TcpStream), a compat TLS stream
/// (`wss://`), or any tokio `AsyncRead + AsyncWrite` stream. A request that
/// is not a WebSocket upgrade gets an HTTP error answer and gives
/// [`Error::Protocol`] or [`Error::Http`].
///
/// ```
/// use green::compat::net::TcpStream;
/// use green::server::StreamServer;
/// use green::ws::Message;
///
/// #[green::green]
/// fn shout(stream: TcpStream) -> Result<(), green::ws::Error> {
///     let mut ws = green::ws::accept(stream)?;
///     while let Message::Text(text) = ws.read()? {
///         ws.send(text.to_uppercase())?;
///     }
///     Ok(())
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| shout(s))?;
///     let mut ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
///     ws.send("quiet")?;
///     assert_eq!(ws.read()?.into_text()?, "QUIET");
///     Ok(())
/// }
/// ```
pub fn accept<S>(stream: S) -> Green<impl Future<Output = Result<WebSocket<S>, Error>>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    accept_with_config(stream, Config::new())
}

/// [`accept`] with the limits of `config`.
///
/// ```
/// use green::compat::net::TcpStream;
/// use green::server::StreamServer;
/// use green::ws::{CapacityError, Config, Error};
/// use green::Queue;
///
/// #[green::green]
/// fn small(stream: TcpStream, refused: Queue<(usize, usize)>) -> Result<(), Error> {
///     let mut ws = green::ws::accept_with_config(stream, Config::new().max_message_size(16))?;
///     if let Err(Error::Capacity(CapacityError::MessageTooLong { size, max_size })) = ws.read() {
///         refused.put((size, max_size)).ok();
///     }
///     Ok(())
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let refused = Queue::new();
///     let seen = refused.clone();
///     let server = StreamServer::bind("127.0.0.1:0")?.start(move |s, _| small(s, seen.clone()))?;
///     let mut ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
///     ws.send(vec![0u8; 100])?;
///     assert_eq!(refused.get()?, (100, 16));
///     assert!(ws.read().is_err()); // the server gave up on the connection
///     Ok(())
/// }
/// ```
pub fn accept_with_config<S>(
    stream: S,
    config: Config,
) -> Green<impl Future<Output = Result<WebSocket<S>, Error>>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    Green::new(async move {
        let stream =
            tokio_tungstenite::accept_async_with_config(stream, Some(config.to_tungstenite()))
                .await?;
        Ok(WebSocket::new(Connection::new(stream)))
    })
}
