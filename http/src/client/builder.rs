//! `ClientBuilder`: a client's timeouts, redirect policy, default headers,
//! TLS roots and pool settings.

use core::fmt;
use std::net::IpAddr;
use std::time::Duration;

use http::header::{HeaderMap, HeaderValue};
use reqwest::redirect;

use super::{Client, Result};

/// `reqwest::blocking`'s default timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The settings of a [`Client`], from [`Client::builder`].
/// `reqwest::blocking::ClientBuilder`, with its defaults: a 30 s timeout,
/// up to 10 redirects followed, connections kept for reuse.
///
/// ```
/// use std::time::Duration;
/// use green::http::client::{Client, redirect};
///
/// let client = Client::builder()
///     .timeout(Duration::from_secs(5))
///     .connect_timeout(Duration::from_secs(1))
///     .redirect(redirect::Policy::limited(3))
///     .user_agent("my-crawler/1.0")
///     .pool_max_idle_per_host(8)
///     .build()
///     .unwrap();
/// # drop(client);
/// ```
#[must_use = "a builder does nothing until `.build()`"]
pub struct ClientBuilder {
    inner: reqwest::ClientBuilder,
    timeout: Option<Duration>,
}

impl Default for ClientBuilder {
    /// [`ClientBuilder::new`].
    fn default() -> ClientBuilder {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// The default settings (those of [`Client::new`]).
    ///
    /// ```
    /// use green::http::client::ClientBuilder;
    ///
    /// assert!(ClientBuilder::new().build().is_ok());
    /// ```
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            inner: reqwest::ClientBuilder::new(),
            timeout: Some(DEFAULT_TIMEOUT),
        }
    }

    fn map(self, f: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder) -> Self {
        ClientBuilder {
            inner: f(self.inner),
            timeout: self.timeout,
        }
    }

    /// Makes the client. Fails if a setting cannot be honoured (a TLS
    /// setting the backend refuses, say).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().build().unwrap();
    /// # drop(client);
    /// ```
    pub fn build(self) -> Result<Client> {
        Ok(Client::from_parts(self.inner.build()?, self.timeout))
    }

    /// The deadline of each operation: sending a request until its
    /// response's head, then each body operation (`text`, `bytes`, `json`,
    /// and each `read` or `copy_to` wait). 30 s by default, `None` for
    /// none, as `reqwest::blocking`'s. A request's own
    /// [`timeout`](super::RequestBuilder::timeout) replaces it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::client::Client;
    ///
    /// let patient = Client::builder().timeout(None).build().unwrap();
    /// let hasty = Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    /// # drop((patient, hasty));
    /// ```
    pub fn timeout<T: Into<Option<Duration>>>(self, timeout: T) -> ClientBuilder {
        ClientBuilder {
            timeout: timeout.into(),
            ..self
        }
    }

    /// The deadline of connecting (TCP, and TLS for https). None by
    /// default: the [`timeout`](ClientBuilder::timeout) bounds it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().connect_timeout(Duration::from_millis(500)).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn connect_timeout<T: Into<Option<Duration>>>(self, timeout: T) -> ClientBuilder {
        match timeout.into() {
            Some(timeout) => self.map(|inner| inner.connect_timeout(timeout)),
            None => self,
        }
    }

    /// The redirect policy: [`redirect::Policy::limited(10)`](redirect::Policy::limited)
    /// by default, [`redirect::Policy::none()`](redirect::Policy::none) to
    /// get 3xx responses as they are.
    ///
    /// ```
    /// use green::http::client::{Client, redirect};
    ///
    /// let client = Client::builder().redirect(redirect::Policy::none()).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn redirect(self, policy: redirect::Policy) -> ClientBuilder {
        self.map(|inner| inner.redirect(policy))
    }

    /// Whether to send a `referer` header when following a redirect (on by
    /// default).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().referer(false).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn referer(self, enable: bool) -> ClientBuilder {
        self.map(|inner| inner.referer(enable))
    }

    /// The `user-agent` header of every request (none by default).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().user_agent("green/0.1").build().unwrap();
    /// # drop(client);
    /// ```
    pub fn user_agent<V>(self, value: V) -> ClientBuilder
    where
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        self.map(|inner| inner.user_agent(value))
    }

    /// Headers sent with every request (a request's own header of the same
    /// name wins).
    ///
    /// ```
    /// use green::http::HeaderMap;
    /// use green::http::client::Client;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-api-key", "k".parse().unwrap());
    /// let client = Client::builder().default_headers(headers).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn default_headers(self, headers: HeaderMap) -> ClientBuilder {
        self.map(|inner| inner.default_headers(headers))
    }

    /// The most idle connections kept per host for reuse (no limit by
    /// default; `0` keeps none).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().pool_max_idle_per_host(0).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn pool_max_idle_per_host(self, max: usize) -> ClientBuilder {
        self.map(|inner| inner.pool_max_idle_per_host(max))
    }

    /// How long an idle connection is kept (90 s by default, `None` for
    /// ever).
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().pool_idle_timeout(Duration::from_secs(10)).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn pool_idle_timeout<D: Into<Option<Duration>>>(self, timeout: D) -> ClientBuilder {
        self.map(|inner| inner.pool_idle_timeout(timeout))
    }

    /// `TCP_NODELAY` on the client's connections (on by default).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().tcp_nodelay(true).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn tcp_nodelay(self, enable: bool) -> ClientBuilder {
        self.map(|inner| inner.tcp_nodelay(enable))
    }

    /// The local address to connect from.
    ///
    /// ```
    /// use std::net::{IpAddr, Ipv4Addr};
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().local_address(IpAddr::V4(Ipv4Addr::LOCALHOST)).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn local_address<T: Into<Option<IpAddr>>>(self, address: T) -> ClientBuilder {
        self.map(|inner| inner.local_address(address))
    }

    /// Sends requests through `proxy` (see reqwest's
    /// [`Proxy`](super::Proxy)). By default the `HTTP_PROXY`, `HTTPS_PROXY`
    /// and `NO_PROXY` environment variables are obeyed.
    ///
    /// ```
    /// use green::http::client::{Client, Proxy};
    ///
    /// let proxy = Proxy::http("http://127.0.0.1:3128").unwrap();
    /// let client = Client::builder().proxy(proxy).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn proxy(self, proxy: reqwest::Proxy) -> ClientBuilder {
        self.map(|inner| inner.proxy(proxy))
    }

    /// Connects directly, ignoring the proxy environment variables.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().no_proxy().build().unwrap();
    /// # drop(client);
    /// ```
    pub fn no_proxy(self) -> ClientBuilder {
        self.map(reqwest::ClientBuilder::no_proxy)
    }

    /// Refuses URLs that are not https (off by default).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let client = Client::builder().https_only(true).build().unwrap();
    ///     assert!(client.get("http://127.0.0.1:1/").send().is_err());
    /// }
    /// ```
    pub fn https_only(self, enable: bool) -> ClientBuilder {
        self.map(|inner| inner.https_only(enable))
    }
}

