//! `Body`: a request's body as the handler reads it, a response's body as the
//! handler gives it; `BodyWriter` for a body written by green code.

use core::fmt;
use core::future::{Future, IntoFuture, poll_fn};
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::cell::Cell;
use std::io;
use std::rc::Rc;

use bytes::{Buf, Bytes, BytesMut};
use green_runtime::Green;
use hyper::body::{Frame, Incoming, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;

use crate::upgrade::{OnUpgrade, Upgraded};

/// The body of a [`Request`](crate::Request) or a [`Response`](crate::Response).
///
/// On a request, read it with the green [`text`](Body::text) or
/// [`bytes`](Body::bytes), or as a stream with compat's
/// [`Read`](https://docs.rs/green) (`green::compat::io::Read`). Reading
/// enforces the server's body-size limit: past it, reads fail with
/// [`BodyTooLarge`] and the client gets `413 Payload Too Large` whatever the
/// handler answers. `Expect: 100-continue` is answered when the body is first
/// read.
///
/// On a response, make it from a `&'static str`, `String`, `Vec<u8>` or
/// [`Bytes`](bytes::Bytes) (sent with a `content-length`), [`Body::empty`],
/// or [`Body::channel`] for a body written piece by piece by green code (sent
/// chunked). A request's body given back as the response's is streamed
/// through (an echo).
///
/// ```
/// use green::http::Body;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     assert_eq!(Body::from("hello").text()?, "hello");
///     let bytes = Body::from(vec![1u8, 2, 3]).bytes()?;
///     assert_eq!(bytes.as_ref(), [1, 2, 3]);
///     let empty = Body::empty().bytes()?;
///     assert!(empty.is_empty());
///     Ok(())
/// }
/// ```
pub struct Body {
    kind: Kind,
    unread: Unread,
}

/// What was taken from the body but not given on yet: the rest of a piece
/// a compat `Read` could not return whole, or of one larger than a frame
/// to hyper ([`MAX_FRAME`]).
///
/// Boxed, and the box kept once made: few bodies are read piecemeal or are
/// that large, and every request and response carries this field through
/// the moves of a request (a `Bytes` is 32 bytes, and dropping even an
/// empty one is a call through its vtable).
#[derive(Default)]
struct Unread(Option<Box<Bytes>>);

impl Unread {
    #[inline]
    fn as_slice(&self) -> &[u8] {
        self.0.as_deref().map_or(&[], |bytes| &bytes[..])
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.0.as_deref().is_none_or(Bytes::is_empty)
    }

    fn take(&mut self) -> Bytes {
        self.0
            .as_deref_mut()
            .map(core::mem::take)
            .unwrap_or_default()
    }

    /// Takes at most `max` bytes.
    fn take_at_most(&mut self, max: usize) -> Bytes {
        match self.0.as_deref_mut() {
            Some(unread) if unread.len() > max => unread.split_to(max),
            _ => self.take(),
        }
    }

    fn set(&mut self, bytes: Bytes) {
        match &mut self.0 {
            Some(unread) => **unread = bytes,
            None => self.0 = Some(Box::new(bytes)),
        }
    }

    fn advance(&mut self, n: usize) {
        if let Some(unread) = &mut self.0 {
            unread.advance(n);
        }
    }
}

enum Kind {
    Full(Option<Bytes>),
    Incoming {
        incoming: Incoming,
        limit: u64,
        seen: u64,
        /// The connection's flag: set when this body went past `limit`.
        too_large: Rc<Cell<bool>>,
    },
    Channel(mpsc::Receiver<Bytes>),
    /// No bytes: the connection itself, handed to the continuation once
    /// the answer is written (`None` once the server took it).
    Upgrade(Option<OnUpgrade>),
}

/// The error inside the [`io::Error`] (kind `InvalidData`) that reading a
/// request body past the server's limit gives (see
/// [`Server::max_body_size`](crate::Server::max_body_size)). The client is
/// answered `413 Payload Too Large`.
///
/// ```
/// use green::http::BodyTooLarge;
///
/// let err = std::io::Error::new(std::io::ErrorKind::InvalidData, BodyTooLarge { limit: 10 });
/// let inner = err.get_ref().unwrap().downcast_ref::<BodyTooLarge>().unwrap();
/// assert_eq!(inner.limit, 10);
/// assert_eq!(err.to_string(), "request body larger than 10 bytes");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTooLarge {
    /// The limit, in bytes.
    pub limit: u64,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request body larger than {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

impl Body {
    /// A body of no bytes.
    ///
    /// ```
    /// use green::http::{Body, Response};
    ///
    /// let response = Response::new(Body::empty());
    /// assert!(green::run(response.into_body().bytes()).unwrap().is_empty());
    /// ```
    pub fn empty() -> Body {
        Body::full(Bytes::new())
    }

    fn full(bytes: Bytes) -> Body {
        Body {
            kind: Kind::Full(Some(bytes)),
            unread: Unread::default(),
        }
    }

    /// A request body from hyper, read under `limit`.
    pub(crate) fn incoming(incoming: Incoming, limit: u64, too_large: Rc<Cell<bool>>) -> Body {
        Body {
            kind: Kind::Incoming {
                incoming,
                limit,
                seen: 0,
                too_large,
            },
            unread: Unread::default(),
        }
    }

    /// A streamed body and the writer that feeds it: give the body to the
    /// response and write from a spawned green task. The response ends when
    /// the writer is dropped. Sent chunked; at most `8` pieces are buffered,
    /// then the writer waits for the client to read.
    ///
    /// ```
    /// use green::http::Body;
    ///
    /// #[green::green]
    /// fn produce(mut writer: green::http::BodyWriter) -> std::io::Result<()> {
    ///     for i in 0..3 {
    ///         writer.write_all(format!("line {i}\n").as_bytes())?;
    ///     }
    ///     Ok(())
    /// }
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (writer, body) = Body::channel();
    ///     green::spawn(move || produce(writer));
    ///     assert_eq!(body.text().unwrap(), "line 0\nline 1\nline 2\n");
    /// }
    /// ```
    pub fn channel() -> (BodyWriter, Body) {
        let (tx, rx) = mpsc::channel(8);
        let body = Body {
            kind: Kind::Channel(rx),
            unread: Unread::default(),
        };
        (BodyWriter { tx }, body)
    }

    /// The body of an answer that switches protocols (`101 Switching
    /// Protocols`, or a 2xx to `CONNECT`): no bytes, but once the server has
    /// written the answer it hands the connection to `continuation` as an
    /// [`Upgraded`] stream, in the connection's green task. This is what
    /// [`green::ws::upgrade`](https://docs.rs/green) builds a WebSocket on.
    ///
    /// HTTP/1.1 only, and only for a request that asked to switch (an
    /// `Upgrade` header, or `CONNECT`): otherwise, or if the status does not
    /// switch, the server answers 500 instead, reports it on stderr, and
    /// `continuation` never runs. Read as a body, it is empty.
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::TcpStream;
    /// use green::http::{Body, Request, Response, Server, StatusCode, Upgraded, header};
    ///
    /// #[green::green]
    /// fn shout(mut conn: Upgraded) -> std::io::Result<()> {
    ///     let mut line = [0u8; 5];
    ///     conn.read_exact(&mut line)?;
    ///     conn.write_all(&line.to_ascii_uppercase())
    /// }
    ///
    /// #[green::green]
    /// fn app(req: Request) -> Response {
    ///     if req.headers().get(header::UPGRADE).is_none() {
    ///         return Response::new(Body::from("plain"));
    ///     }
    ///     let mut response = Response::new(Body::upgrade(|conn| async move {
    ///         shout(conn).await.ok();
    ///     }));
    ///     *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    ///     response.headers_mut().insert(header::UPGRADE, "shout".parse().unwrap());
    ///     response
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let server = Server::bind("127.0.0.1:0")?.start(app)?;
    ///     let mut client = TcpStream::connect(server.local_addr())?;
    ///     // The bytes after the request come through too.
    ///     client.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: shout\r\n\r\nhello")?;
    ///     let mut answer = String::new();
    ///     client.read_to_string(&mut answer)?;
    ///     assert!(answer.starts_with("HTTP/1.1 101 Switching Protocols\r\n"), "{answer}");
    ///     assert!(answer.ends_with("\r\n\r\nHELLO"), "{answer}");
    ///     assert!(Body::upgrade(|_conn| async {}).text()?.is_empty());
    ///     Ok(())
    /// }
    /// ```
    pub fn upgrade<F, G>(continuation: F) -> Body
    where
        F: FnOnce(Upgraded) -> G + 'static,
        G: IntoFuture<Output = ()> + 'static,
    {
        Body {
            kind: Kind::Upgrade(Some(OnUpgrade::new(continuation))),
            unread: Unread::default(),
        }
    }

    /// The continuation of an [`upgrade`](Body::upgrade) body, taken out.
    #[inline]
    pub(crate) fn take_upgrade(&mut self) -> Option<OnUpgrade> {
        match &mut self.kind {
            Kind::Upgrade(on_upgrade) => on_upgrade.take(),
            _ => None,
        }
    }

    /// Reads the whole body. Green. Fails past the body-size limit
    /// ([`BodyTooLarge`]) or if the client goes away.
    ///
    /// ```
    /// use green::http::Body;
    ///
    /// let bytes = green::run(Body::from(&b"raw"[..]).bytes()).unwrap();
    /// assert_eq!(bytes, "raw");
    /// ```
    pub fn bytes(mut self) -> Green<impl Future<Output = io::Result<Bytes>>> {
        Green::new(async move {
            if let Kind::Full(full) = &mut self.kind {
                let mut out = BytesMut::from(self.unread.as_slice());
                if out.is_empty() {
                    return Ok(full.take().unwrap_or_default());
                }
                out.extend_from_slice(&full.take().unwrap_or_default());
                return Ok(out.freeze());
            }
            let mut out = BytesMut::from(self.unread.as_slice());
            self.unread.take();
            while let Some(chunk) = poll_fn(|cx| self.poll_data(cx)).await {
                out.extend_from_slice(&chunk?);
            }
            Ok(out.freeze())
        })
    }

    /// Reads the whole body as UTF-8 text. Green. Fails as
    /// [`bytes`](Body::bytes) does, and with `InvalidData` if the body is
    /// not UTF-8.
    ///
    /// ```
    /// use green::http::Body;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert_eq!(Body::from(String::from("text")).text().unwrap(), "text");
    ///     assert!(Body::from(vec![0xff_u8]).text().is_err());
    /// }
    /// ```
    pub fn text(self) -> Green<impl Future<Output = io::Result<String>>> {
        let bytes = self.bytes();
        Green::new(async move {
            let bytes = bytes.await?;
            String::from_utf8(bytes.into())
                .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
        })
    }

    /// The next piece of data, `None` at the end.
    #[inline]
    fn poll_data(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Bytes>>> {
        match &mut self.kind {
            Kind::Full(full) => Poll::Ready(full.take().filter(|b| !b.is_empty()).map(Ok)),
            Kind::Upgrade(_) => Poll::Ready(None),
            Kind::Channel(rx) => rx.poll_recv(cx).map(|data| data.map(Ok)),
            Kind::Incoming {
                incoming,
                limit,
                seen,
                too_large,
            } => loop {
                let frame =
                    match ready!(hyper::body::Body::poll_frame(Pin::new(&mut *incoming), cx)) {
                        None => return Poll::Ready(None),
                        Some(Err(err)) => return Poll::Ready(Some(Err(io::Error::other(err)))),
                        Some(Ok(frame)) => frame,
                    };
                let Ok(data) = frame.into_data() else {
                    continue;
                }; // trailers
                *seen += data.len() as u64;
                if *seen > *limit {
                    too_large.set(true);
                    let err = BodyTooLarge { limit: *limit };
                    return Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::InvalidData, err))));
                }
                return Poll::Ready(Some(Ok(data)));
            },
        }
    }
}

