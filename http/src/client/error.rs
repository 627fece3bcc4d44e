//! `Error`: what a request, a response body or a client's settings fail
//! with, with reqwest's predicates.

use core::fmt;
use std::error::Error as StdError;
use std::io;

use http::StatusCode;
use reqwest::Url;

/// A `Result` whose error is the client's [`Error`], as `reqwest::Result`.
///
/// ```
/// use green::http::client::{self, Client};
///
/// fn make() -> client::Result<Client> {
///     Client::builder().build()
/// }
/// assert!(make().is_ok());
/// ```
pub type Result<T> = core::result::Result<T, Error>;

/// The error of the client: a bad URL or setting, a connection that failed,
/// a timeout, a redirect loop, a body that could not be read or decoded, or
/// (from [`Response::error_for_status`](super::Response::error_for_status)) a
/// status 4xx or 5xx.
///
/// It answers reqwest's questions ([`is_timeout`](Error::is_timeout),
/// [`is_connect`](Error::is_connect), [`is_status`](Error::is_status),
/// [`status`](Error::status), [`url`](Error::url), ..) the way
/// `reqwest::Error` answers them under `reqwest::blocking`, and its
/// `Display` and `source()` are reqwest's. An error of async reqwest
/// converts into it (`?` on `reqwest::Certificate::from_pem(..)` works).
///
/// ```
/// use green::http::client;
///
/// #[green::main]
/// fn main() {
///     // Bad URLs are errors, never panics.
///     let err = client::get("not a url").unwrap_err();
///     assert!(err.is_builder());
///     assert!(!err.is_timeout() && !err.is_connect());
/// }
/// ```
pub struct Error {
    repr: Repr,
}

enum Repr {
    /// An error async reqwest gave.
    Reqwest(reqwest::Error),
    /// An error found here: a deadline of `reqwest::blocking`'s, a body that
    /// is not the JSON asked for, a status 4xx or 5xx.
    Local(Box<Local>),
}

struct Local {
    kind: Kind,
    url: Option<Url>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

#[derive(Clone, Copy)]
enum Kind {
    /// Sending the request or waiting for the response's head.
    Request,
    /// Reading or decoding the response's body.
    Decode,
    /// `error_for_status`.
    Status(StatusCode),
}

/// The source of a timeout found here (what reqwest calls it too).
#[derive(Debug)]
struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("operation timed out")
    }
}

impl StdError for TimedOut {}

impl Error {
    fn local(
        kind: Kind,
        url: Option<Url>,
        source: Option<Box<dyn StdError + Send + Sync>>,
    ) -> Error {
        Error {
            repr: Repr::Local(Box::new(Local { kind, url, source })),
        }
    }

    /// The request's deadline passed before the response's head came.
    pub(super) fn request_timeout(url: Option<Url>) -> Error {
        Error::local(Kind::Request, url, Some(Box::new(TimedOut)))
    }

    /// A body operation's deadline passed.
    pub(super) fn body_timeout(url: Option<Url>) -> Error {
        Error::local(Kind::Decode, url, Some(Box::new(TimedOut)))
    }

