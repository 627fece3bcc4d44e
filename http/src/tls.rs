//! HTTPS: the acceptor given to [`Server::tls`](crate::Server::tls), made to
//! offer HTTP/2 and HTTP/1.1 by ALPN.

use std::sync::Arc;

use green_compat::tls::TlsAcceptor;

/// The ALPN protocols a server offers when its acceptor names none: HTTP/2
/// first, so that clients able to speak it do.
pub(crate) const ALPN: [&[u8]; 2] = [b"h2", b"http/1.1"];

/// `acceptor`, offering [`ALPN`] unless its configuration already lists
/// protocols (kept as they are: an `http/1.1`-only list turns HTTP/2 off).
pub(crate) fn with_alpn(acceptor: TlsAcceptor) -> TlsAcceptor {
    if !acceptor.config().alpn_protocols.is_empty() {
        return acceptor;
    }
    let mut config = (**acceptor.config()).clone();
    config.alpn_protocols = ALPN.iter().map(|p| p.to_vec()).collect();
    TlsAcceptor::from_config(Arc::new(config))
}
