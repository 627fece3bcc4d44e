//! gevent's `examples/wsgiserver.py` in green: "hello world" as HTML at `/`,
//! `404 Not Found` anywhere else. One green task per connection; HTTP/1.1,
//! and HTTP/2 for clients with prior knowledge.
//!
//! Listens on 127.0.0.1, port 8088 unless `PORT` says otherwise (`PORT=0`
//! for a free one), and prints `listening on http://ADDR`.
//!
//! ```text
//! cargo run --example wsgiserver
//! curl http://127.0.0.1:8088/
//! curl --http2-prior-knowledge http://127.0.0.1:8088/
//! ```

use green::http::{Body, Request, Response, Server, StatusCode, header};

/// The application: gevent's `application(env, start_response)`.
#[green::green]
pub(crate) fn application(req: Request) -> Response {
    let (status, page) = match req.uri().path() {
        "/" => (StatusCode::OK, "<b>hello world</b>"),
        _ => (StatusCode::NOT_FOUND, "<h1>Not Found</h1>"),
    };
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    let html = header::HeaderValue::from_static("text/html");
    response.headers_mut().insert(header::CONTENT_TYPE, html);
    response
}

/// The port from `PORT`, else gevent's 8088.
pub(crate) fn port() -> u16 {
    std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(8088)
}

#[green::main]
fn main() -> std::io::Result<()> {
    let server = Server::bind(("127.0.0.1", port()))?;
    println!("listening on http://{}", server.local_addr()?);
    server.serve(application)
}