impl Default for Body {
    /// [`Body::empty`].
    fn default() -> Self {
        Body::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            Kind::Full(_) => "Full",
            Kind::Incoming { .. } => "Incoming",
            Kind::Channel(_) => "Channel",
            Kind::Upgrade(_) => "Upgrade",
        };
        f.debug_struct("Body")
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Body::full(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::full(Bytes::from(text))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body::full(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Body::full(Bytes::from_static(bytes))
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body::full(bytes)
    }
}

/// The most bytes one frame gives hyper: the server copies an answer's body
/// into its write buffer (see http1.rs), and a large body is copied a frame
/// at a time between writes rather than whole.
const MAX_FRAME: usize = 16 * 1024;

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = io::Error;

    #[inline]
    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if this.unread.is_empty() {
            match ready!(this.poll_data(cx)) {
                Some(Ok(data)) if data.len() <= MAX_FRAME => {
                    return Poll::Ready(Some(Ok(Frame::data(data))));
                }
                Some(Ok(data)) => this.unread.set(data),
                other => return Poll::Ready(other.map(|data| data.map(Frame::data))),
            }
        }
        Poll::Ready(Some(Ok(Frame::data(this.unread.take_at_most(MAX_FRAME)))))
    }

    #[inline]
    fn is_end_stream(&self) -> bool {
        self.unread.is_empty()
            && match &self.kind {
                Kind::Full(full) => full.as_ref().is_none_or(Bytes::is_empty),
                Kind::Incoming { incoming, .. } => hyper::body::Body::is_end_stream(incoming),
                Kind::Channel(_) => false,
                Kind::Upgrade(_) => true,
            }
    }

    #[inline]
    fn size_hint(&self) -> SizeHint {
        let unread = self.unread.as_slice().len() as u64;
        match &self.kind {
            Kind::Full(full) => {
                SizeHint::with_exact(unread + full.as_ref().map_or(0, |b| b.len() as u64))
            }
            Kind::Incoming { incoming, .. } if unread == 0 => {
                hyper::body::Body::size_hint(incoming)
            }
            _ => SizeHint::default(),
        }
    }
}

