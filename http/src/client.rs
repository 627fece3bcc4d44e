//! An HTTP client for green tasks: `reqwest::blocking`, green. Port code
//! that uses `reqwest::blocking` by renaming it `green::http::client`:
//!
//! ```
//! use green::http::client::{self, Client};
//! # use green::http::{Body, Request, Response, Server};
//! # #[green::green]
//! # fn app(req: Request) -> Response {
//! #     match req.uri().path() { "/" => Response::new(Body::from("home")), _ => Response::new(req.into_body()) }
//! # }
//!
//! #[green::main]
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//! #   let server = Server::bind("127.0.0.1:0")?.start(app)?;
//! #   let base = format!("http://{}", server.local_addr());
//!     // One request: `reqwest::blocking::get`.
//!     let body = client::get(&format!("{base}/"))?.text()?;
//!     assert_eq!(body, "home");
//!
//!     // A client keeps connections for reuse: make one, share it.
//!     let client = Client::new();
//!     let echoed = client.post(&format!("{base}/echo")).body("hi").send()?.text()?;
//!     assert_eq!(echoed, "hi");
//!     Ok(())
//! }
//! ```
//!
//! Built on async [reqwest](https://docs.rs/reqwest/0.12) run on the hub:
//! `send`, `text`, `bytes`, `json`, `copy_to` and compat `Read` on a
//! [`Response`] are green (they wait without blocking the hub), so a
//! thousand green tasks can each make requests through one [`Client`] on
//! one thread. What stays as in `reqwest::blocking`:
//!
//! - the API, method for method ([`Client`], [`ClientBuilder`],
//!   [`RequestBuilder`], [`Response`], [`get`]), and its defaults: a 30 s
//!   [`timeout`](ClientBuilder::timeout) per operation, redirects followed
//!   up to 10 ([`redirect::Policy`]), connections pooled per client;
//! - reqwest's own types where reqwest::blocking uses them:
//!   [`redirect`], [`Certificate`] (feature `tls`), [`Proxy`], [`Url`],
//!   [`IntoUrl`], [`Body`], [`Request`];
//! - errors: [`Error`] answers reqwest's questions (`is_timeout`,
//!   `is_connect`, `is_status`, `status()`, `url()`, ..); a bad URL is an
//!   error from `send`, never a panic.
//!
//! What differs: https needs the `tls` feature (on by default: rustls with
//! ring and the Mozilla roots, the same stack as `green::compat::tls`);
//! HTTP/2, cookies, compression and `charset` decoding are not built in
//! (`text` decodes UTF-8, lossily); [`json`](Response::json) needs the
//! `json` feature. A client's pooled connections belong to the hub they
//! were made on: share a client between the tasks of one hub (or make one
//! per hub), not between `green::run` calls.
//!
//! The `#[green]` macro refuses `reqwest::blocking` inside a green body
//! (it would stall every task of the hub) and names this module instead.

mod builder;
mod error;
mod request;
mod response;

use core::fmt;
use core::future::Future;
use std::time::Duration;

use green_runtime::Green;
use http::Method;

pub use http::{HeaderMap, StatusCode, Version, header};
#[cfg(feature = "tls")]
pub use reqwest::Certificate;
pub use reqwest::{Body, IntoUrl, Proxy, Request, Url, redirect};

pub use self::builder::ClientBuilder;
pub use self::error::{Error, Result};
pub use self::request::RequestBuilder;
pub use self::response::Response;

/// Sends a `GET` to `url` with a client of its own (green):
/// `reqwest::blocking::get`. To make more than one request, make a
/// [`Client`] and reuse it: it keeps connections.
///
/// ```
/// use green::http::client;
/// # use green::http::{Body, Request, Response, Server};
/// # #[green::green]
/// # fn app(_req: Request) -> Response { Response::new(Body::from("hello")) }
///
/// #[green::main]
/// fn main() -> Result<(), client::Error> {
/// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
/// #   let url = format!("http://{}/", server.local_addr());
///     let text = client::get(&url)?.text()?;
///     assert_eq!(text, "hello");
///     assert!(client::get("no scheme").unwrap_err().is_builder());
///     Ok(())
/// }
/// ```
pub fn get<U: IntoUrl>(url: U) -> Green<impl Future<Output = Result<Response>>> {
    let client = ClientBuilder::new().build();
    let request = client.map(|client| client.get(url));
    Green::new(async move { request?.send().await })
}

