//! `TlsStream`: an encrypted stream whose reads and writes are green.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;

use green_runtime::Green;
use tokio::io::{AsyncBufRead, AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};

use crate::io::tokio_bridge;
use crate::io::{BufRead, Read, Write};

/// An established TLS connection over a stream `S` (usually a
/// [`TcpStream`](crate::net::TcpStream)), made by
/// [`TlsConnector::connect`](super::TlsConnector::connect) or
/// [`TlsAcceptor::accept`](super::TlsAcceptor::accept). No std counterpart
/// (gevent's `SSLSocket`).
///
/// It implements [`Read`](crate::io::Read), [`Write`](crate::io::Write) and
/// [`BufRead`](crate::io::BufRead), all green. Writes are encrypted and
/// sent at once, as a TCP stream's are. Close with
/// [`shutdown`](TlsStream::shutdown), which tells the peer that the data
/// is complete: a peer that closes the connection without it makes the
/// last read an error of kind
/// [`ErrorKind::UnexpectedEof`](std::io::ErrorKind::UnexpectedEof), as
/// the protection against a truncated reply asks.
///
/// Unlike [`TcpStream`](crate::net::TcpStream) it has no `try_clone`: one
/// task owns the TLS state. To read in one task and write in another, split
/// it with `tokio::io::split`, whose halves implement the compat traits too.
///
/// ```
/// use green::compat::io::{BufRead, Write};
/// use green::compat::net::{TcpListener, TcpStream};
/// use green::compat::tls::{TlsAcceptor, TlsConnector};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
///     let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
///     let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let addr = listener.local_addr()?;
///     let server = green::spawn(move || async move {
///         let mut tls = acceptor.accept(listener.accept().await?.0).await?;
///         let mut line = String::new();
///         while tls.read_line(&mut line).await? > 0 {
///             tls.write_all(line.to_uppercase().as_bytes()).await?;
///             line.clear();
///         }
///         std::io::Result::Ok(())
///     });
///
///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
///     let mut tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
///     for word in ["one", "two"] {
///         writeln!(tls, "{word}")?;
///         let mut reply = String::new();
///         tls.read_line(&mut reply)?;
///         assert_eq!(reply, format!("{}\n", word.to_uppercase()));
///     }
///     tls.shutdown()?;
///     server.join().unwrap()
/// }
/// ```
pub struct TlsStream<S> {
    inner: tokio_rustls::TlsStream<S>,
}

impl<S> TlsStream<S> {
    pub(super) fn new(inner: tokio_rustls::TlsStream<S>) -> Self {
        TlsStream { inner }
    }

