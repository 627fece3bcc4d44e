//! What a stream server does with a connection before its handler gets it:
//! nothing ([`Plain`]) or a TLS handshake ([`TlsAcceptor`]).

use core::future::Future;
use std::io;

use green_compat::net::TcpStream;
#[cfg(feature = "tls")]
use green_compat::tls::{TlsAcceptor, TlsStream};

/// Turns an accepted [`TcpStream`] into the stream a
/// [`StreamServer`](crate::StreamServer)'s handler gets. It runs in the
/// connection's own green task, so a slow handshake holds up no one else;
/// a failed one is reported with the peer's address and the handler is not
/// called.
///
/// Implemented by [`Plain`] (the handler gets the `TcpStream`) and by
/// [`TlsAcceptor`] (the handler gets a [`TlsStream<TcpStream>`]); implement
/// it to run another handshake (a PROXY protocol header, say).
///
/// ```
/// use std::io;
/// use std::future::Future;
/// use green::compat::io::Write;
/// use green::compat::net::TcpStream;
/// use green::server::Handshake;
///
/// /// Greets each client before its handler runs.
/// struct Greet;
///
/// impl Handshake for Greet {
///     type Stream = TcpStream;
///
///     fn handshake(&self, mut stream: TcpStream) -> impl Future<Output = io::Result<TcpStream>> + 'static {
///         async move {
///             stream.write_all(b"hello\n").await?;
///             Ok(stream)
///         }
///     }
/// }
/// # let _ = Greet;
/// ```
pub trait Handshake: 'static {
    /// The stream the handler gets.
    type Stream: 'static;

    /// Runs the handshake on a freshly accepted connection.
    fn handshake(
        &self,
        stream: TcpStream,
    ) -> impl Future<Output = io::Result<Self::Stream>> + 'static;
}

/// No handshake: the handler gets the accepted [`TcpStream`] as it is. The
/// default of [`StreamServer`](crate::StreamServer).
///
/// ```
/// use green::server::{Plain, StreamServer};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server: StreamServer<Plain> = StreamServer::bind("127.0.0.1:0")?;
///     # let _ = server;
///     Ok(())
/// }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Plain;

impl Handshake for Plain {
    type Stream = TcpStream;

    fn handshake(
        &self,
        stream: TcpStream,
    ) -> impl Future<Output = io::Result<TcpStream>> + 'static {
        core::future::ready(Ok(stream))
    }
}

#[cfg(feature = "tls")]
impl Handshake for TlsAcceptor {
    type Stream = TlsStream<TcpStream>;

    fn handshake(
        &self,
        stream: TcpStream,
    ) -> impl Future<Output = io::Result<TlsStream<TcpStream>>> + 'static {
        core::future::IntoFuture::into_future(self.accept(stream))
    }
}