/// compat's `Read` (`green::compat::io::Read`) is implemented for every tokio
/// `AsyncRead`: this impl gives `Body` `read`, `read_to_end`, `read_to_string`
/// and the rest.
///
/// ```
/// use green::compat::io::Read;
/// use green::http::Body;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut body = Body::from("streamed");
///     let mut first = [0; 6];
///     body.read_exact(&mut first)?;
///     let mut rest = String::new();
///     body.read_to_string(&mut rest)?;
///     assert_eq!((&first[..], rest.as_str()), (&b"stream"[..], "ed"));
///     Ok(())
/// }
/// ```
impl Body {
    /// Copies unread body bytes into `buf`, pulling the next piece when
    /// none are left; `Ok(0)` at the end of the body.
    fn poll_read_into(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        while self.unread.is_empty() {
            match ready!(self.poll_data(cx)) {
                None => return Poll::Ready(Ok(0)),
                Some(data) => self.unread.set(data?),
            }
        }
        let unread = self.unread.as_slice();
        let n = unread.len().min(buf.len());
        buf[..n].copy_from_slice(&unread[..n]);
        self.unread.advance(n);
        Poll::Ready(Ok(n))
    }
}

/// compat's `Read`: `body.read(&mut buf)`, `read_to_end`, `BufReader`, ..
impl green_compat::io::Read for Body {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.poll_read_into(cx, buf)
    }
}