    /// The stream under the encryption. Reading or writing it directly
    /// breaks the TLS session.
    ///
    /// ```
    /// # use green::compat::net::{TcpListener, TcpStream};
    /// # use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// #   let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
    /// #   let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    /// #   let listener = TcpListener::bind("127.0.0.1:0")?;
    /// #   let addr = listener.local_addr()?;
    /// #   let server = green::spawn(move || async move {
    /// #       acceptor.accept(listener.accept().await?.0).await.map(drop)
    /// #   });
    ///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///     let tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    ///     assert_eq!(tls.get_ref().peer_addr()?, addr);
    /// #   server.join().unwrap()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn get_ref(&self) -> &S {
        self.inner.get_ref().0
    }

    /// The stream under the encryption, mutably. Reading or writing it
    /// directly breaks the TLS session.
    ///
    /// ```
    /// # use green::compat::net::{TcpListener, TcpStream};
    /// # use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// #   let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
    /// #   let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    /// #   let listener = TcpListener::bind("127.0.0.1:0")?;
    /// #   let addr = listener.local_addr()?;
    /// #   let server = green::spawn(move || async move {
    /// #       acceptor.accept(listener.accept().await?.0).await.map(drop)
    /// #   });
    ///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///     let mut tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    ///     tls.get_mut().set_nodelay(true)?;
    /// #   server.join().unwrap()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn get_mut(&mut self) -> &mut S {
        self.inner.get_mut().0
    }

    /// Gives back the stream under the encryption, dropping the TLS session
    /// without telling the peer (call [`shutdown`](TlsStream::shutdown)
    /// first for a clean close).
    ///
    /// ```
    /// # use green::compat::net::{TcpListener, TcpStream};
    /// # use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// #   let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
    /// #   let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    /// #   let listener = TcpListener::bind("127.0.0.1:0")?;
    /// #   let addr = listener.local_addr()?;
    /// #   let server = green::spawn(move || async move {
    /// #       acceptor.accept(listener.accept().await?.0).await.map(drop)
    /// #   });
    ///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///     let tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    ///     let tcp: TcpStream = tls.into_inner();
    ///     assert_eq!(tcp.peer_addr()?, addr);
    /// #   server.join().unwrap()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn into_inner(self) -> S {
        match self.inner {
            tokio_rustls::TlsStream::Client(stream) => stream.into_inner().0,
            tokio_rustls::TlsStream::Server(stream) => stream.into_inner().0,
        }
    }

    /// The application protocol agreed by ALPN, if any (set
    /// `alpn_protocols` in the rustls configuration to offer some).
    ///
    /// ```
    /// # use green::compat::net::{TcpListener, TcpStream};
    /// # use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// #   let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
    /// #   let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    /// #   let listener = TcpListener::bind("127.0.0.1:0")?;
    /// #   let addr = listener.local_addr()?;
    /// #   let server = green::spawn(move || async move {
    /// #       acceptor.accept(listener.accept().await?.0).await.map(drop)
    /// #   });
    ///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///     let tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    ///     assert_eq!(tls.alpn_protocol(), None); // none offered
    /// #   server.join().unwrap()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.inner.get_ref().1.alpn_protocol()
    }

    /// On the server side, the host name the client asked for (SNI);
    /// `None` on the client side or when the client sent none (it connected
    /// by IP address).
    ///
    /// ```
    /// # use green::compat::net::{TcpListener, TcpStream};
    /// # use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// #   let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
    /// #   let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    /// #   let listener = TcpListener::bind("127.0.0.1:0")?;
    /// #   let addr = listener.local_addr()?;
    /// #   let client = green::spawn(move || async move {
    /// #       let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    /// #       connector.connect("localhost", TcpStream::connect(addr).await?).await.map(drop)
    /// #   });
    ///     let tls = acceptor.accept(listener.accept()?.0)?;
    ///     assert_eq!(tls.server_name(), Some("localhost"));
    /// #   client.join().unwrap()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn server_name(&self) -> Option<&str> {
        match &self.inner {
            tokio_rustls::TlsStream::Client(_) => None,
            tokio_rustls::TlsStream::Server(stream) => stream.get_ref().1.server_name(),
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream<S> {
    /// Sends what is buffered and the TLS `close_notify` alert, then shuts
    /// the write half of the stream: the peer reads the end of the data.
    /// Green. Reading goes on working until the peer closes too.
    ///
    /// ```
    /// # use green::compat::io::Read;
    /// # use green::compat::net::{TcpListener, TcpStream};
    /// # use green::compat::tls::{TlsAcceptor, TlsConnector};
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// #   let (cert_pem, key_pem) = (made.cert.pem(), made.signing_key.serialize_pem());
    /// #   let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    /// #   let listener = TcpListener::bind("127.0.0.1:0")?;
    /// #   let addr = listener.local_addr()?;
    /// #   let server = green::spawn(move || async move {
    /// #       let mut tls = acceptor.accept(listener.accept().await?.0).await?;
    /// #       let mut rest = Vec::new();
    /// #       tls.read_to_end(&mut rest).await
    /// #   });
    ///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///     let mut tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    ///     tls.shutdown()?; // the server's read_to_end ends cleanly
    ///     assert_eq!(server.join().unwrap()?, 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn shutdown(&mut self) -> Green<impl Future<Output = io::Result<()>> + '_> {
        Green::new(AsyncWriteExt::shutdown(&mut self.inner))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Read for TlsStream<S> {
    #[inline]
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        tokio_bridge::poll_read(&mut self.inner, cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> BufRead for TlsStream<S> {
    #[inline]
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        Pin::new(&mut self.inner).poll_fill_buf(cx)
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        Pin::new(&mut self.inner).consume(amt);
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Write for TlsStream<S> {
    #[inline]
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    #[inline]
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for TlsStream<S> {
    #[inline]
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncBufRead for TlsStream<S> {
    #[inline]
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        Pin::new(&mut self.get_mut().inner).poll_fill_buf(cx)
    }

    #[inline]
    fn consume(self: Pin<&mut Self>, amt: usize) {
        Pin::new(&mut self.get_mut().inner).consume(amt)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for TlsStream<S> {
    #[inline]
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    #[inline]
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    #[inline]
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

impl<S> fmt::Debug for TlsStream<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match &self.inner {
            tokio_rustls::TlsStream::Client(_) => "client",
            tokio_rustls::TlsStream::Server(_) => "server",
        };
        let state = self.inner.get_ref().1;
        f.debug_struct("TlsStream")
            .field("side", &side)
            .field("protocol_version", &state.protocol_version())
            .field(
                "cipher_suite",
                &state.negotiated_cipher_suite().map(|s| s.suite()),
            )
            .finish_non_exhaustive()
    }
}
