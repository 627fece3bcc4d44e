//! `ReadHalf` and `WriteHalf`: a split connection, for a reading task and a
//! writing task.

use core::cell::RefCell;
use core::fmt;
use core::future::Future;
use std::rc::Rc;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error, Message};

use crate::connection::{self, Connection};

/// The reading half of a [`split`](crate::WebSocket::split) connection.
///
/// Its [`read`](ReadHalf::read) blocks only its own task: the
/// [`WriteHalf`] goes on sending meanwhile. The two share the connection
/// on one hub (neither is `Send`). Pings and the peer's close are
/// answered by tungstenite, as with an unsplit [`WebSocket`](crate::WebSocket).
///
/// ```
/// # use green::compat::net::TcpStream;
/// # use green::server::StreamServer;
/// use green::ws::Message;
///
/// #[green::green]
/// fn tick(stream: TcpStream) -> Result<(), green::ws::Error> {
///     let mut ws = green::ws::accept(stream)?;
///     for i in 0..3 {
///         ws.send(format!("tick {i}"))?;
///     }
///     ws.close(None)
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
/// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| tick(s))?;
/// #   let url = format!("ws://{}/", server.local_addr());
///     let (mut reader, _writer) = green::ws::connect(url.as_str())?.split();
///     let mut ticks = 0;
///     while let Message::Text(_) = reader.read()? {
///         ticks += 1;
///     }
///     assert_eq!(ticks, 3); // then the server's close
///     Ok(())
/// }
/// ```
pub struct ReadHalf<S> {
    shared: Rc<RefCell<Connection<S>>>,
}

/// The writing half of a [`split`](crate::WebSocket::split) connection.
///
/// Its [`send`](WriteHalf::send) blocks only its own task, while the
/// [`ReadHalf`] waits for messages in another. A chat server keeps the
/// writers of its clients to broadcast to them.
///
/// ```
/// # use green::compat::net::TcpStream;
/// # use green::server::StreamServer;
/// # #[green::green]
/// # fn echo(stream: TcpStream) -> Result<(), green::ws::Error> {
/// #     let mut ws = green::ws::accept(stream)?;
/// #     while let Ok(message) = ws.read() {
/// #         if message.is_text() { ws.send(message)?; }
/// #     }
/// #     Ok(())
/// # }
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
/// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| echo(s))?;
/// #   let url = format!("ws://{}/", server.local_addr());
///     let (mut reader, mut writer) = green::ws::connect(url.as_str())?.split();
///     // The reader blocks first, in its own task; the writer is not held up.
///     let first = green::spawn(move || async move { reader.read().await });
///     writer.send("ping-pong")?;
///     assert_eq!(first.join().unwrap()?, green::ws::Message::text("ping-pong"));
///     writer.close(None)?;
///     Ok(())
/// }
/// ```
pub struct WriteHalf<S> {
    shared: Rc<RefCell<Connection<S>>>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> ReadHalf<S> {
    pub(crate) fn new(shared: Rc<RefCell<Connection<S>>>) -> Self {
        ReadHalf { shared }
    }

    /// The next message from the peer, as [`WebSocket::read`](crate::WebSocket::read). Green.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// # #[green::green]
    /// # fn hello(stream: TcpStream) -> Result<(), green::ws::Error> {
    /// #     let mut ws = green::ws::accept(stream)?;
    /// #     ws.send("hello")?;
    /// #     ws.close(None)
    /// # }
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| hello(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let (mut reader, _writer) = green::ws::connect(url.as_str())?.split();
    ///     assert_eq!(reader.read()?.into_text()?, "hello");
    ///     Ok(())
    /// }
    /// ```
    pub fn read(&mut self) -> Green<impl Future<Output = Result<Message, Error>> + '_> {
        Green::new(connection::read(&mut self.shared))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> WriteHalf<S> {
    pub(crate) fn new(shared: Rc<RefCell<Connection<S>>>) -> Self {
        WriteHalf { shared }
    }

    /// Sends `message` and flushes it, as
    /// [`WebSocket::send`](crate::WebSocket::send). Green.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// # #[green::green]
    /// # fn echo(stream: TcpStream) -> Result<(), green::ws::Error> {
    /// #     let mut ws = green::ws::accept(stream)?;
    /// #     while let Ok(message) = ws.read() {
    /// #         if message.is_binary() { ws.send(message)?; }
    /// #     }
    /// #     Ok(())
    /// # }
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| echo(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let (mut reader, mut writer) = green::ws::connect(url.as_str())?.split();
    ///     writer.send(vec![0u8, 255])?;
    ///     assert_eq!(reader.read()?.into_data(), vec![0u8, 255]);
    ///     Ok(())
    /// }
    /// ```
    pub fn send(
        &mut self,
        message: impl Into<Message>,
    ) -> Green<impl Future<Output = Result<(), Error>> + '_> {
        let message = message.into();
        Green::new(connection::send(&mut self.shared, message))
    }

    /// Starts the close handshake: sends the close frame and returns. The
    /// peer's answer arrives at the [`ReadHalf`], whose reads then give the
    /// close and [`Error::ConnectionClosed`]. Green. `Ok` also when the
    /// connection was already closing.
    ///
    /// ```
    /// # use green::compat::net::TcpStream;
    /// # use green::server::StreamServer;
    /// # #[green::green]
    /// # fn echo(stream: TcpStream) -> Result<(), green::ws::Error> {
    /// #     let mut ws = green::ws::accept(stream)?;
    /// #     while let Ok(message) = ws.read() {
    /// #         if message.is_text() { ws.send(message)?; }
    /// #     }
    /// #     Ok(())
    /// # }
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| echo(s))?;
    /// #   let url = format!("ws://{}/", server.local_addr());
    ///     let (mut reader, mut writer) = green::ws::connect(url.as_str())?.split();
    ///     writer.close(None)?;
    ///     assert!(reader.read()?.is_close());
    ///     let end = reader.read();
    ///     assert!(matches!(end, Err(green::ws::Error::ConnectionClosed)));
    ///     Ok(())
    /// }
    /// ```
    pub fn close(
        &mut self,
        frame: Option<CloseFrame>,
    ) -> Green<impl Future<Output = Result<(), Error>> + '_> {
        Green::new(connection::send_close(&mut self.shared, frame))
    }
}

impl<S> fmt::Debug for ReadHalf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadHalf").finish_non_exhaustive()
    }
}

impl<S> fmt::Debug for WriteHalf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteHalf").finish_non_exhaustive()
    }
}
