//! Whether an HTTP request is a WebSocket opening handshake (RFC 6455,
//! section 4.2.1), for [`upgrade`](crate::upgrade): the accept key when it
//! is, the answer that refuses it when it is not.

use green_http::header::{self, HeaderMap, HeaderValue};
use green_http::{Body, Method, Request, Response, StatusCode, Version};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// The only version of the protocol there is (RFC 6455's).
const VERSION: &str = "13";

/// Why a request is not a WebSocket handshake, and how it is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    status: StatusCode,
    why: &'static str,
}

impl Refusal {
    /// The answer: `why` as plain text, with the headers its status calls
    /// for (RFC 9110 section 15.5.22 for 426, RFC 6455 section 4.4 for the
    /// version).
    pub(crate) fn into_response(self) -> Response {
        let mut response = Response::new(Body::from(self.why));
        *response.status_mut() = self.status;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            headers.insert(header::ALLOW, HeaderValue::from_static("GET"));
        }
        if self.status == StatusCode::UPGRADE_REQUIRED {
            headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
            headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
            headers.insert(
                header::SEC_WEBSOCKET_VERSION,
                HeaderValue::from_static(VERSION),
            );
        }
        response
    }
}

/// Checks `req`: `Ok` with the `Sec-WebSocket-Accept` value, or why it is
/// refused.
pub(crate) fn check(req: &Request) -> Result<HeaderValue, Refusal> {
    if req.version() >= Version::HTTP_2 {
        // Browsers try WebSocket over HTTP/2 (RFC 8441's extended CONNECT)
        // only when the server offers it in its SETTINGS; green's does not,
        // so this is a client that asked for the route by HTTP/2 directly.
        return Err(refuse(
            StatusCode::HTTP_VERSION_NOT_SUPPORTED,
            "WebSocket over HTTP/2 (RFC 8441) is not supported: connect with HTTP/1.1",
        ));
    }
    if req.method() != Method::GET {
        return Err(refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "a WebSocket handshake is a GET request",
        ));
    }
    let headers = req.headers();
    if !has_token(headers, &header::UPGRADE, "websocket") {
        return Err(refuse(
            StatusCode::UPGRADE_REQUIRED,
            "this resource speaks WebSocket: ask for `Upgrade: websocket`",
        ));
    }
    if req.version() < Version::HTTP_11 {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "a WebSocket handshake needs HTTP/1.1",
        ));
    }
    if !has_token(headers, &header::CONNECTION, "upgrade") {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "a WebSocket handshake needs `Connection: upgrade`",
        ));
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .map(HeaderValue::as_bytes)
        != Some(VERSION.as_bytes())
    {
        return Err(refuse(
            StatusCode::UPGRADE_REQUIRED,
            "unsupported or missing Sec-WebSocket-Version: this server speaks version 13",
        ));
    }
    let mut keys = headers.get_all(header::SEC_WEBSOCKET_KEY).iter();
    match (keys.next(), keys.next()) {
        (Some(key), None) if is_key(key.as_bytes()) => {
            let accept = derive_accept_key(key.as_bytes());
            Ok(HeaderValue::try_from(accept).expect("base64 is a valid header value"))
        }
        _ => Err(refuse(
            StatusCode::BAD_REQUEST,
            "a WebSocket handshake needs one Sec-WebSocket-Key: 16 bytes in base64",
        )),
    }
}

/// Whether `name`'s values, as comma-separated lists, hold `token` (in any
/// case). Firefox sends `Connection: keep-alive, Upgrade`.
fn has_token(headers: &HeaderMap, name: &header::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|value| {
        value.to_str().is_ok_and(|list| {
            list.split(',')
                .any(|t| t.trim().eq_ignore_ascii_case(token))
        })
    })
}

