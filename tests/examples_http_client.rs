//! The ports of the examples that fetch with `green::http::client` (gevent's
//! `concurrent_download.py` and `webproxy.py`, eventlet's `webcrawler.py`
//! and `feedscraper.py`), each included as a module and driven against a
//! small site served by `green::http::Server` on 127.0.0.1: the bytes,
//! statuses and order each original gives.

#[path = "../examples/concurrent_download.rs"]
#[allow(dead_code)]
mod concurrent_download;

#[path = "../examples/webproxy.rs"]
#[allow(dead_code)]
mod webproxy;

#[path = "../examples/eventlet_webcrawler.rs"]
#[allow(dead_code)]
mod eventlet_webcrawler;

#[path = "../examples/eventlet_feedscraper.rs"]
#[allow(dead_code)]
mod eventlet_feedscraper;

use std::time::{Duration, Instant};

use green::http::client::{Client, redirect};
use green::http::header::{CONTENT_TYPE, HeaderValue, LOCATION};
use green::http::{Body, Request, Response, Server, ServerHandle, StatusCode};

/// How long `/slow` takes to answer.
const SLOW: Duration = Duration::from_millis(500);

/// 100,000 bytes that are not all alike.
fn big() -> Vec<u8> {
    (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect()
}

fn page(content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = Response::new(body.into());
    let value = HeaderValue::from_static(content_type);
    response.headers_mut().insert(CONTENT_TYPE, value);
    response
}

/// The origin site.
#[green::green]
fn origin(req: Request) -> Response {
    match req.uri().path() {
        "/small" => page("text/plain", "a small page"),
        "/big" => page("application/octet-stream", big()),
        "/slow" => {
            green::sleep(SLOW);
            page("text/plain", "slow, but here")
        }
        "/page.html" => page(
            "text/html",
            "<a href=\"/small\">s</a> <img src='http://else.invalid/i.png'> \
             <a HREF = \"#top\">t</a> <form action=\"rel/x\"></form> src=bare",
        ),
        "/rss.xml" => page(
            "application/rss+xml",
            "<?xml version=\"1.0\"?><rss><channel><title>First &amp; Best</title>\
             <item><title>an item</title></item></channel></rss>",
        ),
        "/atom.xml" => page(
            "application/atom+xml",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title type=\"text\"><![CDATA[Second <feed>]]></title></feed>",
        ),
        _ => {
            let mut missing = page("text/plain", "nothing here");
            *missing.status_mut() = StatusCode::NOT_FOUND;
            missing
        }
    }
}

#[green::green]
fn start_origin() -> (ServerHandle, String) {
    let server = Server::bind("127.0.0.1:0").unwrap().start(origin).unwrap();
    let base = format!("http://{}", server.local_addr());
    (server, base)
}

/// An address on 127.0.0.1 where nothing listens.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

// ---- concurrent_download ------------------------------------------------

#[green::test]
fn concurrent_download_fetches_all_at_once_and_reports_each_as_it_ends() {
    let (server, base) = start_origin();
    let urls: Vec<String> = ["/slow", "/small", "/missing", "/big", "/slow"]
        .iter()
        .map(|path| format!("{base}{path}"))
        .collect();
    let start = Instant::now();
    let heads = concurrent_download::download_all(&urls);
    let took = start.elapsed();
    // The 404 is left out; the quick pages end before the slow ones.
    let order: Vec<&str> = heads.iter().map(|h| &h.url[base.len()..]).collect();
    assert_eq!(order.len(), 4, "{order:?}");
    let mut quick = order[..2].to_vec();
    quick.sort();
    assert_eq!(quick, ["/big", "/small"]);
    assert_eq!(order[2..], ["/slow", "/slow"]);
    let small = heads.iter().find(|h| h.url.ends_with("/small")).unwrap();
    assert_eq!((small.len, &small.first[..]), (12, &b"a small page"[..]));
    let whole = heads.iter().find(|h| h.url.ends_with("/big")).unwrap();
    assert_eq!((whole.len, &whole.first[..]), (100_000, &big()[..50]));
    // Two slow pages at once take one wait, not two.
    assert!(took >= SLOW, "{took:?}");
    assert!(took < SLOW * 2, "{took:?}");
    server.stop(Duration::ZERO);
}

// ---- webcrawler --------------------------------------------------------

#[green::test]
fn eventlet_webcrawler_gives_sizes_in_the_order_listed() {
    let (server, base) = start_origin();
    let urls: Vec<String> = ["/slow", "/big", "/missing", "/small"]
        .iter()
        .map(|path| format!("{base}{path}"))
        .collect();
    let sizes = eventlet_webcrawler::crawl(urls.clone(), 200);
    let got: Vec<(&str, Result<usize, bool>)> = sizes
        .iter()
        .map(|(url, size)| {
            (
                &url[base.len()..],
                size.clone().map_err(|e| e.contains("404")),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("/slow", Ok(14)),
            ("/big", Ok(100_000)),
            ("/missing", Err(true)),
            ("/small", Ok(12)),
        ]
    );
    server.stop(Duration::ZERO);
}

#[green::test]
fn eventlet_webcrawler_pool_bounds_the_fetches_open_at_once() {
    let (server, base) = start_origin();
    let urls = vec![format!("{base}/slow"); 4];
    let start = Instant::now();
    let sizes = eventlet_webcrawler::crawl(urls.clone(), 2);
    let took = start.elapsed();
    assert!(sizes.iter().all(|(_, size)| *size == Ok(14)), "{sizes:?}");
    // Four slow fetches two at a time: two waits, not one, not four.
    assert!(took >= SLOW * 2, "{took:?}");
    assert!(took < SLOW * 4, "{took:?}");
    server.stop(Duration::ZERO);
}

// ---- webproxy ----------------------------------------------------------

#[green::test]
fn webproxy_passes_on_the_origins_bytes_status_and_type() {
    let (origin, base) = start_origin();
    let proxy = webproxy::start("127.0.0.1:0").unwrap();
    let via = format!("http://{}", proxy.local_addr());
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let response = client.get(format!("{via}/{base}/big")).send().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers().get(CONTENT_TYPE).unwrap();
    assert_eq!(content_type, "application/octet-stream");
    assert_eq!(response.bytes().unwrap(), big());

    // Without a scheme, http:// is meant; a 404 comes through as a 404.
    let bare = &base["http://".len()..];
    let response = client.get(format!("{via}/{bare}/missing")).send().unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.text().unwrap(), "nothing here");

    // Links on an HTML page go through the proxy again.
    let html = client
        .get(format!("{via}/{base}/page.html"))
        .send()
        .unwrap();
    assert_eq!(
        html.text().unwrap(),
        format!(
            "<a href=\"{via}/{base}/small\">s</a> <img src='{via}/http://else.invalid/i.png'> \
             <a HREF = \"#top\">t</a> <form action=\"{via}/{base}/rel/x\"></form> src=bare"
        )
    );
    origin.stop(Duration::ZERO);
    proxy.stop(Duration::ZERO);
}

#[green::test]
fn webproxy_form_redirects_and_errors() {
    let proxy = webproxy::start("127.0.0.1:0").unwrap();
    let via = format!("http://{}", proxy.local_addr());
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let form = client
        .get(format!("{via}/"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(form.contains("<form action=/ method=post>"), "{form}");

    let posted = client
        .post(format!("{via}/"))
        .body("url=http%3A%2F%2Fexample.invalid%2Fa+b")
        .send()
        .unwrap();
    assert_eq!(posted.status(), StatusCode::FOUND);
    let location = posted.headers().get(LOCATION).unwrap();
    assert_eq!(location, &format!("{via}/http://example.invalid/a b"));

    let gone = client
        .get(format!("{via}/http://{}/x", closed_port()))
        .send()
        .unwrap();
    assert_eq!(gone.status(), StatusCode::BAD_GATEWAY);
    assert!(gone.text().unwrap().starts_with("<h1>"));

    let put = client.put(format!("{via}/x")).send().unwrap();
    assert_eq!(put.status(), StatusCode::NOT_IMPLEMENTED);
    proxy.stop(Duration::ZERO);
}

#[test]
fn webproxy_unquotes_form_values() {
    assert_eq!(webproxy::unquote("a%2Fb+c%zz%4"), "a/b c%zz%4");
    assert_eq!(webproxy::join("http://p/", "/x"), "http://p/x");
}

// ---- feedscraper -------------------------------------------------------

#[green::test]
fn eventlet_feedscraper_answers_titles_in_the_order_posted() {
    let (origin, base) = start_origin();
    let scraper = eventlet_feedscraper::start("127.0.0.1:0", 10).unwrap();
    let url = format!("http://{}/", scraper.local_addr());
    let client = Client::new();
    let posted = format!("{base}/slow\n{base}/rss.xml\n\n  {base}/missing\n{base}/atom.xml\n");
    let response = client.post(url.as_str()).body(posted).send().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // /slow is no feed: no title; the 404 neither.
    assert_eq!(response.text().unwrap(), "\nFirst & Best\n\nSecond <feed>");

    let refused = client.get(url.as_str()).send().unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    origin.stop(Duration::ZERO);
    scraper.stop(Duration::ZERO);
}

#[test]
fn feedscraper_takes_the_first_title() {
    use eventlet_feedscraper::title_of;
    assert_eq!(
        title_of("<rss><title>A &lt;b&gt;</title><title>no</title>"),
        "A <b>"
    );
    assert_eq!(title_of("<feed><title/><x>"), "");
    assert_eq!(title_of("no title"), "");
}
