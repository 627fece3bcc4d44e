//! `RequestBuilder`: a request's headers, query, body and timeout, and its
//! green `send`.

use core::fmt;
use core::future::Future;
use std::time::Duration;

use green_runtime::Green;
use http::Version;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Body, Request};
use serde::Serialize;

use super::{Error, Response, Result};

/// A request being built: from [`Client::get`](super::Client::get) and its
/// siblings, ended by the green [`send`](RequestBuilder::send).
/// `reqwest::blocking::RequestBuilder`, green.
///
/// A bad header name or value, or a bad URL, does not fail here: the
/// builder keeps the error and `send` (or [`build`](RequestBuilder::build))
/// gives it, as reqwest does.
///
/// ```
/// use green::http::client::Client;
/// # use green::http::{Body, Request, Response, Server};
/// # #[green::green]
/// # fn app(req: Request) -> Response {
/// #     let line = format!("{} {} {:?}", req.method(), req.uri(), req.headers().get("x-token"));
/// #     Response::new(Body::from(line))
/// # }
///
/// #[green::main]
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
/// #   let server = Server::bind("127.0.0.1:0")?.start(app)?;
/// #   let url = format!("http://{}/search", server.local_addr());
///     let answer = Client::new()
///         .get(&url)
///         .query(&[("q", "green tea")])
///         .header("x-token", "abc")
///         .send()?
///         .text()?;
///     assert_eq!(answer, r#"GET /search?q=green+tea Some("abc")"#);
///     Ok(())
/// }
/// ```
#[must_use = "a request does nothing until it is sent: call `.send()`"]
pub struct RequestBuilder {
    inner: reqwest::RequestBuilder,
    /// The client's timeout, used where the request sets none.
    timeout: Option<Duration>,
}

impl RequestBuilder {
    pub(super) fn new(inner: reqwest::RequestBuilder, timeout: Option<Duration>) -> RequestBuilder {
        RequestBuilder { inner, timeout }
    }

    fn map(self, f: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder) -> Self {
        RequestBuilder {
            inner: f(self.inner),
            timeout: self.timeout,
        }
    }