/// Whether `key` is 16 bytes in base64: 22 characters of the alphabet and
/// `==`.
fn is_key(key: &[u8]) -> bool {
    key.len() == 24
        && key.ends_with(b"==")
        && key[..22]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

fn refuse(status: StatusCode, why: &'static str) -> Refusal {
    Refusal { status, why }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid handshake as a browser sends it (RFC 6455's example key).
    fn handshake() -> Request {
        let mut req = Request::new(Body::empty());
        *req.version_mut() = Version::HTTP_11;
        let headers = req.headers_mut();
        headers.insert(header::HOST, "example.com".parse().unwrap());
        headers.insert(header::UPGRADE, "websocket".parse().unwrap());
        headers.insert(header::CONNECTION, "keep-alive, Upgrade".parse().unwrap());
        headers.insert(header::SEC_WEBSOCKET_VERSION, "13".parse().unwrap());
        headers.insert(
            header::SEC_WEBSOCKET_KEY,
            "dGhlIHNhbXBsZSBub25jZQ==".parse().unwrap(),
        );
        req
    }

    fn refused(req: &Request) -> (StatusCode, HeaderMap) {
        let refusal = check(req).expect_err("should be refused").into_response();
        (refusal.status(), refusal.headers().clone())
    }

    #[test]
    fn accepts_a_browser_handshake_with_the_rfc_accept_key() {
        assert_eq!(check(&handshake()).unwrap(), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        let mut upper = handshake();
        upper
            .headers_mut()
            .insert(header::UPGRADE, "WebSocket".parse().unwrap());
        assert!(check(&upper).is_ok());
    }

    #[test]
    fn a_plain_get_gets_426_naming_websocket() {
        let mut req = handshake();
        req.headers_mut().remove(header::UPGRADE);
        let (status, headers) = refused(&req);
        assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
        assert_eq!(headers[header::UPGRADE], "websocket");

        req.headers_mut()
            .insert(header::UPGRADE, "h2c".parse().unwrap());
        assert_eq!(refused(&req).0, StatusCode::UPGRADE_REQUIRED);
    }

    #[test]
    fn other_versions_get_426_naming_13() {
        let mut req = handshake();
        req.headers_mut()
            .insert(header::SEC_WEBSOCKET_VERSION, "8".parse().unwrap());
        let (status, headers) = refused(&req);
        assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
        assert_eq!(headers[header::SEC_WEBSOCKET_VERSION], "13");
        req.headers_mut().remove(header::SEC_WEBSOCKET_VERSION);
        assert_eq!(refused(&req).0, StatusCode::UPGRADE_REQUIRED);
    }

    #[test]
    fn malformed_handshakes_get_400() {
        let mut no_connection = handshake();
        no_connection.headers_mut().remove(header::CONNECTION);
        assert_eq!(refused(&no_connection).0, StatusCode::BAD_REQUEST);

        let mut no_key = handshake();
        no_key.headers_mut().remove(header::SEC_WEBSOCKET_KEY);
        assert_eq!(refused(&no_key).0, StatusCode::BAD_REQUEST);

        for bad in [
            "short==",
            "dGhlIHNhbXBsZSBub25jZQ",
            "dGhlIHNhbXBsZSBub25j!Q==",
        ] {
            let mut req = handshake();
            req.headers_mut()
                .insert(header::SEC_WEBSOCKET_KEY, bad.parse().unwrap());
            assert_eq!(refused(&req).0, StatusCode::BAD_REQUEST, "{bad}");
        }

        let mut two_keys = handshake();
        two_keys.headers_mut().append(
            header::SEC_WEBSOCKET_KEY,
            "AAAAAAAAAAAAAAAAAAAAAA==".parse().unwrap(),
        );
        assert_eq!(refused(&two_keys).0, StatusCode::BAD_REQUEST);

        let mut http10 = handshake();
        *http10.version_mut() = Version::HTTP_10;
        assert_eq!(refused(&http10).0, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn other_methods_get_405_and_http2_gets_505() {
        let mut post = handshake();
        *post.method_mut() = Method::POST;
        let (status, headers) = refused(&post);
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(headers[header::ALLOW], "GET");

        let mut h2 = handshake();
        *h2.version_mut() = Version::HTTP_2;
        assert_eq!(refused(&h2).0, StatusCode::HTTP_VERSION_NOT_SUPPORTED);
    }
}
