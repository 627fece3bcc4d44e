//! gevent's `concurrent_download.py` on green: one green task per URL, each
//! downloading its page with `green::http::client` (the original: `urlopen`
//! after `monkey.patch_all()`), then waiting for all of them as
//! `gevent.wait(jobs)` does. Each line gives the URL, the size and the
//! first 50 bytes, in the order the downloads end.
//!
//! No monkey patching: the client's `send` and `bytes` are green, so the
//! downloads overlap on one thread. The tasks share one `Client` (one
//! connection pool).
//!
//! ```text
//! cargo run --example concurrent_download -- [URL ...]
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use green::http::client::{self, Client};

/// What one download gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) url: String,
    pub(crate) len: usize,
    pub(crate) first: Vec<u8>,
}

/// Downloads `url` and gives its size and first 50 bytes.
#[green::green]
pub(crate) fn print_head(client: &Client, url: &str) -> client::Result<Head> {
    let data = client.get(url).send()?.error_for_status()?.bytes()?;
    let head = Head {
        url: url.to_owned(),
        len: data.len(),
        first: data[..data.len().min(50)].to_vec(),
    };
    println!(
        "{}: {} bytes: {:?}",
        head.url,
        head.len,
        String::from_utf8_lossy(&head.first)
    );
    Ok(head)
}

/// One job: downloads `url` and adds what it gave to `done`.
#[green::green]
fn download(client: Client, url: String, done: Rc<RefCell<Vec<Head>>>) {
    match print_head(&client, &url) {
        Ok(head) => done.borrow_mut().push(head),
        Err(e) => eprintln!("{url}: {e}"),
    }
}

/// Downloads every URL at once, one green task each; gives the results in
/// the order the downloads ended (a failed one is printed and left out).
#[green::green]
pub(crate) fn download_all(urls: &[String]) -> Vec<Head> {
    let client = Client::new();
    let done = Rc::new(RefCell::new(Vec::new()));
    let jobs: Vec<_> = urls
        .iter()
        .map(|url| {
            let (client, url, done) = (client.clone(), url.clone(), done.clone());
            green::spawn(move || download(client, url, done))
        })
        .collect();
    green::joinall(jobs);
    done.take()
}

#[green::main]
fn main() {
    let mut urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() {
        urls = [
            "https://www.google.com/",
            "https://www.python.org/",
            "https://www.rust-lang.org/",
        ]
        .map(String::from)
        .to_vec();
    }
    download_all(&urls);
}
