//! eventlet's `wsgi.py` on green: the smallest web app, on `green::http`
//! (eventlet.wsgi's place): `Hello, World!` at `/`, `404 Not Found`
//! elsewhere, both as plain text.
//!
//! ```text
//! cargo run --example eventlet_wsgi -- [ADDR]   # default 127.0.0.1:8090
//! curl http://127.0.0.1:8090/
//! ```

use std::io::Result;

use green::http::header::{CONTENT_TYPE, HeaderValue};
use green::http::{Body, Request, Response, Server, ServerHandle, StatusCode};

/// The app: one page.
#[green::green]
pub(crate) fn hello_world(req: Request) -> Response {
    let (status, text) = if req.uri().path() == "/" {
        (StatusCode::OK, "Hello, World!\r\n")
    } else {
        (StatusCode::NOT_FOUND, "Not Found\r\n")
    };
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    let plain = HeaderValue::from_static("text/plain");
    response.headers_mut().insert(CONTENT_TYPE, plain);
    response
}

/// Starts the app on `addr` in the background.
#[green::green]
pub(crate) fn start(addr: &str) -> Result<ServerHandle> {
    Server::bind(addr)?.start(hello_world)
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".to_owned());
    let server = Server::bind(addr.as_str())?;
    println!("serving on http://{}", server.local_addr()?);
    server.serve(hello_world)
}
