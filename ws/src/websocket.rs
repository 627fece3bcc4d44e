//! `WebSocket`: one connection, its messages read and sent by green calls.

use core::cell::RefCell;
use core::fmt;
use core::future::Future;
use std::rc::Rc;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error, Message};

use crate::connection::{self, Connection};
use crate::split::{ReadHalf, WriteHalf};

/// A WebSocket connection over the stream `S` (a compat
/// [`TcpStream`](green_compat::net::TcpStream) when made by
/// [`accept`](crate::accept), a [`ClientStream`](crate::ClientStream) when
/// made by [`connect`](crate::connect)).
///
/// [`read`](WebSocket::read), [`send`](WebSocket::send) and
/// [`close`](WebSocket::close) are green: they block the task, not the hub.
/// Pings are answered with pongs and a close from the peer is answered with
/// a close, by tungstenite, without the program's help. For one task that
/// reads while another writes, [`split`](WebSocket::split) the connection.
/// Dropping it drops the stream (the TCP connection closes without a close
/// handshake).
///
/// ```
/// use green::compat::net::TcpStream;
/// use green::server::StreamServer;
/// use green::ws::{Message, WebSocket};
///
/// #[green::green]
/// fn echo(stream: TcpStream) -> Result<(), green::ws::Error> {
///     let mut ws = green::ws::accept(stream)?;
///     while let Ok(message) = ws.read() {
///         if message.is_text() || message.is_binary() {
///             ws.send(message)?;
///         }
///     }
///     Ok(())
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| echo(s))?;
///     let url = format!("ws://{}/", server.local_addr());
///     let mut ws = green::ws::connect(url.as_str())?;
///     ws.send(Message::text("hello"))?;
///     assert_eq!(ws.read()?, Message::text("hello"));
///     ws.close(None)?;
///     Ok(())
/// }
/// ```
pub struct WebSocket<S> {
    connection: Connection<S>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> WebSocket<S> {
    pub(crate) fn new(connection: Connection<S>) -> Self {
        WebSocket { connection }
    }

    /// The next message from the peer. Green.
    ///
    /// Data messages come as [`Message::Text`] and [`Message::Binary`],
    /// whole (fragments are joined). A [`Message::Ping`] comes too, after
    /// its pong was sent; a [`Message::Close`] means the peer closed: the
    /// reply has been sent, and the next read gives
    /// [`Error::ConnectionClosed`], the reads after it
    /// [`Error::AlreadyClosed`]. A message over the configured size gives
    /// [`Error::Capacity`]; after any error but those two the connection is
    /// unusable.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// use green::ws::{Error, Message};
    ///
    /// #[green::green]
    /// fn greet(stream: TcpStream) -> Result<(), Error> {
    ///     let mut ws = green::ws::accept(stream)?;
    ///     ws.send(Message::text("hi"))?;
    ///     ws.close(None)
    /// }
    ///
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| greet(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let mut ws = green::ws::connect(url.as_str())?;
    ///     assert_eq!(ws.read()?, Message::text("hi"));
    ///     assert!(ws.read()?.is_close());
    ///     let end = ws.read();
    ///     assert!(matches!(end, Err(Error::ConnectionClosed)));
    ///     let after = ws.read();
    ///     assert!(matches!(after, Err(Error::AlreadyClosed)));
    ///     Ok(())
    /// }
    /// ```
    pub fn read(&mut self) -> Green<impl Future<Output = Result<Message, Error>> + '_> {
        Green::new(connection::read(&mut self.connection))
    }

    /// Sends `message` and flushes it to the socket. Green: blocks the task
    /// while the socket's buffer is full. Anything that converts into a
    /// [`Message`] will do (`String`, `&str`, `Vec<u8>`).
    ///
    /// Sending after the close handshake gives [`Error::AlreadyClosed`].
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// use green::ws::Message;
    ///
    /// #[green::green]
    /// fn count(stream: TcpStream) -> Result<(), green::ws::Error> {
    ///     let mut ws = green::ws::accept(stream)?;
    ///     let mut n = 0;
    ///     while ws.read()?.is_binary() {
    ///         n += 1;
    ///     }
    ///     ws.send(format!("{n} messages"))
    /// }
    ///
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| count(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let mut ws = green::ws::connect(url.as_str())?;
    ///     ws.send(vec![1u8, 2, 3])?;
    ///     ws.send(Message::binary(vec![4u8]))?;
    ///     ws.send("done")?;
    ///     assert_eq!(ws.read()?, Message::text("2 messages"));
    ///     Ok(())
    /// }
    /// ```
    pub fn send(
        &mut self,
        message: impl Into<Message>,
    ) -> Green<impl Future<Output = Result<(), Error>> + '_> {
        let message = message.into();
        Green::new(connection::send(&mut self.connection, message))
    }

    /// The close handshake: sends a close frame (`None` sends one without
    /// a status code), then reads until the peer's close comes back or the
    /// connection ends, dropping any data message that arrives meanwhile.
    /// Green. Returns `Ok` also when the connection was already closed.
    ///
    /// A peer that never answers keeps this waiting: put it under
    /// `green::timeout` when the peer is not
    /// trusted.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// use green::ws::{CloseCode, CloseFrame, Message};
    ///
    /// #[green::green]
    /// fn serve(stream: TcpStream) -> Result<(), green::ws::Error> {
    ///     let mut ws = green::ws::accept(stream)?;
    ///     loop {
    ///         if let Message::Close(frame) = ws.read()? {
    ///             assert_eq!(frame.unwrap().reason, "bye");
    ///             return Ok(());
    ///         }
    ///     }
    /// }
    ///
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| serve(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let mut ws = green::ws::connect(url.as_str())?;
    ///     ws.close(Some(CloseFrame { code: CloseCode::Normal, reason: "bye".into() }))?;
    ///     assert!(ws.send("late").is_err()); // closed: nothing more goes out
    ///     Ok(())
    /// }
    /// ```
    pub fn close(
        &mut self,
        frame: Option<CloseFrame>,
    ) -> Green<impl Future<Output = Result<(), Error>> + '_> {
        Green::new(connection::close(&mut self.connection, frame))
    }

    /// Splits the connection into a reader and a writer, for two green
    /// tasks: one blocked in [`ReadHalf::read`] does not hold up the other's
    /// [`WriteHalf::send`]. Both stay on this hub (they share the
    /// connection without a lock). Not green.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// use green::ws::Message;
    ///
    /// #[green::green]
    /// fn echo(stream: TcpStream) -> Result<(), green::ws::Error> {
    ///     let mut ws = green::ws::accept(stream)?;
    ///     while let Ok(message) = ws.read() {
    ///         if message.is_text() {
    ///             ws.send(message)?;
    ///         }
    ///     }
    ///     Ok(())
    /// }
    ///
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| echo(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let (mut reader, mut writer) = green::ws::connect(url.as_str())?.split();
    ///     let receiving = green::spawn(move || async move {
    ///         let mut got = Vec::new();
    ///         while got.len() < 3 {
    ///             got.push(reader.read().await.unwrap().into_text().unwrap().to_string());
    ///         }
    ///         got
    ///     });
    ///     for word in ["a", "b", "c"] {
    ///         writer.send(word)?;
    ///     }
    ///     assert_eq!(receiving.join().unwrap(), ["a", "b", "c"]);
    ///     Ok(())
    /// }
    /// ```
    pub fn split(self) -> (ReadHalf<S>, WriteHalf<S>) {
        let shared = Rc::new(RefCell::new(self.connection));
        (ReadHalf::new(Rc::clone(&shared)), WriteHalf::new(shared))
    }

    /// The stream underneath, for its addresses or options.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// # #[green::green]
    /// # fn idle(stream: TcpStream) -> Result<(), green::ws::Error> {
    /// #     let mut ws = green::ws::accept(stream)?;
    /// #     while ws.read().is_ok() {}
    /// #     Ok(())
    /// # }
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| idle(s))?;
    ///     let url = format!("ws://{}/", server.local_addr());
    ///     let ws = green::ws::connect(url.as_str())?;
    ///     assert_eq!(ws.get_ref().peer_addr()?, server.local_addr());
    ///     Ok(())
    /// }
    /// ```
    pub fn get_ref(&self) -> &S {
        self.connection.get_ref()
    }
}

impl<S> fmt::Debug for WebSocket<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSocket").finish_non_exhaustive()
    }
}
