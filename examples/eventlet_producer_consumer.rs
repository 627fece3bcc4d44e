//! eventlet's `producer_consumer.py` on green: a crawler where `fetch`
//! produces the URLs it finds into a `Queue` and the producer loop hands
//! each new one to a `Pool`, which does the fetching concurrently. It
//! stays within URLs containing a given text (the original: `eventlet.net`)
//! and gives the set of URLs it saw.
//!
//! green has no HTTP client yet (it is planned as `green::http::client`),
//! so pages are fetched with a plain HTTP/1.0 `GET` on a compat
//! `TcpStream`: `http://` URLs only.
//!
//! ```text
//! cargo run --example eventlet_producer_consumer -- http://127.0.0.1:8000/ [SCOPE]
//! ```

use std::collections::BTreeSet;
use std::io::{Error, ErrorKind, Result};
use std::time::Duration;

use green::Queue;
use green::compat::io::{Read, Write};
use green::compat::net::TcpStream;

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

/// Fetches `url` (giving up after `patience`) and puts every URL found on
/// the page into `out`.
#[green::green]
pub(crate) fn fetch(url: String, out: Queue<String>, patience: Duration) {
    println!("fetching {url}");
    // eventlet.Timeout(5, False): a page that takes too long counts as empty.
    let page = green::with_timeout(patience, || get(&url), Ok(String::new()));
    for found in find_urls(&page.unwrap_or_default()) {
        out.put(found).expect("the queue is never closed");
    }
}

/// Crawls from `start`, following URLs that contain `scope`, each fetched
/// once; gives every such URL seen.
#[green::green]
pub(crate) fn producer(start: &str, scope: &str, patience: Duration) -> BTreeSet<String> {
    let pool = green::Pool::new(1000);
    let mut seen = BTreeSet::new();
    let queue = Queue::new();
    queue
        .put(start.to_owned())
        .expect("the queue is never closed");
    // Go on while there are new URLs, or fetches that may produce more.
    loop {
        while let Ok(url) = queue.try_get() {
            if !seen.contains(&url) && url.contains(scope) {
                seen.insert(url.clone());
                let out = queue.clone();
                pool.spawn(move || fetch(url, out, patience));
            }
        }
        pool.join();
        if queue.is_empty() {
            return seen;
        }
    }
}

#[green::main]
fn main() {
    let mut args = std::env::args().skip(1);
    let start = args
        .next()
        .unwrap_or_else(|| "http://eventlet.net".to_owned());
    let scope = args.next().unwrap_or_else(|| "eventlet.net".to_owned());
    let seen = producer(&start, &scope, Duration::from_secs(5));
    println!("I saw these urls:");
    for url in seen {
        println!("{url}");
    }
}