/// An HTTP client: settings and a pool of connections kept for reuse.
/// `reqwest::blocking::Client`, green.
///
/// Cloning is cheap and clones share the pool, so one client serves every
/// task of a hub. Requests start with [`get`](Client::get),
/// [`post`](Client::post), .. and are sent with the green
/// [`send`](RequestBuilder::send).
///
/// ```
/// use green::http::client::Client;
/// # use green::http::{Body, Request, Response, Server};
/// # #[green::green]
/// # fn app(req: Request) -> Response { Response::new(Body::from(req.uri().path().to_string())) }
///
/// #[green::main]
/// fn main() {
/// #   let server = Server::bind("127.0.0.1:0").unwrap().start(app).unwrap();
/// #   let base = format!("http://{}", server.local_addr());
///     let client = Client::new();
///     let tasks: Vec<_> = (0..10)
///         .map(|i| {
///             let (client, url) = (client.clone(), format!("{base}/{i}"));
///             green::spawn(move || async move { client.get(&url).send().await?.text().await })
///         })
///         .collect();
///     for (i, task) in tasks.into_iter().enumerate() {
///         assert_eq!(task.join().unwrap().unwrap(), format!("/{i}"));
///     }
/// }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: reqwest::Client,
    timeout: Option<Duration>,
}

impl Client {
    /// A client with the default settings (those of
    /// [`ClientBuilder::new`]).
    ///
    /// # Panics
    ///
    /// As reqwest's, if the TLS backend cannot be set up, which does not
    /// happen with the rustls built in; [`Client::builder`]`().build()`
    /// gives an error instead.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::new();
    /// # drop(client);
    /// ```
    pub fn new() -> Client {
        match ClientBuilder::new().build() {
            Ok(client) => client,
            Err(err) => panic!("green::http::client::Client::new(): {err}"),
        }
    }

    /// The settings of a new client: [`ClientBuilder`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_parts(inner: reqwest::Client, timeout: Option<Duration>) -> Client {
        Client { inner, timeout }
    }

    /// A `GET` request to `url`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/").build().unwrap();
    /// assert_eq!(request.method(), "GET");
    /// ```
    pub fn get<U: IntoUrl>(&self, url: U) -> RequestBuilder {
        self.request(Method::GET, url)
    }

    /// A `POST` request to `url`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().post("http://127.0.0.1/").build().unwrap();
    /// assert_eq!(request.method(), "POST");
    /// ```
    pub fn post<U: IntoUrl>(&self, url: U) -> RequestBuilder {
        self.request(Method::POST, url)
    }

    /// A `PUT` request to `url`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().put("http://127.0.0.1/").build().unwrap();
    /// assert_eq!(request.method(), "PUT");
    /// ```
    pub fn put<U: IntoUrl>(&self, url: U) -> RequestBuilder {
        self.request(Method::PUT, url)
    }

    /// A `PATCH` request to `url`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().patch("http://127.0.0.1/").build().unwrap();
    /// assert_eq!(request.method(), "PATCH");
    /// ```
    pub fn patch<U: IntoUrl>(&self, url: U) -> RequestBuilder {
        self.request(Method::PATCH, url)
    }

    /// A `DELETE` request to `url`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().delete("http://127.0.0.1/").build().unwrap();
    /// assert_eq!(request.method(), "DELETE");
    /// ```
    pub fn delete<U: IntoUrl>(&self, url: U) -> RequestBuilder {
        self.request(Method::DELETE, url)
    }

    /// A `HEAD` request to `url`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().head("http://127.0.0.1/").build().unwrap();
    /// assert_eq!(request.method(), "HEAD");
    /// ```
    pub fn head<U: IntoUrl>(&self, url: U) -> RequestBuilder {
        self.request(Method::HEAD, url)
    }

    /// A request of `method` to `url`. A bad URL is kept as an error that
    /// [`send`](RequestBuilder::send) gives.
    ///
    /// ```
    /// use green::http::Method;
    /// use green::http::client::Client;
    ///
    /// let options = Client::new().request(Method::OPTIONS, "http://127.0.0.1/").build().unwrap();
    /// assert_eq!(options.method(), Method::OPTIONS);
    /// assert!(Client::new().request(Method::GET, "::").build().is_err());
    /// ```
    pub fn request<U: IntoUrl>(&self, method: Method, url: U) -> RequestBuilder {
        RequestBuilder::new(self.inner.request(method, url), self.timeout)
    }

    /// Sends a [`Request`] made beforehand (green), as
    /// [`RequestBuilder::send`] sends.
    ///
    /// ```
    /// use green::http::client::Client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(req: Request) -> Response { Response::new(Body::from(req.method().to_string())) }
    ///
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = Server::bind("127.0.0.1:0")?.start(app)?;
    /// #   let url = format!("http://{}/", server.local_addr());
    ///     let client = Client::new();
    ///     let request = client.put(&url).build()?;
    ///     assert_eq!(client.execute(request)?.text()?, "PUT");
    ///     Ok(())
    /// }
    /// ```
    pub fn execute(&self, request: Request) -> Green<impl Future<Output = Result<Response>>> {
        let client = self.inner.clone();
        let timeout = self.timeout;
        Green::new(async move { request::execute(&client, request, timeout).await })
    }
}

impl Default for Client {
    /// [`Client::new`].
    fn default() -> Client {
        Client::new()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("inner", &self.inner)
            .field("timeout", &self.timeout)
            .finish()
    }
}