    /// Reading or decoding the body failed (or, in `copy_to`, writing it).
    pub(super) fn decode(
        url: Option<Url>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Error {
        Error::local(Kind::Decode, url, Some(source.into()))
    }

    /// `error_for_status` on a 4xx or 5xx.
    pub(super) fn status_code(url: Option<Url>, status: StatusCode) -> Error {
        Error::local(Kind::Status(status), url, None)
    }

    /// The error as an `io::Error` for compat's `Read`: kind `TimedOut`
    /// for a timeout, `Other` else, holding this error.
    pub(super) fn into_io(self) -> io::Error {
        let kind = if self.is_timeout() {
            io::ErrorKind::TimedOut
        } else {
            io::ErrorKind::Other
        };
        io::Error::new(kind, self)
    }

    /// The URL the error is about, if any.
    ///
    /// ```
    /// use green::http::client::Client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let listener = green::compat::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let url = format!("http://{}/", listener.local_addr().unwrap());
    ///     drop(listener); // nobody listens there now
    ///     let err = Client::new().get(&url).send().unwrap_err();
    ///     assert_eq!(err.url().map(|u| u.as_str()), Some(url.as_str()));
    /// }
    /// ```
    pub fn url(&self) -> Option<&Url> {
        match &self.repr {
            Repr::Reqwest(err) => err.url(),
            Repr::Local(local) => local.url.as_ref(),
        }
    }

    /// The URL the error is about, to change it (to strip a secret from it
    /// before logging, say).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut err = client::get("http://127.0.0.1:1/?token=secret").unwrap_err();
    ///     if let Some(url) = err.url_mut() {
    ///         url.set_query(None);
    ///     }
    ///     assert_eq!(err.url().unwrap().as_str(), "http://127.0.0.1:1/");
    /// }
    /// ```
    pub fn url_mut(&mut self) -> Option<&mut Url> {
        match &mut self.repr {
            Repr::Reqwest(err) => err.url_mut(),
            Repr::Local(local) => local.url.as_mut(),
        }
    }

    /// The error with `url` as its URL.
    ///
    /// ```
    /// use green::http::client::{self, Url};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let err = client::get("http://127.0.0.1:1/").unwrap_err();
    ///     let other = Url::parse("http://example.com/").unwrap();
    ///     assert_eq!(err.with_url(other.clone()).url(), Some(&other));
    /// }
    /// ```
    pub fn with_url(self, url: Url) -> Error {
        match self.repr {
            Repr::Reqwest(err) => Error::from(err.with_url(url)),
            Repr::Local(mut local) => {
                local.url = Some(url);
                Error {
                    repr: Repr::Local(local),
                }
            }
        }
    }

    /// The error without its URL (which may hold a secret).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let err = client::get("http://127.0.0.1:1/").unwrap_err();
    ///     assert!(err.without_url().url().is_none());
    /// }
    /// ```
    pub fn without_url(self) -> Error {
        match self.repr {
            Repr::Reqwest(err) => Error::from(err.without_url()),
            Repr::Local(mut local) => {
                local.url = None;
                Error {
                    repr: Repr::Local(local),
                }
            }
        }
    }

    /// Whether the error is a bad URL or setting, found before anything
    /// was sent.
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(client::get("127.0.0.1 without a scheme").unwrap_err().is_builder());
    /// }
    /// ```
    pub fn is_builder(&self) -> bool {
        matches!(&self.repr, Repr::Reqwest(err) if err.is_builder())
    }

    /// Whether the error is a redirect policy's: too many redirects, a
    /// loop, or a policy's own error.
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let err = client::get("http://127.0.0.1:1/").unwrap_err();
    ///     assert!(!err.is_redirect());
    /// }
    /// ```
    pub fn is_redirect(&self) -> bool {
        matches!(&self.repr, Repr::Reqwest(err) if err.is_redirect())
    }

    /// Whether the error comes from
    /// [`error_for_status`](super::Response::error_for_status).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(!client::get("http://127.0.0.1:1/").unwrap_err().is_status());
    /// }
    /// ```
    pub fn is_status(&self) -> bool {
        match &self.repr {
            Repr::Reqwest(err) => err.is_status(),
            Repr::Local(local) => matches!(local.kind, Kind::Status(_)),
        }
    }

    /// Whether a deadline passed: the client's or the request's
    /// [`timeout`](super::ClientBuilder::timeout), or the
    /// [`connect_timeout`](super::ClientBuilder::connect_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::http::client::Client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     // A listener that never answers.
    ///     let listener = green::compat::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let url = format!("http://{}/", listener.local_addr().unwrap());
    ///     let client = Client::builder().timeout(Duration::from_millis(50)).build().unwrap();
    ///     assert!(client.get(&url).send().unwrap_err().is_timeout());
    /// }
    /// ```
    pub fn is_timeout(&self) -> bool {
        let mut source: Option<&(dyn StdError + 'static)> = match &self.repr {
            Repr::Reqwest(err) => return err.is_timeout(),
            Repr::Local(local) => local.source.as_deref().map(|s| s as _),
        };
        while let Some(err) = source {
            if err.is::<TimedOut>()
                || err
                    .downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut)
                || err
                    .downcast_ref::<reqwest::Error>()
                    .is_some_and(reqwest::Error::is_timeout)
            {
                return true;
            }
            source = err.source();
        }
        false
    }

    /// Whether sending the request failed (a timeout before the response's
    /// head counts too).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(client::get("http://127.0.0.1:1/").unwrap_err().is_request());
    /// }
    /// ```
    pub fn is_request(&self) -> bool {
        match &self.repr {
            Repr::Reqwest(err) => err.is_request(),
            Repr::Local(local) => matches!(local.kind, Kind::Request),
        }
    }

    /// Whether connecting failed (refused, unreachable, the TLS handshake,
    /// the connect timeout).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let listener = green::compat::net::TcpListener::bind("127.0.0.1:0").unwrap();
    ///     let url = format!("http://{}/", listener.local_addr().unwrap());
    ///     drop(listener);
    ///     assert!(client::get(&url).unwrap_err().is_connect());
    /// }
    /// ```
    pub fn is_connect(&self) -> bool {
        matches!(&self.repr, Repr::Reqwest(err) if err.is_connect())
    }