/// tokio's `AsyncRead`, for async code and libraries.
impl AsyncRead for Body {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = ready!(self.get_mut().poll_read_into(cx, buf.initialize_unfilled()))?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

/// The writing end of [`Body::channel`]: green [`send`](BodyWriter::send)
/// and [`write_all`](BodyWriter::write_all). Dropping it ends the body.
///
/// ```
/// use green::http::{Body, Request, Response};
///
/// #[green::green]
/// fn countdown(mut writer: green::http::BodyWriter) {
///     for i in (1..=3).rev() {
///         if writer.send(format!("{i}\n")).is_err() {
///             return; // the client went away
///         }
///         green::sleep(std::time::Duration::from_millis(1));
///     }
/// }
///
/// #[green::green]
/// fn app(_req: Request) -> Response {
///     let (writer, body) = Body::channel();
///     green::spawn(move || countdown(writer));
///     Response::new(body)
/// }
///
/// #[green::main]
/// fn main() {
///     let response = app(Request::new(Body::empty()));
///     assert_eq!(response.into_body().text().unwrap(), "3\n2\n1\n");
/// }
/// ```
#[derive(Debug)]
pub struct BodyWriter {
    tx: mpsc::Sender<Bytes>,
}

impl BodyWriter {
    /// Sends one piece of the body, waiting while the client is slow (green).
    /// Fails with `BrokenPipe` once the body is dropped (the client went
    /// away or the response was abandoned).
    ///
    /// ```
    /// use green::http::Body;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (mut writer, body) = Body::channel();
    ///     writer.send("piece").unwrap();
    ///     drop(body);
    ///     assert!(writer.send("lost").is_err());
    /// }
    /// ```
    pub fn send(
        &mut self,
        data: impl Into<Bytes>,
    ) -> Green<impl Future<Output = io::Result<()>> + '_> {
        let data = data.into();
        Green::new(async move {
            if data.is_empty() {
                return Ok(());
            }
            self.tx.send(data).await.map_err(|_| {
                io::Error::new(io::ErrorKind::BrokenPipe, "the response body was dropped")
            })
        })
    }

