//! Switching protocols: a handler answers `101 Switching Protocols` (or a
//! 2xx to `CONNECT`) with a [`Body::upgrade`](crate::Body::upgrade), and once
//! hyper has written that answer the connection's task hands the socket to
//! the body's continuation as an [`Upgraded`] stream.
//!
//! Why not `hyper::upgrade::on`: hyper hands an upgraded connection over
//! only when it may send it to another thread (its `with_upgrades` wants
//! `Send` I/O), while green's connection state is the hub's own (`Rc`, no
//! locks). An HTTP/1 connection whose last answer switched protocols ends
//! without shutting its socket down; `Connection::into_parts` then gives the
//! socket and the bytes read past the request, and the continuation runs in
//! the same green task, so the server's connection count and `stop` see it
//! as the connection it still is. Keep-alive requests pay nothing for it.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::cell::Cell;
use std::io;
use std::net::SocketAddr;

use bytes::{Bytes, BytesMut};
use http::uri::PathAndQuery;
use http::{Method, StatusCode};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};

use crate::Response;
use crate::handler;
use crate::preface::Prefixed;

/// The continuation's work on the connection: a green task's body.
type Work = Pin<Box<dyn Future<Output = ()>>>;

/// What runs on the connection once the switch is written.
pub(crate) struct OnUpgrade(Box<dyn FnOnce(Upgraded) -> Work>);

impl OnUpgrade {
    pub(crate) fn new<F, G>(continuation: F) -> OnUpgrade
    where
        F: FnOnce(Upgraded) -> G + 'static,
        G: IntoFuture<Output = ()> + 'static,
    {
        OnUpgrade(Box::new(move |upgraded| {
            Box::pin(continuation(upgraded).into_future())
        }))
    }

    /// Runs the continuation on `upgraded`.
    async fn run(self, upgraded: Upgraded) {
        (self.0)(upgraded).await;
    }
}

/// An answer that switches protocols, kept by its connection until hyper
/// is done with the socket.
pub(crate) struct Switch {
    on_upgrade: OnUpgrade,
    /// The answer's head as hyper writes it (without hyper's `date`), for
    /// the case where hyper leaves it unwritten: see [`hand_over`].
    head: Bytes,
}

/// Where a connection keeps the answer that switched protocols.
pub(crate) type Slot = Cell<Option<Switch>>;

/// Runs the continuation of `switch` on `stream`, whose client sent
/// `read_ahead` after its request (hyper read those bytes already).
/// `head_written` says whether any byte of the answer reached the socket:
/// hyper drops its write buffer when the connection is taken apart, so an
/// answer it still held (hyper holds back writes while its read buffer has
/// bytes when batching answers to pipelined requests, `pipeline_flush`,
/// which green's server leaves off) is written here. (An answer to a
/// request pipelined *before* the switch, in the same burst, would be lost
/// with it: a client that pipelines into a protocol switch gets what it
/// asked for.)
pub(crate) async fn hand_over<S>(
    switch: Switch,
    mut stream: S,
    read_ahead: Bytes,
    peer: SocketAddr,
    head_written: bool,
) where
    S: AsyncRead + AsyncWrite + Unpin + 'static,
{
    if !head_written && stream.write_all(&switch.head).await.is_err() {
        return;
    }
    switch
        .on_upgrade
        .run(Upgraded::new(stream, read_ahead, peer))
        .await;
}

