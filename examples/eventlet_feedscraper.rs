//! eventlet's `feedscraper.py` on green: a web server that takes a `POST`
//! whose body lists feed URLs, one a line, fetches every feed at once and
//! answers with their titles, one a line, in the order the URLs were
//! given. Any other method gets `403 Forbidden`.
//!
//! As the original, the fetches run in a `Pile` over one `Pool` shared by
//! every request (the pool bounds the fetches of all requests together),
//! and the pile gives the results in spawn order. The fetch is
//! `green::http::client`; the pool, the client and the server are per hub,
//! made in `start`, not module globals.
//!
//! Simplified: the original parses each feed with `feedparser`; here the
//! title is the text of the first `<title>` element (RSS and Atom both put
//! the feed's own title first), with the five predefined XML entities
//! decoded and CDATA unwrapped. A feed that cannot be fetched gives an
//! empty line, as feedparser's missing title does.
//!
//! ```text
//! cargo run --example eventlet_feedscraper -- [ADDR]   # default 127.0.0.1:9010
//! curl --data-binary $'https://blog.rust-lang.org/feed.xml\n' http://127.0.0.1:9010/
//! ```

use std::io::Result;

use green::http::client::{self, Client};
use green::http::header::{CONTENT_TYPE, HeaderValue};
use green::http::{Body, Method, Request, Response, Server, ServerHandle, StatusCode};

/// The title of the feed at `url` (empty if it has none or cannot be
/// fetched).
#[green::green]
pub(crate) fn fetch_title(client: Client, url: String) -> String {
    match fetch_feed(&client, &url) {
        Ok(feed) => title_of(&feed),
        Err(e) => {
            eprintln!("{url}: {e}");
            String::new()
        }
    }
}

/// The feed at `url`, as text.
#[green::green]
fn fetch_feed(client: &Client, url: &str) -> client::Result<String> {
    client.get(url).send()?.error_for_status()?.text()
}

/// The text of the first `<title>` element in `feed`.
pub(crate) fn title_of(feed: &str) -> String {
    let Some(open) = feed.find("<title") else {
        return String::new();
    };
    let Some(start) = feed[open..].find('>').map(|i| open + i + 1) else {
        return String::new();
    };
    if feed[..start].ends_with("/>") {
        return String::new();
    }
    let end = feed[start..]
        .find("</title")
        .map_or(feed.len(), |i| start + i);
    let raw = feed[start..end].trim();
    let text = match raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        Some(cdata) => return cdata.trim().to_owned(),
        None => raw,
    };
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The app: the feeds listed in a `POST` body, fetched in `pool`.
#[green::green]
pub(crate) fn app(pool: green::Pool, client: Client, req: Request) -> Response {
    if req.method() != Method::POST {
        let mut forbidden = Response::new(Body::empty());
        *forbidden.status_mut() = StatusCode::FORBIDDEN;
        return forbidden;
    }
    let urls = req.into_body().text().unwrap_or_default();
    let pile = green::Pile::with_pool(&pool);
    for url in urls.lines().map(str::trim).filter(|url| !url.is_empty()) {
        let (client, url) = (client.clone(), url.to_owned());
        pile.spawn(move || fetch_title(client, url));
    }
    let mut titles = Vec::new();
    while let Some(title) = pile.next() {
        titles.push(title.unwrap_or_default());
    }
    let mut response = Response::new(Body::from(titles.join("\n")));
    let plain = HeaderValue::from_static("text/plain");
    response.headers_mut().insert(CONTENT_TYPE, plain);
    response
}

/// Starts the scraper on `addr` in the background; at most `fetches`
/// feeds are fetched at once, over all requests.
#[green::green]
pub(crate) fn start(addr: &str, fetches: usize) -> Result<ServerHandle> {
    let (pool, client) = (green::Pool::new(fetches), Client::new());
    Server::bind(addr)?.start(move |req| app(pool.clone(), client.clone(), req))
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9010".to_owned());
    let server = start(&addr, 1000)?;
    println!("serving on http://{}", server.local_addr());
    green::sleep(std::time::Duration::MAX);
    Ok(())
}
