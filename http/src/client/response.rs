//! `Response`: the head of a response, and its body read green: whole
//! (`text`, `bytes`, `json`), copied (`copy_to`) or streamed (compat `Read`).

use core::fmt;
use core::future::{Future, poll_fn};
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use green_compat::io::Write;
use green_runtime::Green;
use http::{HeaderMap, StatusCode, Version};
use hyper::body::Body as _;
use hyper_util::client::legacy::connect::HttpInfo;
use reqwest::Url;
use tokio::time::{Instant, Sleep};

use super::{Error, Result};

/// Most bytes reserved up front for a whole body from its `content-length`
/// (a larger body grows the buffer as it comes).
const MAX_RESERVE: u64 = 16 << 20;

/// A response: status, headers and URL at once, the body read green.
/// `reqwest::blocking::Response`, green.
///
/// Read the body whole with [`text`](Response::text),
/// [`bytes`](Response::bytes) or [`json`](Response::json) (feature
/// `json`), copy it into a compat writer with
/// [`copy_to`](Response::copy_to), or stream it through compat's
/// [`Read`](green_compat::io::Read) (`green::compat::io::Read`): piece by
/// piece as the connection gives it, never held whole.
///
/// The client's [`timeout`](super::ClientBuilder::timeout) (30 s unless
/// set) bounds each of these operations, and each single `read`, as
/// `reqwest::blocking` bounds them: a long download goes on as long as data
/// keeps coming.
///
/// ```
/// use green::http::client;
/// # use green::http::{Body, Request, Response, Server};
/// # #[green::green]
/// # fn app(_req: Request) -> Response { Response::new(Body::from("hello")) }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
/// #   let server = Server::bind("127.0.0.1:0")?.start(app)?;
/// #   let url = format!("http://{}/", server.local_addr());
///     let response = client::get(&url)?;
///     assert_eq!(response.status(), 200);
///     assert_eq!(response.content_length(), Some(5));
///     assert_eq!(response.text()?, "hello");
///     Ok(())
/// }
/// ```
pub struct Response {
    /// The head, and reqwest's body (its own deadlines inside).
    res: http::Response<reqwest::Body>,
    url: Box<Url>,
    /// The deadline of each body operation.
    timeout: Option<Duration>,
    /// What a `read` took from a piece but could not return yet.
    unread: Bytes,
    /// The deadline of the current `read` or `copy_to` step, made at the
    /// first that has to wait and reset after.
    deadline: Option<Pin<Box<Sleep>>>,
    deadline_armed: bool,
}

impl Response {
    pub(super) fn new(res: reqwest::Response, timeout: Option<Duration>) -> Response {
        let url = Box::new(res.url().clone());
        Response {
            res: res.into(),
            url,
            timeout,
            unread: Bytes::new(),
            deadline: None,
            deadline_armed: false,
        }
    }

    /// The status code.
    ///
    /// ```
    /// use green::http::StatusCode;
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response {
    /// #     let mut r = Response::new(Body::from("no")); *r.status_mut() = StatusCode::NOT_FOUND; r
    /// # }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/missing", server.local_addr());
    ///     let response = client::get(&url).unwrap();
    ///     assert_eq!(response.status(), StatusCode::NOT_FOUND);
    /// }
    /// ```
    pub fn status(&self) -> StatusCode {
        self.res.status()
    }

    /// The HTTP version of the response.
    ///
    /// ```
    /// use green::http::Version;
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     assert_eq!(client::get(&url).unwrap().version(), Version::HTTP_11);
    /// }
    /// ```
    pub fn version(&self) -> Version {
        self.res.version()
    }

    /// The headers.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response {
    /// #     let mut r = Response::new(Body::from("{}"));
    /// #     r.headers_mut().insert("content-type", "application/json".parse().unwrap()); r
    /// # }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let response = client::get(&url).unwrap();
    ///     assert_eq!(response.headers()["content-type"], "application/json");
    /// }
    /// ```
    pub fn headers(&self) -> &HeaderMap {
        self.res.headers()
    }

    /// The headers, to change.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let mut response = client::get(&url).unwrap();
    ///     response.headers_mut().insert("x-seen", "yes".parse().unwrap());
    ///     assert_eq!(response.headers()["x-seen"], "yes");
    /// }
    /// ```
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.res.headers_mut()
    }

