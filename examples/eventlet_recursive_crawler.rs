//! eventlet's `recursive_crawler.py` on green: `fetch` reads a page, and
//! for each new URL on it (containing a given text; the original:
//! `eventlet.net`) spawns another `fetch` into the same `Pool`; the crawl
//! ends when the pool is empty. It looks recursive, but each fetch runs in
//! a green task of its own.
//!
//! Pages are fetched with `green::http::client` (the original:
//! `eventlet.green.urllib2`), one `Client` shared by every fetch.
//!
//! ```text
//! cargo run --example eventlet_recursive_crawler -- http://127.0.0.1:8000/ [SCOPE]
//! ```

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::Duration;

use green::http::client::{self, Client};

/// What every fetch of one crawl shares.
#[derive(Debug)]
pub(crate) struct Crawl {
    pub(crate) seen: RefCell<BTreeSet<String>>,
    pub(crate) pool: green::Pool,
    pub(crate) client: Client,
    pub(crate) scope: String,
    pub(crate) patience: Duration,
}

/// The body of `url`; an error unless the status is 2xx (as urllib2,
/// a 404 is not a page).
#[green::green]
pub(crate) fn get(client: &Client, url: &str) -> client::Result<String> {
    client.get(url).send()?.error_for_status()?.text()
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
    let page = green::with_timeout(
        crawl.patience,
        || get(&crawl.client, &url),
        Ok(String::new()),
    );
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
        client: Client::new(),
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