    /// Adds a header (keeping others of the same name).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/").header("accept", "text/plain").build().unwrap();
    /// assert_eq!(request.headers()["accept"], "text/plain");
    /// ```
    pub fn header<K, V>(self, key: K, value: V) -> RequestBuilder
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: Into<http::Error>,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        self.map(|inner| inner.header(key, value))
    }

    /// Adds every header of `headers` (replacing those of the same names).
    ///
    /// ```
    /// use green::http::HeaderMap;
    /// use green::http::client::Client;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-one", "1".parse().unwrap());
    /// let request = Client::new().get("http://127.0.0.1/").headers(headers).build().unwrap();
    /// assert_eq!(request.headers()["x-one"], "1");
    /// ```
    pub fn headers(self, headers: HeaderMap) -> RequestBuilder {
        self.map(|inner| inner.headers(headers))
    }

    /// HTTP basic authentication (`authorization: Basic ..`).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/").basic_auth("ann", Some("pw")).build().unwrap();
    /// assert_eq!(request.headers()["authorization"], "Basic YW5uOnB3");
    /// ```
    pub fn basic_auth<U: fmt::Display, P: fmt::Display>(
        self,
        username: U,
        password: Option<P>,
    ) -> RequestBuilder {
        self.map(|inner| inner.basic_auth(username, password))
    }

    /// Bearer authentication (`authorization: Bearer ..`).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/").bearer_auth("t0k").build().unwrap();
    /// assert_eq!(request.headers()["authorization"], "Bearer t0k");
    /// ```
    pub fn bearer_auth<T: fmt::Display>(self, token: T) -> RequestBuilder {
        self.map(|inner| inner.bearer_auth(token))
    }

    /// The request body: a `String`, `&'static str`, `Vec<u8>`,
    /// `&'static [u8]`, `Bytes`, or a reqwest [`Body`].
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().post("http://127.0.0.1/").body("payload").build().unwrap();
    /// assert_eq!(request.body().and_then(|b| b.as_bytes()), Some(&b"payload"[..]));
    /// ```
    pub fn body<T: Into<Body>>(self, body: T) -> RequestBuilder {
        self.map(|inner| inner.body(body))
    }

    /// This request's timeout, in place of the client's: the deadline for
    /// the response's head, and again for each body operation.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/").timeout(Duration::from_secs(2)).build().unwrap();
    /// assert_eq!(request.timeout(), Some(&Duration::from_secs(2)));
    /// ```
    pub fn timeout(self, timeout: Duration) -> RequestBuilder {
        self.map(|inner| inner.timeout(timeout))
    }

    /// Appends `query` (anything serde serializes as pairs: `&[("k", "v")]`,
    /// a map, a struct) to the URL's query string.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/find?a=1").query(&[("b", "x y")]).build().unwrap();
    /// assert_eq!(request.url().query(), Some("a=1&b=x+y"));
    /// ```
    pub fn query<T: Serialize + ?Sized>(self, query: &T) -> RequestBuilder {
        self.map(|inner| inner.query(query))
    }

    /// A form body (`application/x-www-form-urlencoded`) from `form`.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().post("http://127.0.0.1/").form(&[("name", "ann")]).build().unwrap();
    /// assert_eq!(request.headers()["content-type"], "application/x-www-form-urlencoded");
    /// assert_eq!(request.body().and_then(|b| b.as_bytes()), Some(&b"name=ann"[..]));
    /// ```
    pub fn form<T: Serialize + ?Sized>(self, form: &T) -> RequestBuilder {
        self.map(|inner| inner.form(form))
    }

    /// A JSON body (`application/json`) from `json` (feature `json`).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let request = Client::new()
    ///     .post("http://127.0.0.1/")
    ///     .json(&serde_json::json!({"id": 7}))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(request.headers()["content-type"], "application/json");
    /// assert_eq!(request.body().and_then(|b| b.as_bytes()), Some(&br#"{"id":7}"#[..]));
    /// ```
    #[cfg(feature = "json")]
    pub fn json<T: Serialize + ?Sized>(self, json: &T) -> RequestBuilder {
        self.map(|inner| inner.json(json))
    }

    /// The HTTP version to ask for.
    ///
    /// ```
    /// use green::http::Version;
    /// use green::http::client::Client;
    ///
    /// let request = Client::new().get("http://127.0.0.1/").version(Version::HTTP_10).build().unwrap();
    /// assert_eq!(request.version(), Version::HTTP_10);
    /// ```
    pub fn version(self, version: Version) -> RequestBuilder {
        self.map(|inner| inner.version(version))
    }

    /// The request as built, or the error kept on the way (a bad URL or
    /// header), for [`Client::execute`](super::Client::execute).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// assert!(Client::new().get("http://127.0.0.1/").build().is_ok());
    /// assert!(Client::new().get("no scheme").build().unwrap_err().is_builder());
    /// ```
    pub fn build(self) -> Result<Request> {
        self.inner.build().map_err(Error::from)
    }

    /// A copy of the builder, unless its body is a stream (which cannot be
    /// copied).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let builder = Client::new().post("http://127.0.0.1/").body("again");
    /// assert!(builder.try_clone().is_some());
    /// ```
    pub fn try_clone(&self) -> Option<RequestBuilder> {
        Some(RequestBuilder {
            inner: self.inner.try_clone()?,
            timeout: self.timeout,
        })
    }

    /// Sends the request and gives the response once its head has come
    /// (green), following redirects by the client's policy. The body is
    /// read from the [`Response`].
    ///
    /// Fails on a bad URL or header ([`is_builder`](Error::is_builder)), a
    /// failed connection ([`is_connect`](Error::is_connect)), the timeout
    /// ([`is_timeout`](Error::is_timeout)) or a redirect policy
    /// ([`is_redirect`](Error::is_redirect)). A status 4xx or 5xx is a
    /// response, not an error (see
    /// [`error_for_status`](Response::error_for_status)).
    ///
    /// ```
    /// use green::http::client::Client;
    /// # use green::http::{Body, Request, Response, Server};
    /// # #[green::green]
    /// # fn app(req: Request) -> Response { Response::new(req.into_body()) }
    ///
    /// #[green::main]
    /// fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// #   let server = Server::bind("127.0.0.1:0")?.start(app)?;
    /// #   let url = format!("http://{}/echo", server.local_addr());
    ///     let response = Client::new().post(&url).body("ping").send()?;
    ///     assert_eq!(response.text()?, "ping");
    ///     Ok(())
    /// }
    /// ```
    pub fn send(self) -> Green<impl Future<Output = Result<Response>>> {
        let (client, request) = self.inner.build_split();
        let client_timeout = self.timeout;
        Green::new(async move { execute(&client, request?, client_timeout).await })
    }
}

/// Sends `request` on `client` under `reqwest::blocking`'s deadline: the
/// request's own timeout, else the client's, until the response's head.
pub(super) async fn execute(
    client: &reqwest::Client,
    request: Request,
    client_timeout: Option<Duration>,
) -> Result<Response> {
    let timeout = request.timeout().copied().or(client_timeout);
    let url = request.url().clone();
    let sent = client.execute(request);
    let response = match timeout {
        None => sent.await,
        Some(timeout) => match tokio::time::timeout(timeout, sent).await {
            Ok(response) => response,
            Err(_elapsed) => return Err(Error::request_timeout(Some(url))),
        },
    };
    Ok(Response::new(response?, timeout))
}

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.inner, f)
    }
}