/// TLS settings (feature `tls`): https is rustls with ring, trusting the
/// Mozilla roots of `webpki-roots` and the roots added here.
#[cfg(feature = "tls")]
impl ClientBuilder {
    /// Trusts `certificate` as a root too: a private certificate
    /// authority, or a self-signed server certificate.
    ///
    /// ```
    /// use green::http::client::{Certificate, Client};
    ///
    /// let ca = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    /// let root = Certificate::from_pem(ca.cert.pem().as_bytes()).unwrap();
    /// let client = Client::builder().add_root_certificate(root).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn add_root_certificate(self, certificate: reqwest::Certificate) -> ClientBuilder {
        self.map(|inner| inner.add_root_certificate(certificate))
    }

    /// Whether to trust the built-in (Mozilla) roots (on by default): off,
    /// only [added roots](ClientBuilder::add_root_certificate) are trusted.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().tls_built_in_root_certs(false).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn tls_built_in_root_certs(self, enable: bool) -> ClientBuilder {
        self.map(|inner| inner.tls_built_in_root_certs(enable))
    }

    /// Accepts any server certificate, expired, self-signed or for another
    /// name. **Dangerous**: anyone on the path can read and change the
    /// traffic. For tests only.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().danger_accept_invalid_certs(true).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn danger_accept_invalid_certs(self, accept: bool) -> ClientBuilder {
        self.map(|inner| inner.danger_accept_invalid_certs(accept))
    }

    /// Accepts a valid certificate for another name. **Dangerous**, as
    /// [`danger_accept_invalid_certs`](ClientBuilder::danger_accept_invalid_certs).
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// let client = Client::builder().danger_accept_invalid_hostnames(true).build().unwrap();
    /// # drop(client);
    /// ```
    pub fn danger_accept_invalid_hostnames(self, accept: bool) -> ClientBuilder {
        self.map(|inner| inner.danger_accept_invalid_hostnames(accept))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("inner", &self.inner)
            .field("timeout", &self.timeout)
            .finish()
    }
}
