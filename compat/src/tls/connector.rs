//! `TlsConnector`: the client side of TLS.

use core::fmt;
use core::future::Future;
use std::io;
use std::sync::Arc;

use green_runtime::Green;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};

use super::{TlsStream, invalid_data, pem, provider};

/// The client side of TLS: wraps a connected stream in a [`TlsStream`]
/// after a handshake that checks the server's certificate. No std
/// counterpart (gevent's `ssl.wrap_socket(sock)`, eventlet's `wrap_ssl`).
///
/// Cloning is cheap (the configuration is shared), so one connector serves
/// every task of a program.
///
/// ```
/// use green::compat::tls::TlsConnector;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     // Trusts the Mozilla roots, as a browser would.
///     let connector = TlsConnector::new()?;
///     // The real use is `connector.connect("example.com", tcp_stream)?`.
///     let _for_another_task = connector.clone();
///     Ok(())
/// }
/// ```
#[derive(Clone)]
pub struct TlsConnector {
    inner: tokio_rustls::TlsConnector,
}

impl TlsConnector {
    /// A connector that trusts the Mozilla root certificates (the
    /// `webpki-roots` crate, compiled in: the same on every machine,
    /// whatever the system's store holds).
    ///
    /// ```
    /// use green::compat::tls::TlsConnector;
    ///
    /// let connector = TlsConnector::new().unwrap();
    /// assert!(format!("{connector:?}").starts_with("TlsConnector"));
    /// ```
    pub fn new() -> io::Result<TlsConnector> {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Self::from_roots(roots)
    }

    /// A connector that trusts only the certificates of the PEM text `pem`
    /// (one or more `CERTIFICATE` sections): a private certificate
    /// authority, or a self-signed server certificate. A text without a
    /// valid certificate gives
    /// [`ErrorKind::InvalidData`](std::io::ErrorKind::InvalidData).
    ///
    /// ```
    /// use green::compat::tls::TlsConnector;
    ///
    /// let ca = rcgen::generate_simple_self_signed(vec!["my-ca".to_string()]).unwrap();
    /// let connector = TlsConnector::from_root_pem(ca.cert.pem().as_bytes());
    /// assert!(connector.is_ok());
    ///
    /// let error = TlsConnector::from_root_pem(b"not a certificate").unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    /// ```
    pub fn from_root_pem(pem: &[u8]) -> io::Result<TlsConnector> {
        let mut roots = rustls::RootCertStore::empty();
        for certificate in pem::certificates(pem)? {
            roots.add(certificate).map_err(invalid_data)?;
        }
        Self::from_roots(roots)
    }

    /// A connector with a rustls configuration of the caller's (client
    /// certificates, ALPN protocols, other roots or providers).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use green::compat::tls::{TlsConnector, rustls};
    ///
    /// let roots = rustls::RootCertStore::empty();
    /// let provider = Arc::new(rustls::crypto::ring::default_provider());
    /// let mut config = rustls::ClientConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()
    ///     .unwrap()
    ///     .with_root_certificates(roots)
    ///     .with_no_client_auth();
    /// config.alpn_protocols = vec![b"h2".to_vec()];
    /// let connector = TlsConnector::from_config(Arc::new(config));
    /// # drop(connector);
    /// ```
    pub fn from_config(config: Arc<rustls::ClientConfig>) -> TlsConnector {
        TlsConnector {
            inner: tokio_rustls::TlsConnector::from(config),
        }
    }

    fn from_roots(roots: rustls::RootCertStore) -> io::Result<TlsConnector> {
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(invalid_data)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Self::from_config(Arc::new(config)))
    }

    /// Runs the client handshake over `stream` with the server named
    /// `server_name` (a DNS name, checked against the certificate and sent
    /// as SNI, or an IP address) and gives the encrypted stream. Green.
    ///
    /// A name that is neither gives
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput); a
    /// failed handshake (an untrusted or expired certificate, another
    /// name) gives an error, of kind
    /// [`ErrorKind::InvalidData`](std::io::ErrorKind::InvalidData) when
    /// rustls rejects the peer. Wrap it in `green::timeout` to bound it.
    ///
    /// ```
    /// use green::compat::io::{BufRead, Write};
    /// use green::compat::net::{TcpListener, TcpStream};
    /// use green::compat::tls::{TlsAcceptor, TlsConnector};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    ///     let (cert_pem, key_pem) = (key.cert.pem(), key.signing_key.serialize_pem());
    ///     let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let server = green::spawn(move || async move {
    ///         let mut tls = acceptor.accept(listener.accept().await?.0).await?;
    ///         tls.write_all(b"welcome\n").await
    ///     });
    ///
    ///     let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///     let mut tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    ///     let mut line = String::new();
    ///     tls.read_line(&mut line)?;
    ///     assert_eq!(line, "welcome\n");
    ///     server.join().unwrap()?;
    ///
    ///     // Any stream will do, a Unix socket too; a bad name fails first.
    ///     let (stream, _) = green::compat::os::unix::net::UnixStream::pair()?;
    ///     let bad = connector.connect("not a name!", stream);
    ///     assert_eq!(bad.unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
    ///     Ok(())
    /// }
    /// ```
    pub fn connect<S>(
        &self,
        server_name: &str,
        stream: S,
    ) -> Green<impl Future<Output = io::Result<TlsStream<S>>> + use<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let connector = self.inner.clone();
        let server_name = ServerName::try_from(server_name.to_owned()).map_err(|error| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid TLS server name {server_name:?}: {error}"),
            )
        });
        Green::new(async move {
            let stream = connector.connect(server_name?, stream).await?;
            Ok(TlsStream::new(stream.into()))
        })
    }
}

impl fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = self.inner.config();
        f.debug_struct("TlsConnector")
            .field("roots", &"..")
            .field("alpn_protocols", &config.alpn_protocols)
            .finish_non_exhaustive()
    }
}
