//! green::http over TLS: ALPN offers h2 and http/1.1, HTTP/2 for clients
//! that pick it (curl `--http2`, hyper's client), HTTP/1.1 for the others,
//! with a self-signed certificate (rcgen) on 127.0.0.1.

mod http_support;

use std::sync::Arc;
use std::time::Duration;

use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;
use green::compat::tls::{TlsAcceptor, TlsConnector, rustls};
use green::http::Server;
use http_support::{app, curl, h2_client, pattern, send};

struct Cert {
    cert_pem: String,
    key_pem: String,
    der: Vec<u8>,
}

fn cert() -> Cert {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    Cert {
        cert_pem: made.cert.pem(),
        key_pem: made.signing_key.serialize_pem(),
        der: made.cert.der().to_vec(),
    }
}

fn acceptor(cert: &Cert) -> TlsAcceptor {
    TlsAcceptor::from_pem(cert.cert_pem.as_bytes(), cert.key_pem.as_bytes()).unwrap()
}

/// A client trusting `cert` and offering `alpn`.
fn connector(cert: &Cert, alpn: &[&[u8]]) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(cert.der.clone()))
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    TlsConnector::from_config(Arc::new(config))
}

#[green::test]
fn curl_picks_h2_or_http1_by_alpn() {
    let cert = cert();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .tls(acceptor(&cert))
        .start(app)
        .unwrap();
    let base = format!("https://{}", server.local_addr());
    let version = format!("{base}/version");
    let Some(out) = curl(&["--http2", "-k", "-w", " %{http_version}", &version]) else {
        return;
    };
    assert_eq!(out.stdout, b"HTTP/2.0 2");
    let out = curl(&["--http1.1", "-k", "-w", " %{http_version}", &version]).unwrap();
    assert_eq!(out.stdout, b"HTTP/1.1 1.1");

    let body = pattern(500_000);
    let file = std::env::temp_dir().join(format!("green-tls-{}", std::process::id()));
    green::compat::fs::write(&file, &body).unwrap();
    let upload = format!("@{}", file.display());
    let echo = format!("{base}/echo");
    for protocol in ["--http2", "--http1.1"] {
        let out = curl(&[protocol, "-k", "--data-binary", &upload, &echo]).unwrap();
        assert!(out.stdout == body, "the {protocol} echo differs");
    }
    let _ = green::compat::fs::remove_file(&file);
    let out = curl(&["--http2", "-k", &format!("{base}/stream")]).unwrap();
    assert_eq!(out.stdout, b"part 0\npart 1\npart 2\n");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn a_rust_client_speaks_h2_over_tls() {
    let cert = cert();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .tls(acceptor(&cert))
        .start(app)
        .unwrap();
    let tcp = TcpStream::connect(server.local_addr()).unwrap();
    let tls = connector(&cert, &[b"h2", b"http/1.1"])
        .connect("localhost", tcp)
        .unwrap();
    assert_eq!(tls.alpn_protocol(), Some(&b"h2"[..]));
    let sender = h2_client(tls);
    let got = send(sender.clone(), "GET", "/version", Vec::new());
    assert_eq!((got.status, got.version), (200, hyper::Version::HTTP_2));
    assert_eq!(got.body, b"HTTP/2.0");
    let body = pattern(1 << 20);
    let echoed = send(sender, "POST", "/echo", body.clone());
    assert!(echoed.body == body, "the echo differs");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn clients_without_h2_get_http1() {
    let cert = cert();
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .tls(acceptor(&cert))
        .start(app)
        .unwrap();
    // No ALPN at all.
    let tcp = TcpStream::connect(server.local_addr()).unwrap();
    let no_alpn = TlsConnector::from_root_pem(cert.cert_pem.as_bytes()).unwrap();
    let mut tls = no_alpn.connect("localhost", tcp).unwrap();
    assert_eq!(tls.alpn_protocol(), None);
    tls.write_all(b"GET /version HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    tls.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\nHTTP/1.1"), "{answer}");
    // Plain HTTP on the TLS port fails its handshake; the server goes on.
    let mut plain = TcpStream::connect(server.local_addr()).unwrap();
    plain
        .write_all(b"GET / HTTP/1.1\r\nhost: t\r\n\r\n")
        .unwrap();
    let mut rest = Vec::new();
    let _ = plain.read_to_end(&mut rest);
    assert!(!rest.starts_with(b"HTTP/"), "answered in plaintext");
    let tcp = TcpStream::connect(server.local_addr()).unwrap();
    let tls = connector(&cert, &[b"h2"])
        .connect("localhost", tcp)
        .unwrap();
    assert_eq!(send(h2_client(tls), "GET", "/", Vec::new()).body, b"hello");
    server.stop(Duration::from_secs(1));
}

#[green::test]
fn an_acceptor_naming_its_own_alpn_keeps_it() {
    let cert = cert();
    let made = acceptor(&cert);
    let mut config = (**made.config()).clone();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let http1_only = TlsAcceptor::from_config(Arc::new(config));
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .tls(http1_only)
        .start(app)
        .unwrap();
    let tcp = TcpStream::connect(server.local_addr()).unwrap();
    let mut tls = connector(&cert, &[b"h2", b"http/1.1"])
        .connect("localhost", tcp)
        .unwrap();
    assert_eq!(tls.alpn_protocol(), Some(&b"http/1.1"[..]));
    tls.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    tls.read_to_string(&mut answer).unwrap();
    assert!(answer.ends_with("\r\n\r\nhello"), "{answer}");
    server.stop(Duration::from_secs(1));
}