    /// The length of the body, when the server said it (`content-length`)
    /// and the body has one (not the answer to a `HEAD`).
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::from("12345")) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     assert_eq!(client::get(&url).unwrap().content_length(), Some(5));
    /// }
    /// ```
    pub fn content_length(&self) -> Option<u64> {
        self.res.body().size_hint().exact()
    }

    /// The final URL, after redirects.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/page", server.local_addr());
    ///     let response = client::get(&url).unwrap();
    ///     assert_eq!(response.url().path(), "/page");
    /// }
    /// ```
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The address of the server that answered.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let response = client::get(&url).unwrap();
    ///     assert_eq!(response.remote_addr(), Some(server.local_addr()));
    /// }
    /// ```
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        self.res
            .extensions()
            .get::<HttpInfo>()
            .map(HttpInfo::remote_addr)
    }

    /// The response's extensions (the `http` crate's typed map).
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::empty()) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let mut response = client::get(&url).unwrap();
    ///     response.extensions_mut().insert(7u32);
    ///     assert_eq!(response.extensions().get::<u32>(), Some(&7));
    /// }
    /// ```
    pub fn extensions(&self) -> &http::Extensions {
        self.res.extensions()
    }

    /// The response's extensions, to change.
    ///
    /// See [`extensions`](Response::extensions).
    pub fn extensions_mut(&mut self) -> &mut http::Extensions {
        self.res.extensions_mut()
    }

    /// Reads the whole body (green), within the client's timeout.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::from(vec![1u8, 2, 3])) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let bytes = client::get(&url).unwrap().bytes().unwrap();
    ///     assert_eq!(bytes.as_ref(), [1, 2, 3]);
    /// }
    /// ```
    pub fn bytes(mut self) -> Green<impl Future<Output = Result<Bytes>>> {
        Green::new(async move {
            let timeout = self.timeout.unwrap_or(Duration::MAX);
            let collected = tokio::time::timeout(timeout, self.collect()).await;
            match collected {
                Ok(bytes) => bytes,
                Err(_elapsed) => Err(Error::body_timeout(Some(self.url().clone()))),
            }
        })
    }

    /// Reads the whole body as text (green), within the client's timeout.
    /// Bytes that are not UTF-8 become U+FFFD, as reqwest's without its
    /// `charset` feature.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::from("text")) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     assert_eq!(client::get(&url).unwrap().text().unwrap(), "text");
    /// }
    /// ```
    pub fn text(self) -> Green<impl Future<Output = Result<String>>> {
        let bytes = self.bytes();
        Green::new(async move {
            let bytes = bytes.await?;
            Ok(match String::from_utf8(bytes.into()) {
                Ok(text) => text,
                Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
            })
        })
    }

    /// Reads the whole body and decodes it as JSON into `T` (green; feature
    /// `json`). A body that is not such JSON gives an error for which
    /// [`is_decode`](Error::is_decode) holds.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::from(r#"{"id": 7}"#)) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let value: serde_json::Value = client::get(&url).unwrap().json().unwrap();
    ///     assert_eq!(value["id"], 7);
    ///     let wrong = client::get(&url).unwrap().json::<Vec<u8>>().unwrap_err();
    ///     assert!(wrong.is_decode());
    /// }
    /// ```
    #[cfg(feature = "json")]
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Green<impl Future<Output = Result<T>>> {
        let url = self.url().clone();
        let bytes = self.bytes();
        Green::new(async move {
            let bytes = bytes.await?;
            serde_json::from_slice(&bytes).map_err(|err| Error::decode(Some(url), err))
        })
    }

    /// Copies the rest of the body into `writer` (green), piece by piece as
    /// it comes, and gives the number of bytes copied. The client's timeout
    /// bounds each wait for a piece. A failing writer gives an error for
    /// which [`is_decode`](Error::is_decode) holds, as reqwest's.
    ///
    /// ```
    /// use green::http::client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response { Response::new(Body::from("copied")) }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let mut response = client::get(&url).unwrap();
    ///     let mut out = Vec::new(); // or a compat File, a TcpStream, ..
    ///     assert_eq!(response.copy_to(&mut out).unwrap(), 6);
    ///     assert_eq!(out, b"copied");
    /// }
    /// ```
    pub fn copy_to<'a, W: Write + ?Sized>(
        &'a mut self,
        writer: &'a mut W,
    ) -> Green<impl Future<Output = Result<u64>> + 'a> {
        Green::new(async move {
            let mut copied = 0;
            while let Some(piece) = poll_fn(|cx| self.poll_piece_timed(cx)).await? {
                let written = writer.write_all(&piece).await;
                written.map_err(|err| Error::decode(Some(self.url().clone()), err))?;
                copied += piece.len() as u64;
            }
            Ok(copied)
        })
    }

    /// The response, or an error for which [`is_status`](Error::is_status)
    /// holds if its status is 4xx or 5xx.
    ///
    /// ```
    /// use green::http::{StatusCode, client};
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(req: Request) -> Response {
    /// #     let mut r = Response::new(Body::empty());
    /// #     if req.uri().path() == "/gone" { *r.status_mut() = StatusCode::GONE; } r
    /// # }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let base = format!("http://{}", server.local_addr());
    ///     let ok = client::get(&format!("{base}/")).unwrap().error_for_status();
    ///     assert!(ok.is_ok());
    ///     let err = client::get(&format!("{base}/gone")).unwrap().error_for_status().unwrap_err();
    ///     assert!(err.is_status());
    ///     assert_eq!(err.status(), Some(StatusCode::GONE));
    /// }
    /// ```
    pub fn error_for_status(self) -> Result<Response> {
        match self.status_error() {
            Some(err) => Err(err),
            None => Ok(self),
        }
    }

    /// As [`error_for_status`](Response::error_for_status), keeping the
    /// response.
    ///
    /// ```
    /// use green::http::{StatusCode, client};
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(_req: Request) -> Response {
    /// #     let mut r = Response::new(Body::from("busy")); *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE; r
    /// # }
    ///
    /// #[green::main]
    /// fn main() {
    /// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let response = client::get(&url).unwrap();
    ///     let err = response.error_for_status_ref().unwrap_err();
    ///     assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    ///     assert_eq!(response.text().unwrap(), "busy");
    /// }
    /// ```
    pub fn error_for_status_ref(&self) -> Result<&Response> {
        match self.status_error() {
            Some(err) => Err(err),
            None => Ok(self),
        }
    }

    fn status_error(&self) -> Option<Error> {
        let status = self.status();
        (status.is_client_error() || status.is_server_error())
            .then(|| Error::status_code(Some(self.url().clone()), status))
    }

    /// The rest of the body, in one piece when it comes in one.
    async fn collect(&mut self) -> Result<Bytes> {
        let Some(first) = poll_fn(|cx| self.poll_piece(cx)).await? else {
            return Ok(Bytes::new());
        };
        let Some(second) = poll_fn(|cx| self.poll_piece(cx)).await? else {
            return Ok(first);
        };
        let hint = self.content_length().unwrap_or(0).min(MAX_RESERVE) as usize;
        let mut whole = BytesMut::with_capacity(hint.max(first.len() + second.len()));
        whole.extend_from_slice(&first);
        whole.extend_from_slice(&second);
        while let Some(piece) = poll_fn(|cx| self.poll_piece(cx)).await? {
            whole.extend_from_slice(&piece);
        }
        Ok(whole.freeze())
    }

    /// The next piece of the body (what a `read` left first), `None` at
    /// its end.
    fn poll_piece(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Bytes>>> {
        if !self.unread.is_empty() {
            return Poll::Ready(Ok(Some(core::mem::take(&mut self.unread))));
        }
        loop {
            let frame = match ready!(Pin::new(self.res.body_mut()).poll_frame(cx)) {
                None => return Poll::Ready(Ok(None)),
                Some(Err(err)) => {
                    let url = Some(self.url().clone());
                    return Poll::Ready(Err(Error::decode(url, err)));
                }
                Some(Ok(frame)) => frame,
            };
            // Trailers are skipped, as reqwest's `chunk()` skips them.
            if let Ok(data) = frame.into_data() {
                if !data.is_empty() {
                    return Poll::Ready(Ok(Some(data)));
                }
            }
        }
    }

    /// [`poll_piece`](Response::poll_piece) within the timeout, counted
    /// from the first poll that has to wait.
    fn poll_piece_timed(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<Bytes>>> {
        if let Poll::Ready(piece) = self.poll_piece(cx) {
            self.deadline_armed = false;
            return Poll::Ready(piece);
        }
        let Some(at) = self.timeout.and_then(|t| Instant::now().checked_add(t)) else {
            return Poll::Pending;
        };
        let deadline = match &mut self.deadline {
            Some(deadline) => {
                if !self.deadline_armed {
                    deadline.as_mut().reset(at);
                }
                deadline
            }
            None => self.deadline.insert(Box::pin(tokio::time::sleep_until(at))),
        };
        self.deadline_armed = true;
        ready!(deadline.as_mut().poll(cx));
        self.deadline_armed = false;
        Poll::Ready(Err(Error::body_timeout(Some(self.url().clone()))))
    }
}

/// compat's `Read` (`green::compat::io::Read`): `response.read(&mut buf)`,
/// `read_to_end`, `io::copy`, a `BufReader` over it, .. The body streams:
/// each read takes from the piece the connection last gave, so memory stays
/// bounded whatever the body's size. A failed read's `io::Error` holds the
/// client's [`Error`] (kind `TimedOut` for a timeout).
///
/// ```
/// use green::compat::io::{BufRead, BufReader, Read};
/// use green::http::client;
/// # use green::http::{Body, Request, Response, Server};
/// # #[green::green]
/// # fn app(_req: Request) -> Response { Response::new(Body::from("one\ntwo\n")) }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let server = Server::bind("127.0.0.1:0")?.start(app)?;
/// #   let url = format!("http://{}/", server.local_addr());
///     let mut response = client::get(&url).unwrap();
///     let mut first = [0u8; 4];
///     response.read_exact(&mut first)?;
///     assert_eq!(&first, b"one\n");
///     let mut lines = Vec::new();
///     for line in BufReader::new(response).lines() {
///         lines.push(line?);
///     }
///     assert_eq!(lines, ["two"]);
///     Ok(())
/// }
/// ```
impl green_compat::io::Read for Response {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let mut piece = match ready!(self.poll_piece_timed(cx)) {
            Ok(Some(piece)) => piece,
            Ok(None) => return Poll::Ready(Ok(0)),
            Err(err) => return Poll::Ready(Err(err.into_io())),
        };
        let n = piece.len().min(buf.len());
        buf[..n].copy_from_slice(&piece[..n]);
        piece.advance(n);
        self.unread = piece;
        Poll::Ready(Ok(n))
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("url", &self.url.as_str())
            .field("status", &self.status())
            .field("headers", self.headers())
            .finish()
    }
}
