//! gevent's `examples/wsgiserver_ssl.py` in green: the same page over
//! HTTPS. Where gevent reads `server.key` and `server.crt`, this makes a
//! self-signed certificate for "localhost" at start (rcgen). HTTP/2 or
//! HTTP/1.1, as the client chooses by ALPN.
//!
//! Listens on 127.0.0.1, port 8443 unless `PORT` says otherwise (`PORT=0`
//! for a free one), and prints `listening on https://ADDR`.
//!
//! ```text
//! cargo run --example wsgiserver_ssl
//! curl -k https://127.0.0.1:8443/             # -k: the certificate is self-signed
//! ```

use green::compat::tls::TlsAcceptor;
use green::http::{Body, Request, Response, Server, StatusCode, header};

/// The application: gevent's `hello_world(env, start_response)`.
#[green::green]
pub(crate) fn hello_world(req: Request) -> Response {
    let (status, page) = match req.uri().path() {
        "/" => (StatusCode::OK, "<b>hello world</b>"),
        _ => (StatusCode::NOT_FOUND, "<h1>Not Found</h1>"),
    };
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    let html = header::HeaderValue::from_static("text/html");
    response.headers_mut().insert(header::CONTENT_TYPE, html);
    response
}

/// A certificate for "localhost" and its private key, as PEM text.
pub(crate) fn self_signed() -> std::io::Result<(String, String)> {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .map_err(std::io::Error::other)?;
    Ok((made.cert.pem(), made.signing_key.serialize_pem()))
}

/// The HTTPS server on 127.0.0.1:`port` with that certificate (gevent's
/// `WSGIServer(.., keyfile=.., certfile=..)`). Green.
#[green::green]
pub(crate) fn bind(port: u16, cert_pem: &str, key_pem: &str) -> std::io::Result<Server> {
    let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    Ok(Server::bind(("127.0.0.1", port))?.tls(acceptor))
}

/// The port from `PORT`, else gevent's 8443.
pub(crate) fn port() -> u16 {
    std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(8443)
}

#[green::main]
fn main() -> std::io::Result<()> {
    let (cert_pem, key_pem) = self_signed()?;
    let server = bind(port(), &cert_pem, &key_pem)?;
    println!("listening on https://{}", server.local_addr()?);
    // As gevent's: `start` would serve in the background; with nothing
    // else to do, serve here.
    server.serve(hello_world)
}
