//! One accepted connection, in its own green task (green-server's
//! StreamServer spawns it): the TLS handshake if the server has one, then
//! HTTP/2 or HTTP/1.1 — by ALPN over TLS, by the connection preface on
//! plaintext (h2c with prior knowledge).

use core::future::IntoFuture;
use std::net::SocketAddr;
use std::rc::Rc;

use green_compat::net::TcpStream;

use crate::handler::HandlerResult;
use crate::preface::{self, Protocol};
use crate::server::Shared;
use crate::{Request, http1, http2};

/// Serves the connection until it closes (or its task is killed).
pub(crate) async fn serve<F, G>(stream: TcpStream, peer: SocketAddr, shared: Rc<Shared<F>>)
where
    F: Fn(Request) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    let _ = stream.set_nodelay(true);
    // hyper reads and writes through tokio's socket itself: compat's layer
    // (std's socket timeouts and non-blocking mode, which a server's
    // connection never has) would cost a check on every read and write,
    // and the timeouts here are the server's own (http1.rs).
    let stream = stream.into_tokio();
    // The TLS and HTTP/2 paths are boxed: this future is inside every
    // connection's task, and unboxed its size would be that of its largest
    // path (a TLS handshake, an HTTP/2 connection) for plaintext HTTP/1.1
    // too; one allocation per connection is nothing beside a handshake.
    #[cfg(feature = "tls")]
    if shared.tls.is_some() {
        return Box::pin(serve_tls(stream, peer, shared)).await;
    }
    let limits = &shared.config.limits;
    let sniffed = preface::sniff(
        stream,
        limits.keep_alive_timeout,
        limits.header_read_timeout,
    );
    let stopping = shared.shutdown.begun();
    if shared.shutdown.is_begun() {
        return;
    }
    let sniffed = tokio::select! {
        sniffed = sniffed => sniffed,
        _ = stopping => None,
    };
    match sniffed {
        Some((Protocol::Http2, stream)) => Box::pin(http2::serve(stream, peer, shared)).await,
        Some((Protocol::Http1, stream)) => http1::serve(stream, peer, shared).await,
        None => {}
    }
}

/// [`serve`] over TLS: the handshake (a client that fails it or stalls in
/// it is dropped unanswered: there is no HTTP to answer it in), then HTTP/2
/// or HTTP/1.1 as ALPN chose.
#[cfg(feature = "tls")]
async fn serve_tls<F, G>(stream: tokio::net::TcpStream, peer: SocketAddr, shared: Rc<Shared<F>>)
where
    F: Fn(Request) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    let Some(acceptor) = &shared.tls else {
        return;
    };
    let handshake = acceptor.accept(stream).into_future();
    let timeout = shared.config.limits.header_read_timeout;
    let Ok(Ok(stream)) = tokio::time::timeout(timeout, handshake).await else {
        return;
    };
    match stream.alpn_protocol() {
        Some(b"h2") => http2::serve(stream, peer, shared).await,
        _ => http1::serve(stream, peer, shared).await,
    }
}