    /// Sends a copy of `data` (green): [`send`](BodyWriter::send) for a
    /// borrowed slice, named as compat's `Write::write_all`.
    ///
    /// ```
    /// use green::http::Body;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (mut writer, body) = Body::channel();
    ///     let task = green::spawn(move || body.text());
    ///     writer.write_all(b"copied").unwrap();
    ///     drop(writer);
    ///     assert_eq!(task.join().unwrap().unwrap(), "copied");
    /// }
    /// ```
    pub fn write_all<'a>(
        &'a mut self,
        data: &[u8],
    ) -> Green<impl Future<Output = io::Result<()>> + 'a> {
        self.send(Bytes::copy_from_slice(data))
    }
}

#[cfg(test)]
mod tests {
    use core::task::Waker;

    use hyper::body::Body as _;

    use super::*;

    /// Every frame hyper gets from `body`, polled to its end.
    fn frames(mut body: Body) -> Vec<Bytes> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut frames = Vec::new();
        loop {
            let left = body.size_hint().exact();
            match Pin::new(&mut body).poll_frame(&mut cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    let data = frame.into_data().expect("a data frame");
                    // What is left is always told exactly.
                    let after = body.size_hint().exact().expect("an exact size");
                    assert_eq!(left, Some(after + data.len() as u64));
                    frames.push(data);
                }
                Poll::Ready(None) => return frames,
                other => panic!("a full body is always ready: {other:?}"),
            }
        }
    }

    #[test]
    fn a_large_body_goes_to_hyper_in_frames_of_at_most_max_frame() {
        let bytes: Vec<u8> = (0..2 * MAX_FRAME + 100).map(|i| (i % 251) as u8).collect();
        let frames = frames(Body::from(bytes.clone()));
        let lens: Vec<usize> = frames.iter().map(Bytes::len).collect();
        assert_eq!(lens, [MAX_FRAME, MAX_FRAME, 100]);
        assert_eq!(frames.concat(), bytes);
    }

    #[test]
    fn a_small_body_is_one_frame_and_then_ends() {
        let mut body = Body::from("hello");
        assert!(!body.is_end_stream());
        let mut cx = Context::from_waker(Waker::noop());
        let Poll::Ready(Some(Ok(frame))) = Pin::new(&mut body).poll_frame(&mut cx) else {
            panic!("a full body is ready");
        };
        assert_eq!(frame.into_data().ok(), Some(Bytes::from("hello")));
        assert!(body.is_end_stream());
        assert_eq!(frames(body), Vec::<Bytes>::new());
    }
}
