//! `ClientStream`: what a client connection runs over, plain TCP or TLS.

use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;
use std::net::SocketAddr;

use green_compat::net::TcpStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The stream under a [`WebSocket`](crate::WebSocket) made by
/// [`connect`](crate::connect): a compat TCP stream for `ws://`, and for
/// `wss://` (with the `tls` feature) a compat TLS stream over one.
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
/// use green::ws::ClientStream;
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
/// #   let server = StreamServer::bind("127.0.0.1:0")?.start(|s, _| idle(s))?;
///     let ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
///     assert!(matches!(ws.get_ref(), ClientStream::Plain(_)));
///     assert_eq!(ws.get_ref().peer_addr()?, server.local_addr());
///     Ok(())
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientStream {
    /// `ws://`: TCP.
    Plain(TcpStream),
    /// `wss://`: TLS over TCP (boxed: rustls' state is over a kilobyte).
    #[cfg(feature = "tls")]
    Tls(Box<green_compat::tls::TlsStream<TcpStream>>),
}

impl ClientStream {
    /// The TCP stream underneath.
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
    ///     let ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
    ///     assert!(ws.get_ref().tcp().nodelay()?); // set by connect: messages go out at once
    ///     Ok(())
    /// }
    /// ```
    pub fn tcp(&self) -> &TcpStream {
        match self {
            ClientStream::Plain(tcp) => tcp,
            #[cfg(feature = "tls")]
            ClientStream::Tls(tls) => tls.get_ref(),
        }
    }

    /// The server's address, as [`TcpStream::peer_addr`].
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
    ///     let ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
    ///     assert_eq!(ws.get_ref().peer_addr()?, server.local_addr());
    ///     Ok(())
    /// }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.tcp().peer_addr()
    }
}

impl AsyncRead for ClientStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ClientStream::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            #[cfg(feature = "tls")]
            ClientStream::Tls(tls) => Pin::new(&mut **tls).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for ClientStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            ClientStream::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            #[cfg(feature = "tls")]
            ClientStream::Tls(tls) => Pin::new(&mut **tls).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ClientStream::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            #[cfg(feature = "tls")]
            ClientStream::Tls(tls) => Pin::new(&mut **tls).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ClientStream::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            #[cfg(feature = "tls")]
            ClientStream::Tls(tls) => Pin::new(&mut **tls).poll_shutdown(cx),
        }
    }
}
