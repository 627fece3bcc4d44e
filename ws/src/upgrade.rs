//! `upgrade`: a WebSocket from inside a `green::http` handler (eventlet's
//! `WebSocketWSGI`, gevent-websocket's `wsgi.websocket`).
//!
//! The handler checks the request ([`handshake`](crate::handshake)) and
//! answers `101 Switching Protocols` with a green-http
//! [`Body::upgrade`](green_http::Body::upgrade): once the server has written
//! the 101, it hands the connection over in the connection's own green task,
//! where tungstenite takes it up (no second handshake: the HTTP one was it)
//! and the program's handler runs on the [`WebSocket`].

use core::any::Any;
use core::fmt::Display;
use core::future::IntoFuture;

use green_http::header::{self, HeaderValue};
use green_http::{Body, Request, Response, StatusCode, Upgraded};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Error;
use tokio_tungstenite::tungstenite::protocol::Role;

use crate::config::Config;
use crate::connection::Connection;
use crate::handshake;
use crate::websocket::WebSocket;

/// Answers a WebSocket handshake from inside a `green::http` handler, and
/// runs `handler` on the connection once the answer is written (eventlet's
/// `WebSocketWSGI`). Not green: it returns the [`Response`] for the HTTP
/// handler to return. The default [`Config`] applies.
///
/// `handler` is green work taking a [`WebSocket<Upgraded>`](WebSocket):
/// a `#[green]` fn, or a closure calling one. It runs in the HTTP
/// connection's green task after the `101 Switching Protocols` is written,
/// so the server counts the WebSocket as an open connection, and
/// [`ServerHandle::stop`](green_http::ServerHandle::stop) waits for it,
/// then ends it when its timeout runs out. It may return `()` or a
/// `Result<(), E: Display>` (see [`HandlerResult`]).
///
/// A request that is not a WebSocket handshake is answered at once and
/// `handler` never runs:
///
/// | request | answer |
/// |---|---|
/// | no `Upgrade: websocket` (a plain GET, another protocol) | `426 Upgrade Required`, `Upgrade: websocket` |
/// | `Sec-WebSocket-Version` missing or not 13 | `426 Upgrade Required`, `Sec-WebSocket-Version: 13` |
/// | a method other than GET | `405 Method Not Allowed`, `Allow: GET` |
/// | no `Connection: upgrade`, no valid `Sec-WebSocket-Key`, HTTP/1.0 | `400 Bad Request` |
/// | HTTP/2 (RFC 8441's WebSocket over HTTP/2 is not supported) | `505 HTTP Version Not Supported` |
///
/// ```
/// use std::time::Duration;
/// use green::http::{Body, Request, Response, Server, Upgraded};
/// use green::ws::{Error, Message, WebSocket};
///
/// #[green::green]
/// fn echo(mut ws: WebSocket<Upgraded>) -> Result<(), Error> {
///     loop {
///         match ws.read()? {
///             message @ (Message::Text(_) | Message::Binary(_)) => ws.send(message)?,
///             _ => {} // pings are answered already; a close ends the next read
///         }
///     }
/// }
///
/// #[green::green]
/// fn app(req: Request) -> Response {
///     match req.uri().path() {
///         "/echo" => green::ws::upgrade(req, echo),
///         _ => Response::new(Body::from("hello")),
///     }
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let server = Server::bind("127.0.0.1:0")?.start(app)?;
///     let mut ws = green::ws::connect(format!("ws://{}/echo", server.local_addr()))?;
///     ws.send("hi")?;
///     assert_eq!(ws.read()?, Message::text("hi"));
///     ws.close(None)?;
///     server.stop(Duration::from_secs(1));
///     Ok(())
/// }
/// ```
pub fn upgrade<F, G>(req: Request, handler: F) -> Response
where
    F: FnOnce(WebSocket<Upgraded>) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    upgrade_with_config(req, Config::new(), handler)
}

/// [`upgrade`] with the limits of `config`: a message over them fails the
/// handler's [`read`](WebSocket::read) with [`Error::Capacity`].
///
/// ```
/// use green::http::{Request, Response, Server, Upgraded};
/// use green::ws::{CapacityError, Config, Error, WebSocket};
/// use green::Queue;
///
/// #[green::green]
/// fn small(mut ws: WebSocket<Upgraded>, refused: Queue<usize>) {
///     if let Err(Error::Capacity(CapacityError::MessageTooLong { size, .. })) = ws.read() {
///         refused.put(size).ok();
///     }
/// }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let refused = Queue::new();
///     let seen = refused.clone();
///     let server = Server::bind("127.0.0.1:0")?.start(move |req: Request| {
///         let seen = seen.clone();
///         let config = Config::new().max_message_size(64);
///         let response = green::ws::upgrade_with_config(req, config, move |ws| small(ws, seen));
///         async move { response }
///     })?;
///     let mut ws = green::ws::connect(format!("ws://{}/", server.local_addr()))?;
///     ws.send(vec![0u8; 1000])?;
///     assert_eq!(refused.get()?, 1000);
///     Ok(())
/// }
/// ```
pub fn upgrade_with_config<F, G>(req: Request, config: Config, handler: F) -> Response
where
    F: FnOnce(WebSocket<Upgraded>) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    let accept = match handshake::check(&req) {
        Ok(accept) => accept,
        Err(refusal) => return refusal.into_response(),
    };
    let path = req.uri().path().to_owned();
    let body = Body::upgrade(move |upgraded: Upgraded| async move {
        let peer = upgraded.peer_addr();
        let stream =
            WebSocketStream::from_raw_socket(upgraded, Role::Server, Some(config.to_tungstenite()))
                .await;
        let outcome = handler(WebSocket::new(Connection::new(stream)))
            .into_future()
            .await;
        if let Err(report) = outcome.into_result() {
            eprintln!("green::ws: {path} ({peer}): {report}");
        }
    });
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    response
}

/// What an [`upgrade`] handler returns: `()`, or a `Result<(), E>` whose
/// `Err` is reported on stderr once, with the request's path and the
/// client's address. The ends of a normal close
/// ([`Error::ConnectionClosed`], [`Error::AlreadyClosed`]) are not reported,
/// so a handler may simply `?` its reads.
///
/// ```
/// use green::http::Upgraded;
/// use green::ws::{Error, WebSocket};
///
/// #[green::green]
/// fn quiet(_ws: WebSocket<Upgraded>) {}
///
/// #[green::green]
/// fn fallible(mut ws: WebSocket<Upgraded>) -> Result<(), Error> {
///     ws.send("hello")?; // an error here is reported
///     Ok(())
/// }
///
/// fn check<G: std::future::IntoFuture<Output: green::ws::HandlerResult>>(
///     _handler: impl FnOnce(WebSocket<Upgraded>) -> G,
/// ) {
/// }
///
/// check(quiet);
/// check(fallible);
/// ```
pub trait HandlerResult {
    /// `Ok`, or the error's report.
    #[doc(hidden)]
    fn into_result(self) -> Result<(), String>;
}

impl HandlerResult for () {
    fn into_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: Display + 'static> HandlerResult for Result<(), E> {
    fn into_result(self) -> Result<(), String> {
        match self {
            Ok(()) => Ok(()),
            Err(err) => match (&err as &dyn Any).downcast_ref::<Error>() {
                Some(Error::ConnectionClosed | Error::AlreadyClosed) => Ok(()),
                _ => Err(err.to_string()),
            },
        }
    }
}
