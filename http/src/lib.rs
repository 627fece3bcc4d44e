//! HTTP for green tasks (gevent's `pywsgi`, eventlet's `wsgi`): an HTTP/1.1
//! and HTTP/2 server on hyper whose handlers are plain `#[green]` fns. Used
//! through the facade as `green::http`. HTTP/2 is spoken over TLS when the
//! client picks it by ALPN ([`Server::tls`], feature `tls`) and without TLS
//! to clients that open with its preface (h2c with prior knowledge).
//!
//! A handler takes a [`Request`] and returns a [`Response`] (or a
//! `Result<Response, E: Display>`: an `Err` is answered 500 and reported).
//! It runs in its connection's green task, so it may block the green way
//! (sleep, read a file, call another server) and need not be `Send`. A
//! panicking handler is answered 500; the server goes on.
//!
//! [`client`] is the other side: `reqwest::blocking`, green.
//!
//! The `http` crate's types are re-exported: [`StatusCode`], [`Method`],
//! [`HeaderMap`], [`header`], [`Uri`], [`Version`].
//!
//! ```
//! use std::time::Duration;
//! use green::compat::io::{Read, Write};
//! use green::compat::net::TcpStream;
//! use green::http::{Body, Request, Response, Server, StatusCode};
//!
//! #[green::green]
//! fn app(req: Request) -> Result<Response, std::io::Error> {
//!     if req.uri().path() != "/echo" {
//!         let mut missing = Response::new(Body::from("not found"));
//!         *missing.status_mut() = StatusCode::NOT_FOUND;
//!         return Ok(missing);
//!     }
//!     let text = req.into_body().text()?;
//!     Ok(Response::new(Body::from(text.to_uppercase())))
//! }
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let server = Server::bind("127.0.0.1:0")?.start(app)?;
//!     let mut client = TcpStream::connect(server.local_addr())?;
//!     client.write_all(b"POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\nconnection: close\r\n\r\nshout")?;
//!     let mut answer = String::new();
//!     client.read_to_string(&mut answer)?;
//!     assert!(answer.ends_with("\r\n\r\nSHOUT"), "{answer}");
//!     server.stop(Duration::from_secs(1));
//!     Ok(())
//! }
//! ```
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![forbid(unsafe_code)]

mod access_log;
mod body;
pub mod client;
mod connection;
mod handler;
mod http1;
mod http2;
mod preface;
mod respond;
mod server;
mod shutdown;
mod stream_tasks;
#[cfg(feature = "tls")]
mod tls;
mod upgrade;

pub use http::{HeaderMap, Method, StatusCode, Uri, Version, header};

pub use crate::body::{Body, BodyTooLarge, BodyWriter};
pub use crate::handler::HandlerResult;
pub use crate::server::{Limits, Server, ServerHandle};
pub use crate::upgrade::Upgraded;

/// An HTTP request as a handler gets it: the `http` crate's
/// [`Request`](http::Request) with a green [`Body`].
///
/// ```
/// use green::http::{Body, Method, Request};
///
/// let mut req = Request::new(Body::from("data"));
/// *req.method_mut() = Method::POST;
/// assert_eq!(req.method(), Method::POST);
/// assert_eq!(green::run(req.into_body().text()).unwrap(), "data");
/// ```
pub type Request = http::Request<Body>;

/// An HTTP response as a handler returns it: the `http` crate's
/// [`Response`](http::Response) with a green [`Body`].
///
/// ```
/// use green::http::{Body, Response, StatusCode, header};
///
/// let mut response = Response::new(Body::from("made"));
/// *response.status_mut() = StatusCode::CREATED;
/// let text_plain = header::HeaderValue::from_static("text/plain");
/// response.headers_mut().insert(header::CONTENT_TYPE, text_plain);
/// assert_eq!(response.status(), 201);
/// ```
pub type Response = http::Response<Body>;
