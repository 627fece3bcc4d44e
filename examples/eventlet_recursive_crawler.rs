//! eventlet's `recursive_crawler.py` on green: `fetch` reads a page, and
//! for each new URL on it (containing a given text; the original:
//! `eventlet.net`) spawns another `fetch` into the same `Pool`; the crawl
//! ends when the pool is empty. It looks recursive, but each fetch runs in
//! a green task of its own.
//!
//! Pages are fetched with a plain HTTP/1.0 `GET` on a compat `TcpStream`
//! (green's HTTP client is still to come): `http://` URLs only.
//!
//! ```text
//! cargo run --example eventlet_recursive_crawler -- http://127.0.0.1:8000/ [SCOPE]
//! ```

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::{Error, ErrorKind, Result};
use std::rc::Rc;
use std::time::Duration;

use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;

/// What every fetch of one crawl shares.
#[derive(Debug)]
pub(crate) struct Crawl {
    pub(crate) seen: RefCell<BTreeSet<String>>,
    pub(crate) pool: green::Pool,
    pub(crate) scope: String,
    pub(crate) patience: Duration,
}

/// The body of `url` (`http://host[:port][/path]`), by HTTP/1.0; an
/// error unless the status is 2xx.
#[green::green]
pub(crate) fn get(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, format!("not an http URL: {url}")))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let address = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:80")
    };
    let mut stream = TcpStream::connect(address.as_str())?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    // As urllib2, an answer other than 2xx is an error, not a page.
    let status = head.split(' ').nth(1).unwrap_or("");
    if !status.starts_with('2') {
        let line = head.lines().next().unwrap_or("");
        return Err(Error::other(format!("{url}: {line}")));
    }
    Ok(body.to_owned())
}

/// The `http://` and `https://` URLs in `text`.
pub(crate) fn find_urls(text: &str) -> Vec<String> {
    let ends = |c: char| c.is_whitespace() || "\"'<>()".contains(c);
    let mut urls = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http") {
        let candidate = &rest[start..];
        let len = candidate.find(ends).unwrap_or(candidate.len());
        let url = &candidate[..len];
        if url.starts_with("http://") || url.starts_with("https://") {
            urls.push(url.to_owned());
        }
        rest = &candidate[len.max(4)..];
    }
    urls
}

/// Fetches `url`, marks the new URLs on it seen and spawns a fetch of each
/// into the crawl's pool.
#[green::green]
pub(crate) fn fetch(url: String, crawl: Rc<Crawl>) {
    println!("fetching {url}");
    let page = green::with_timeout(crawl.patience, || get(&url), Ok(String::new()));
    for found in find_urls(&page.unwrap_or_default()) {
        if found.contains(crawl.scope.as_str()) && crawl.seen.borrow_mut().insert(found.clone()) {
            let crawl_too = crawl.clone();
            crawl.pool.spawn(move || fetch(found, crawl_too));
        }
    }
}

/// Crawls from `start`; gives every URL containing `scope` that it saw.
#[green::green]
pub(crate) fn crawl(start: &str, scope: &str, patience: Duration) -> BTreeSet<String> {
    let crawl = Rc::new(Crawl {
        seen: RefCell::new(BTreeSet::from([start.to_owned()])),
        pool: green::Pool::new(1000),
        scope: scope.to_owned(),
        patience,
    });
    fetch(start.to_owned(), crawl.clone());
    crawl.pool.join();
    crawl.seen.take()
}

#[green::main]
fn main() {
    let mut args = std::env::args().skip(1);
    let start = args
        .next()
        .unwrap_or_else(|| "http://eventlet.net".to_owned());
    let scope = args.next().unwrap_or_else(|| "eventlet.net".to_owned());
    let seen = crawl(&start, &scope, Duration::from_secs(5));
    println!("I saw these urls:");
    for url in seen {
        println!("{url}");
    }
}
