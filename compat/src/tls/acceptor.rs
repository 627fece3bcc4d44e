//! `TlsAcceptor`: the server side of TLS.

use core::fmt;
use core::future::Future;
use std::io;
use std::sync::Arc;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite};

use super::{TlsStream, invalid_data, pem, provider};

/// The server side of TLS: wraps an accepted stream in a [`TlsStream`]
/// after a handshake that presents the server's certificate. No std
/// counterpart (gevent's `ssl.wrap_socket(sock, server_side=True)`,
/// eventlet's `wrap_ssl(sock, server_side=True)`).
///
/// Cloning is cheap (the configuration is shared): each connection's task
/// takes a clone.
///
/// ```
/// use green::compat::tls::TlsAcceptor;
///
/// let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
/// let acceptor = TlsAcceptor::from_pem(
///     made.cert.pem().as_bytes(),
///     made.signing_key.serialize_pem().as_bytes(),
/// )
/// .unwrap();
/// let _for_a_connection = acceptor.clone();
/// ```
#[derive(Clone)]
pub struct TlsAcceptor {
    inner: tokio_rustls::TlsAcceptor,
}

impl TlsAcceptor {
    /// An acceptor presenting the certificate chain of the PEM text
    /// `cert_chain` (the server's certificate first, then its
    /// intermediates) with the private key of the PEM text `private_key`
    /// (PKCS#8, PKCS#1 or SEC1). Client certificates are not asked for.
    ///
    /// Texts that do not parse, or a key that does not match the
    /// certificate, give
    /// [`ErrorKind::InvalidData`](std::io::ErrorKind::InvalidData).
    ///
    /// ```
    /// use green::compat::tls::TlsAcceptor;
    ///
    /// let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// let cert_pem = made.cert.pem();
    /// let key_pem = made.signing_key.serialize_pem();
    /// assert!(TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes()).is_ok());
    ///
    /// let error = TlsAcceptor::from_pem(cert_pem.as_bytes(), b"-----BEGIN PRIVATE KEY-----\n!!\n")
    ///     .unwrap_err();
    /// assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    /// ```
    pub fn from_pem(cert_chain: &[u8], private_key: &[u8]) -> io::Result<TlsAcceptor> {
        let certificates = pem::certificates(cert_chain)?;
        let key = pem::private_key(private_key)?;
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(invalid_data)?
            .with_no_client_auth()
            .with_single_cert(certificates, key)
            .map_err(invalid_data)?;
        Ok(Self::from_config(Arc::new(config)))
    }

    /// An acceptor with a rustls configuration of the caller's (client
    /// authentication, ALPN, several certificates by SNI).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use green::compat::tls::{TlsAcceptor, rustls};
    /// use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    ///
    /// let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// let chain = vec![CertificateDer::from(made.cert.der().to_vec())];
    /// let key = PrivateKeyDer::from(PrivatePkcs8KeyDer::from(made.signing_key.serialize_der()));
    /// let provider = Arc::new(rustls::crypto::ring::default_provider());
    /// let mut config = rustls::ServerConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()
    ///     .unwrap()
    ///     .with_no_client_auth()
    ///     .with_single_cert(chain, key)
    ///     .unwrap();
    /// config.alpn_protocols = vec![b"http/1.1".to_vec()];
    /// let acceptor = TlsAcceptor::from_config(Arc::new(config));
    /// # drop(acceptor);
    /// ```
    pub fn from_config(config: Arc<rustls::ServerConfig>) -> TlsAcceptor {
        TlsAcceptor {
            inner: tokio_rustls::TlsAcceptor::from(config),
        }
    }

    /// The rustls configuration this acceptor hands each handshake (to read
    /// its ALPN protocols, or to clone and change it for
    /// [`from_config`](Self::from_config)).
    ///
    /// ```
    /// use green::compat::tls::TlsAcceptor;
    ///
    /// let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// let acceptor = TlsAcceptor::from_pem(
    ///     made.cert.pem().as_bytes(),
    ///     made.signing_key.serialize_pem().as_bytes(),
    /// )
    /// .unwrap();
    /// assert!(acceptor.config().alpn_protocols.is_empty());
    /// ```
    pub fn config(&self) -> &Arc<rustls::ServerConfig> {
        self.inner.config()
    }

    /// Runs the server handshake over `stream` and gives the encrypted
    /// stream. Green. A client that fails the handshake (it does not trust
    /// the certificate, it does not speak TLS) gives an error; wrap the call
    /// in `green::timeout` so that a silent client cannot hold its task for
    /// ever.
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
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
    ///     let client = green::spawn(move || async move {
    ///         let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    ///         let mut tls = connector.connect("localhost", TcpStream::connect(addr).await?).await?;
    ///         tls.write_all(b"ping").await?;
    ///         tls.shutdown().await
    ///     });
    ///
    ///     let (tcp, _) = listener.accept()?;
    ///     let mut tls = acceptor.accept(tcp)?;
    ///     assert_eq!(tls.server_name(), Some("localhost"));
    ///     let mut request = String::new();
    ///     tls.read_to_string(&mut request)?;
    ///     assert_eq!(request, "ping");
    ///     client.join().unwrap()
    /// }
    /// ```
    pub fn accept<S>(
        &self,
        stream: S,
    ) -> Green<impl Future<Output = io::Result<TlsStream<S>>> + use<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        let acceptor = self.inner.clone();
        Green::new(async move {
            let stream = acceptor.accept(stream).await?;
            Ok(TlsStream::new(stream.into()))
        })
    }
}

impl fmt::Debug for TlsAcceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = self.inner.config();
        f.debug_struct("TlsAcceptor")
            .field("alpn_protocols", &config.alpn_protocols)
            .finish_non_exhaustive()
    }
}