    /// Whether a request or response body failed.
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(!client::get("http://127.0.0.1:1/").unwrap_err().is_body());
    /// }
    /// ```
    pub fn is_body(&self) -> bool {
        matches!(&self.repr, Repr::Reqwest(err) if err.is_body())
    }

    /// Whether reading or decoding the response body failed (a body that
    /// is not the JSON asked for, a connection lost mid-body, a body
    /// deadline).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(!client::get("http://127.0.0.1:1/").unwrap_err().is_decode());
    /// }
    /// ```
    pub fn is_decode(&self) -> bool {
        match &self.repr {
            Repr::Reqwest(err) => err.is_decode(),
            Repr::Local(local) => matches!(local.kind, Kind::Decode),
        }
    }

    /// The status of an error from
    /// [`error_for_status`](super::Response::error_for_status).
    ///
    /// ```
    /// use green::http::client;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert_eq!(client::get("http://127.0.0.1:1/").unwrap_err().status(), None);
    /// }
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match &self.repr {
            Repr::Reqwest(err) => err.status(),
            Repr::Local(local) => match local.kind {
                Kind::Status(status) => Some(status),
                Kind::Request | Kind::Decode => None,
            },
        }
    }
}

impl From<reqwest::Error> for Error {
    /// An error of async reqwest (`reqwest::Certificate::from_pem`, ..).
    fn from(err: reqwest::Error) -> Error {
        Error {
            repr: Repr::Reqwest(err),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = match &self.repr {
            Repr::Reqwest(err) => return fmt::Display::fmt(err, f),
            Repr::Local(local) => local,
        };
        match local.kind {
            Kind::Request => f.write_str("error sending request")?,
            Kind::Decode => f.write_str("error decoding response body")?,
            Kind::Status(status) => {
                let side = if status.is_client_error() {
                    "client"
                } else {
                    "server"
                };
                write!(f, "HTTP status {side} error ({status})")?;
            }
        }
        if let Some(url) = &local.url {
            write!(f, " for url ({url})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = match &self.repr {
            Repr::Reqwest(err) => return fmt::Debug::fmt(err, f),
            Repr::Local(local) => local,
        };
        let mut out = f.debug_struct("green::http::client::Error");
        match local.kind {
            Kind::Request => out.field("kind", &"Request"),
            Kind::Decode => out.field("kind", &"Decode"),
            Kind::Status(status) => out.field("kind", &status),
        };
        if let Some(url) = &local.url {
            out.field("url", &url.as_str());
        }
        if let Some(source) = &local.source {
            out.field("source", source);
        }
        out.finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.repr {
            Repr::Reqwest(err) => err.source(),
            Repr::Local(local) => local.source.as_deref().map(|s| s as _),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Option<Url> {
        Url::parse("http://127.0.0.1/x").ok()
    }

    #[test]
    fn local_timeouts_are_timeouts_of_their_phase() {
        let sending = Error::request_timeout(url());
        assert!(sending.is_timeout() && sending.is_request() && !sending.is_decode());
        assert_eq!(
            sending.to_string(),
            "error sending request for url (http://127.0.0.1/x)"
        );
        let reading = Error::body_timeout(None);
        assert!(reading.is_timeout() && reading.is_decode() && !reading.is_request());
        assert_eq!(reading.source().unwrap().to_string(), "operation timed out");
    }

    #[test]
    fn status_errors_say_the_side() {
        let err = Error::status_code(url(), StatusCode::NOT_FOUND);
        assert!(err.is_status() && !err.is_timeout());
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert_eq!(
            err.to_string(),
            "HTTP status client error (404 Not Found) for url (http://127.0.0.1/x)"
        );
        let err = Error::status_code(None, StatusCode::BAD_GATEWAY);
        assert_eq!(
            err.to_string(),
            "HTTP status server error (502 Bad Gateway)"
        );
    }

    #[test]
    fn timeouts_become_timed_out_io_errors() {
        let io = Error::body_timeout(url()).into_io();
        assert_eq!(io.kind(), io::ErrorKind::TimedOut);
        let inner = io.get_ref().and_then(|e| e.downcast_ref::<Error>());
        assert!(inner.is_some_and(Error::is_timeout));
        let other = Error::decode(None, io::Error::from(io::ErrorKind::BrokenPipe)).into_io();
        assert_eq!(other.kind(), io::ErrorKind::Other);
    }
}
