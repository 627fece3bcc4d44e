//! PEM parsing into rustls' types, with `io::Error`s of kind `InvalidData`.

use std::io;

use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

fn pem_error(what: &str, error: pem::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("invalid PEM {what}: {error}"),
    )
}

/// Every certificate of a PEM text (other sections are skipped); at least
/// one.
pub(super) fn certificates(text: &[u8]) -> io::Result<Vec<CertificateDer<'static>>> {
    let certificates = CertificateDer::pem_slice_iter(text)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| pem_error("certificate", error))?;
    if certificates.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "invalid PEM certificate: no CERTIFICATE section found",
        ));
    }
    Ok(certificates)
}

/// The first private key (PKCS#8, PKCS#1 or SEC1) of a PEM text.
pub(super) fn private_key(text: &[u8]) -> io::Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::from_pem_slice(text).map_err(|error| pem_error("private key", error))
}
