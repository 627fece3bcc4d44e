//! eventlet's `producer_consumer.py` on green: a crawler where `fetch`
//! produces the URLs it finds into a `Queue` and the producer loop hands
//! each new one to a `Pool`, which does the fetching concurrently. It
//! stays within URLs containing a given text (the original: `eventlet.net`)
//! and gives the set of URLs it saw.
//!
//! Pages are fetched with `green::http::client` (the original:
//! `eventlet.green.urllib2`), one `Client` shared by every fetch.
//!
//! ```text
//! cargo run --example eventlet_producer_consumer -- http://127.0.0.1:8000/ [SCOPE]
//! ```

use std::collections::BTreeSet;
use std::time::Duration;

use green::Queue;
use green::http::client::{self, Client};

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

/// Fetches `url` (giving up after `patience`) and puts every URL found on
/// the page into `out`.
#[green::green]
pub(crate) fn fetch(client: Client, url: String, out: Queue<String>, patience: Duration) {
    println!("fetching {url}");
    // eventlet.Timeout(5, False): a page that takes too long counts as empty.
    let page = green::with_timeout(patience, || get(&client, &url), Ok(String::new()));
    for found in find_urls(&page.unwrap_or_default()) {
        out.put(found).expect("the queue is never closed");
    }
}

/// Crawls from `start`, following URLs that contain `scope`, each fetched
/// once; gives every such URL seen.
#[green::green]
pub(crate) fn producer(start: &str, scope: &str, patience: Duration) -> BTreeSet<String> {
    let pool = green::Pool::new(1000);
    let client = Client::new();
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
                let (client, out) = (client.clone(), queue.clone());
                pool.spawn(move || fetch(client, url, out, patience));
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
