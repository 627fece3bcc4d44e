//! The ports of gevent's `examples/wsgiserver.py` and `wsgiserver_ssl.py`
//! (`examples/wsgiserver.rs`, `examples/wsgiserver_ssl.rs`), their code
//! included here and served on 127.0.0.1: the page at `/`, gevent's 404
//! anywhere else, over HTTP/1.1 and HTTP/2.
#![cfg(feature = "http")]

mod http_support;

#[allow(dead_code)]
#[path = "../examples/wsgiserver.rs"]
mod wsgiserver;

#[cfg(feature = "tls")]
#[allow(dead_code)]
#[path = "../examples/wsgiserver_ssl.rs"]
mod wsgiserver_ssl;

use std::time::Duration;

use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;
use green::http::Server;
use http_support::{h2_client, send};

/// Writes an HTTP/1.1 GET of `path` (closing) on `stream`; the whole answer.
#[green::green]
fn get<S: Read + Write>(mut stream: S, path: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// The page and the 404, as gevent's example serves them.
fn assert_pages(root: &str, other: &str) {
    assert!(root.starts_with("HTTP/1.1 200 OK\r\n"), "{root}");
    assert!(root.contains("\r\ncontent-type: text/html\r\n"), "{root}");
    assert!(root.ends_with("\r\n\r\n<b>hello world</b>"), "{root}");
    assert!(other.starts_with("HTTP/1.1 404 Not Found\r\n"), "{other}");
    assert!(other.contains("\r\ncontent-type: text/html\r\n"), "{other}");
    assert!(other.ends_with("\r\n\r\n<h1>Not Found</h1>"), "{other}");
}

#[green::test]
fn wsgiserver_serves_the_page_and_404() {
    if std::env::var_os("PORT").is_none() {
        assert_eq!(wsgiserver::port(), 8088, "gevent's port");
    }
    let server = Server::bind("127.0.0.1:0")
        .unwrap()
        .start(wsgiserver::application)
        .unwrap();
    let addr = server.local_addr();
    let root = get(TcpStream::connect(addr).unwrap(), "/");
    let other = get(TcpStream::connect(addr).unwrap(), "/missing");
    assert_pages(&root, &other);
    let h2 = h2_client(TcpStream::connect(addr).unwrap());
    let got = send(h2.clone(), "GET", "/", Vec::new());
    assert_eq!(
        (got.status, &got.body[..]),
        (200, &b"<b>hello world</b>"[..])
    );
    let got = send(h2, "GET", "/x", Vec::new());
    assert_eq!(
        (got.status, &got.body[..]),
        (404, &b"<h1>Not Found</h1>"[..])
    );
    server.stop(Duration::from_secs(1));
}

#[cfg(feature = "tls")]
#[green::test]
fn wsgiserver_ssl_serves_the_page_and_404_over_tls() {
    use green::compat::tls::TlsConnector;

    if std::env::var_os("PORT").is_none() {
        assert_eq!(wsgiserver_ssl::port(), 8443, "gevent's port");
    }
    let (cert_pem, key_pem) = wsgiserver_ssl::self_signed().unwrap();
    let server = wsgiserver_ssl::bind(0, &cert_pem, &key_pem)
        .unwrap()
        .start(wsgiserver_ssl::hello_world)
        .unwrap();
    let addr = server.local_addr();
    let connector = TlsConnector::from_root_pem(cert_pem.as_bytes()).unwrap();
    let mut answers = Vec::new();
    for path in ["/", "/missing"] {
        let tcp = TcpStream::connect(addr).unwrap();
        answers.push(get(connector.connect("localhost", tcp).unwrap(), path));
    }
    let (root, other) = (&answers[0], &answers[1]);
    assert_pages(root, other);
    server.stop(Duration::from_secs(1));
}
