//! eventlet's `webcrawler.py` on green: fetch a list of URLs through a
//! `Pool` (`GreenPool(200)` in the original), so that no more than the
//! pool's size are open at once. Each fetch prints `opening` and `done
//! with` as it goes, which shows the fetches overlap; `imap` then gives
//! the bodies in the order the URLs were listed, and each size is printed.
//!
//! Fetches go through one shared `green::http::client::Client` (the
//! original: `eventlet.green.urllib2`).
//!
//! ```text
//! cargo run --example eventlet_webcrawler -- [URL ...]
//! ```

use green::http::client::{self, Client};

/// Fetches `url`: the URL and its body.
#[green::green]
pub(crate) fn fetch(client: Client, url: String) -> client::Result<(String, Vec<u8>)> {
    println!("opening {url}");
    let body = client
        .get(url.as_str())
        .send()?
        .error_for_status()?
        .bytes()?;
    println!("done with {url}");
    Ok((url, body.to_vec()))
}

/// Fetches every URL, at most `size` at once; gives each URL with the
/// length of its body (or the error), in the order given.
#[green::green]
pub(crate) fn crawl(urls: Vec<String>, size: usize) -> Vec<(String, Result<usize, String>)> {
    let client = Client::new();
    let pool = green::Pool::new(size);
    let mut bodies = pool.imap(move |url| fetch(client.clone(), url), urls.clone());
    let mut lengths = Vec::new();
    for url in urls {
        let outcome = match bodies.next() {
            Some(Ok(Ok((_, body)))) => {
                println!("got body from {url} of length {}", body.len());
                Ok(body.len())
            }
            Some(Ok(Err(e))) => {
                println!("failed {url}: {e}");
                Err(e.to_string())
            }
            Some(Err(e)) => Err(e.to_string()),
            None => Err("no result".to_owned()),
        };
        lengths.push((url, outcome));
    }
    lengths
}

#[green::main]
fn main() {
    let mut urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() {
        urls = [
            "https://www.rust-lang.org/static/images/rust-logo-blk.svg",
            "https://www.python.org/static/img/python-logo.png",
            "https://eventlet.readthedocs.io/",
        ]
        .map(String::from)
        .to_vec();
    }
    crawl(urls, 200);
}