/// `response`'s status line and headers, as HTTP/1.1 writes them.
fn head(response: &Response) -> Bytes {
    let status = response.status();
    let reason = status.canonical_reason().unwrap_or("");
    let mut head = BytesMut::new();
    head.extend_from_slice(format!("HTTP/1.1 {} {reason}\r\n", status.as_str()).as_bytes());
    for (name, value) in response.headers() {
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head.freeze()
}

/// Takes the continuation out of `response`'s body into `slot`, if the
/// switch can happen: HTTP/1.1 (`slot` is `None` on HTTP/2), a request that
/// asked for it (an `Upgrade` header, or `CONNECT`), and an answer that
/// agrees (101, or 2xx to `CONNECT`). Otherwise the continuation is dropped
/// and the answer becomes a 500, reported on stderr: a 101 that cannot be
/// honoured must not reach the client.
#[inline]
pub(crate) fn take(
    response: &mut Response,
    slot: Option<&Slot>,
    wanted: bool,
    method: &Method,
    path: Option<&PathAndQuery>,
) {
    if let Some(on_upgrade) = response.body_mut().take_upgrade() {
        let path = path.map_or("/", |p| p.path());
        switch(response, on_upgrade, slot, wanted, method, path);
    }
}

/// [`take`] for an answer that switches protocols: out of line, so that
/// every other answer pays a check only.
#[inline(never)]
fn switch(
    response: &mut Response,
    on_upgrade: OnUpgrade,
    slot: Option<&Slot>,
    wanted: bool,
    method: &Method,
    path: &str,
) {
    let agrees = response.status() == StatusCode::SWITCHING_PROTOCOLS
        || (method == Method::CONNECT && response.status().is_success());
    let why = match slot {
        Some(slot) if wanted && agrees => {
            let head = head(response);
            slot.set(Some(Switch { on_upgrade, head }));
            return;
        }
        None => "HTTP/2 cannot switch protocols",
        Some(_) if !wanted => "the request asked for no upgrade",
        Some(_) => "an upgrade body needs a 101 answer (or a 2xx to CONNECT)",
    };
    eprintln!("green::http: {method} {path}: {why} (answered 500)");
    // HTTP/2 has no `connection: close`.
    *response = handler::status(StatusCode::INTERNAL_SERVER_ERROR, slot.is_some());
}

/// The stream under [`Upgraded`]: the connection's socket, TCP or TLS.
trait Stream: AsyncRead + AsyncWrite + Unpin {}

impl<S: AsyncRead + AsyncWrite + Unpin> Stream for S {}

/// A connection handed over after its HTTP answer switched protocols: what
/// the continuation of a [`Body::upgrade`](crate::Body::upgrade) gets. Reads
/// give first the bytes the client sent right after its request (already
/// read by the server), then the socket's; writes go to the socket (through
/// TLS on an HTTPS server). tokio's `AsyncRead`/`AsyncWrite` and compat's
/// `Read`/`Write`.
///
/// It is the connection's own: the server counts it as open until the
/// continuation returns, and [`ServerHandle::stop`](crate::ServerHandle::stop)
/// waits for it, then ends it when the timeout runs out. The request's
/// timeouts no longer apply.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::net::TcpStream;
/// use green::http::{Body, Request, Response, Server, StatusCode, Upgraded, header};
///
/// /// A made-up protocol after the switch: each byte back, plus one.
/// #[green::green]
/// fn bump(mut conn: Upgraded) {
///     let mut byte = [0u8; 1];
///     while conn.read(&mut byte).unwrap_or(0) == 1 {
///         conn.write_all(&[byte[0] + 1]).unwrap();
///     }
/// }
///
/// #[green::green]
/// fn app(_req: Request) -> Response {
///     let mut response = Response::new(Body::upgrade(bump));
///     *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
///     response.headers_mut().insert(header::UPGRADE, "bump".parse().unwrap());
///     response.headers_mut().insert(header::CONNECTION, "upgrade".parse().unwrap());
///     response
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = Server::bind("127.0.0.1:0")?.start(app)?;
///     let mut client = TcpStream::connect(server.local_addr())?;
///     client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: bump\r\n\r\n")?;
///     let mut head = Vec::new();
///     let mut byte = [0u8; 1];
///     while !head.ends_with(b"\r\n\r\n") {
///         client.read_exact(&mut byte)?;
///         head.push(byte[0]);
///     }
///     assert!(head.starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
///     client.write_all(b"HAL")?;
///     let mut answer = [0u8; 3];
///     client.read_exact(&mut answer)?;
///     assert_eq!(&answer, b"IBM");
///     Ok(())
/// }
/// ```
pub struct Upgraded {
    /// The socket, the bytes hyper read past the request first (the h2c
    /// sniffing's `Prefixed`, which does the same for a connection's first
    /// bytes).
    stream: Prefixed<Box<dyn Stream>>,
    peer: SocketAddr,
}

impl Upgraded {
    pub(crate) fn new<S>(stream: S, read_ahead: Bytes, peer: SocketAddr) -> Upgraded
    where
        S: AsyncRead + AsyncWrite + Unpin + 'static,
    {
        Upgraded {
            stream: Prefixed::new(read_ahead, Box::new(stream)),
            peer,
        }
    }

    /// The client's address.
    ///
    /// ```
    /// use green::compat::io::Write;
    /// use green::compat::net::TcpStream;
    /// use green::http::{Body, Request, Response, Server, StatusCode, Upgraded, header};
    /// use green::Queue;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let peers = Queue::new();
    ///     let seen = peers.clone();
    ///     let server = Server::bind("127.0.0.1:0")?.start(move |_req: Request| {
    ///         let seen = seen.clone();
    ///         let body = Body::upgrade(move |conn: Upgraded| async move {
    ///             seen.put(conn.peer_addr()).await.ok();
    ///         });
    ///         let mut response = Response::new(body);
    ///         *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    ///         response.headers_mut().insert(header::UPGRADE, "x".parse().unwrap());
    ///         async move { response }
    ///     })?;
    ///     let mut client = TcpStream::connect(server.local_addr())?;
    ///     client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: x\r\n\r\n")?;
    ///     assert_eq!(peers.get().unwrap(), client.local_addr()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn peer_addr(&self) -> SocketAddr {
        self.peer
    }
}

impl fmt::Debug for Upgraded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upgraded")
            .field("peer", &self.peer)
            .finish_non_exhaustive()
    }
}

impl AsyncRead for Upgraded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Upgraded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// compat's `Read`: `conn.read(&mut buf)`, `read_exact`, `BufReader`, ..
impl green_compat::io::Read for Upgraded {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let mut buf = ReadBuf::new(buf);
        core::task::ready!(AsyncRead::poll_read(Pin::new(self), cx, &mut buf))?;
        Poll::Ready(Ok(buf.filled().len()))
    }
}

/// compat's `Write`: `conn.write_all(..)`, `flush`, `BufWriter`, ..
impl green_compat::io::Write for Upgraded {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        AsyncWrite::poll_write(Pin::new(self), cx, buf)
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        AsyncWrite::poll_flush(Pin::new(self), cx)
    }
}
