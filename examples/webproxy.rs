//! gevent's `webproxy.py` on green: a web app that fetches other sites for
//! you. `GET /` gives a form; posting a URL to it redirects to
//! `/<url>`; `GET /<url>` fetches that URL with `green::http::client` and
//! answers with the origin's status, headers and bytes, the links of an
//! HTML page rewritten to go through the proxy again. An origin that
//! cannot be reached gives `502 Bad Gateway`.
//!
//! The original is a WSGI app on `pywsgi` calling `urllib2` after
//! `monkey.patch_all()`; here the app is a `#[green]` fn on
//! `green::http::Server` and the fetch is green by itself. Simplified:
//! only quoted `href`/`src`/`action` values are rewritten (the original
//! also rewrites unquoted ones with a second regex), and the error page
//! gives the error, not a traceback.
//!
//! ```text
//! cargo run --example webproxy -- [ADDR]   # default 127.0.0.1:8088
//! ```

use std::io::Result;

use green::http::client::{self, Client};
use green::http::header::{self, HeaderValue};
use green::http::{Body, Method, Request, Response, Server, ServerHandle, StatusCode};

const FORM: &str = "<html><head><title>Web Proxy - green example</title></head><body>
<form action=/ method=post>
Type in the URL you want to visit and press Enter:
<input size=80 name=url value=\"http://www.gevent.org\"/>
</form></body></html>
";

/// Headers not passed on: the server frames the body itself, cookies stay
/// with the origin, and rewritten links change the length.
const DROP_HEADERS: [header::HeaderName; 3] = [
    header::TRANSFER_ENCODING,
    header::SET_COOKIE,
    header::CONTENT_LENGTH,
];

/// A response with `status`, a content type and `body`.
fn answer(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    *response.status_mut() = status;
    let value = HeaderValue::from_static(content_type);
    response.headers_mut().insert(header::CONTENT_TYPE, value);
    response
}

/// The app: `client` is shared by every request (one connection pool).
#[green::green]
pub(crate) fn application(client: Client, req: Request) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let proxy_url = format!("http://{host}/");
    let path = match req.uri().path_and_query() {
        Some(p) => p.as_str().trim_start_matches('/').to_owned(),
        None => String::new(),
    };
    match (req.method().clone(), path.as_str()) {
        (Method::GET, "") => answer(StatusCode::OK, "text/html", FORM),
        (Method::GET, _) => proxy(&client, &path, &proxy_url),
        (Method::POST, "") => {
            let form = req.into_body().text().unwrap_or_default();
            match form.trim().strip_prefix("url=") {
                Some(url) => {
                    let mut found = answer(StatusCode::FOUND, "text/plain", "");
                    let location = join(&proxy_url, &unquote(url));
                    if let Ok(value) = HeaderValue::from_str(&location) {
                        found.headers_mut().insert(header::LOCATION, value);
                    }
                    found
                }
                None => answer(StatusCode::BAD_REQUEST, "text/plain", "expected url=..."),
            }
        }
        (Method::POST, _) => answer(StatusCode::NOT_FOUND, "text/plain", ""),
        _ => answer(StatusCode::NOT_IMPLEMENTED, "text/plain", ""),
    }
}

/// Fetches `target` and answers with what the origin said.
#[green::green]
fn proxy(client: &Client, target: &str, proxy_url: &str) -> Response {
    let url = if target.contains("://") {
        target.to_owned()
    } else {
        format!("http://{target}")
    };
    match fetch(client, &url) {
        Ok((status, headers, body)) => {
            println!("{url}: {status}");
            let is_html = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            let body = if is_html {
                let origin = origin_of(&url);
                fix_links(&String::from_utf8_lossy(&body), proxy_url, &origin).into_bytes()
            } else {
                body
            };
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = status;
            for (name, value) in &headers {
                if !DROP_HEADERS.contains(name) {
                    response.headers_mut().append(name, value.clone());
                }
            }
            response
        }
        Err(e) => {
            eprintln!("error while reading {url}: {e}");
            let page = format!(
                "<h1>{}</h1><h2>{}</h2>",
                escape(&e.to_string()),
                escape(&url)
            );
            answer(StatusCode::BAD_GATEWAY, "text/html", page)
        }
    }
}

/// The origin's status, headers and body; a 4xx or 5xx is passed on as
/// it is, as the original passes on urllib2's `HTTPError`.
#[green::green]
fn fetch(client: &Client, url: &str) -> client::Result<(StatusCode, header::HeaderMap, Vec<u8>)> {
    let response = client.get(url).send()?;
    let (status, headers) = (response.status(), response.headers().clone());
    let body = response.bytes()?;
    Ok((status, headers, body.to_vec()))
}

/// `scheme://host[:port]` of `url`.
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    url[..end].to_owned()
}

/// Joins URL parts with exactly one `/` between each two.
pub(crate) fn join(first: &str, rest: &str) -> String {
    format!(
        "{}/{}",
        first.trim_end_matches('/'),
        rest.trim_start_matches('/')
    )
}

/// Rewrites each quoted `href=`, `src=` and `action=` value in `html` to go
/// through the proxy at `proxy_url`; relative ones are taken as on `origin`.
pub(crate) fn fix_links(html: &str, proxy_url: &str, origin: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let (mut copied, mut from) = (0, 0);
    while let Some((at, name_len)) = next_attribute(&lower, from) {
        let value_at = at + name_len;
        let after_name = &html[value_at..];
        let value_at = value_at + after_name.len() - after_name.trim_start().len();
        let quoted = &html[value_at..];
        let quote = quoted.chars().next().filter(|c| *c == '"' || *c == '\'');
        let end = quote.and_then(|q| quoted[1..].find(q));
        from = value_at;
        if let (Some(q), Some(end)) = (quote, end) {
            let url = &quoted[1..1 + end];
            if !url.starts_with('#') {
                let fixed = if url.contains("://") {
                    join(proxy_url, url)
                } else {
                    join(&join(proxy_url, origin), url)
                };
                out.push_str(&html[copied..value_at]);
                out.push(q);
                out.push_str(&fixed);
                out.push(q);
                copied = value_at + end + 2;
                from = copied;
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Where the next `href=`, `src=` or `action=` at or after `from` in
/// `lower` starts, and its length with any spaces and the `=`.
fn next_attribute(lower: &str, from: usize) -> Option<(usize, usize)> {
    ["href", "src", "action"]
        .iter()
        .filter_map(|name| {
            let mut from = from;
            while let Some(i) = lower[from..].find(name) {
                let at = from + i;
                let tail = &lower[at + name.len()..];
                let spaces = tail.len() - tail.trim_start().len();
                if tail[spaces..].starts_with('=') {
                    return Some((at, name.len() + spaces + 1));
                }
                from = at + name.len();
            }
            None
        })
        .min()
}

/// `%XX` and `+` decoded, as a form sends them.
pub(crate) fn unquote(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some((high, low)), _) => {
                out.push(high * 16 + low);
                i += 2;
            }
            (None, b'+') => out.push(b' '),
            (None, byte) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` safe inside HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Starts the proxy on `addr` in the background.
#[green::green]
pub(crate) fn start(addr: &str) -> Result<ServerHandle> {
    let client = Client::new();
    Server::bind(addr)?.start(move |req| application(client.clone(), req))
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8088".to_owned());
    let server = start(&addr)?;
    println!("serving on http://{}", server.local_addr());
    green::sleep(std::time::Duration::MAX);
    Ok(())
}
