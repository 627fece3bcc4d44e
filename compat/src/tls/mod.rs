//! TLS for green streams, on [rustls]: gevent's `ssl.wrap_socket` and
//! eventlet's `wrap_ssl`. **No std counterpart**: std has no TLS; this module
//! is what a ported program uses where it would have used a TLS crate's
//! blocking stream.
//!
//! - [`TlsConnector`] (client side) trusts the Mozilla root certificates
//!   shipped in the `webpki-roots` crate ([`TlsConnector::new`]), or only the
//!   roots given as PEM ([`TlsConnector::from_root_pem`]), or any rustls
//!   [`ClientConfig`](rustls::ClientConfig);
//! - [`TlsAcceptor`] (server side) is made from a PEM certificate chain and
//!   PEM private key ([`TlsAcceptor::from_pem`]) or any rustls
//!   [`ServerConfig`](rustls::ServerConfig);
//! - their green `connect` and `accept` wrap an established stream (a
//!   [`TcpStream`](crate::net::TcpStream), a
//!   [`UnixStream`](crate::os::unix::net::UnixStream), any tokio
//!   `AsyncRead + AsyncWrite` type) and run the handshake, giving a
//!   [`TlsStream`] that implements [`Read`](crate::io::Read),
//!   [`Write`](crate::io::Write) and [`BufRead`](crate::io::BufRead).
//!
//! Errors are [`std::io::Error`]s, never panics: a PEM text that does not
//! parse gives [`ErrorKind::InvalidData`](std::io::ErrorKind::InvalidData),
//! a server name that is not a DNS name or IP address gives
//! [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput), a failed
//! handshake (an untrusted certificate, a wrong name) gives
//! [`ErrorKind::InvalidData`](std::io::ErrorKind::InvalidData) holding the
//! rustls error. Cryptography is rustls' `ring` provider, chosen explicitly,
//! so another crate's choice of provider does not matter.
//!
//! The rustls crate is re-exported as [`rustls`] for custom configurations
//! (client certificates, ALPN, protocol versions).
//!
//! ```
//! use green::compat::io::{Read, Write};
//! use green::compat::net::{TcpListener, TcpStream};
//! use green::compat::tls::{TlsAcceptor, TlsConnector};
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     // A certificate for "localhost", made on the spot (rcgen).
//!     let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
//!     let cert_pem = generated.cert.pem();
//!     let key_pem = generated.signing_key.serialize_pem();
//!
//!     let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let addr = listener.local_addr()?;
//!     let server = green::spawn(move || async move {
//!         let (tcp, _) = listener.accept().await?;
//!         let mut tls = acceptor.accept(tcp).await?;
//!         let mut buf = [0u8; 5];
//!         tls.read_exact(&mut buf).await?;
//!         tls.write_all(&buf).await?;
//!         tls.shutdown().await
//!     });
//!
//!     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
//!     let mut tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
//!     tls.write_all(b"hello")?;
//!     let mut reply = Vec::new();
//!     tls.read_to_end(&mut reply)?;
//!     assert_eq!(reply, b"hello");
//!     server.join().unwrap()
//! }
//! ```

mod acceptor;
mod connector;
mod pem;
mod stream;

pub use rustls;

pub use self::acceptor::TlsAcceptor;
pub use self::connector::TlsConnector;
pub use self::stream::TlsStream;

use std::sync::Arc;

/// The cryptography of every configuration made here: rustls' `ring`.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A rustls configuration error as an `io::Error` of kind `InvalidData`.
fn invalid_data(error: rustls::Error) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, error)
}
