//! http server, green: green::http "Hello, World!" on 127.0.0.1, one green
//! task per connection on one hub (the server examples/http_hello.rs
//! starts), answering what http_hyper.rs and the gevent/eventlet servers
//! answer: `200`, `content-type: text/plain`, `content-length: 13`, a
//! `date`. green::http sets TCP_NODELAY on every connection.
//!
//! `http_green --port 0 [--workers N]` prints `PORT n` and serves
//! 127.0.0.1:n until killed; with `--workers N` (the scaling rows) on N
//! hubs, `Server::workers(N)`.

use std::io::Result;

use green::http::header::{self, HeaderValue};
use green::http::{Body, Request, Response, Server};

#[green::green]
fn hello(_req: Request) -> Response {
    let mut response = Response::new(Body::from("Hello, World!"));
    let text_plain = HeaderValue::from_static("text/plain");
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, text_plain);
    response
}

#[green::green]
fn serve(port: u16, workers: usize) -> Result<()> {
    let server = Server::bind(("127.0.0.1", port))?;
    green_bench::announce_port(server.local_addr()?.port());
    if workers == 1 {
        server.serve(hello)
    } else {
        server.workers(workers).serve(hello)
    }
}

fn main() {
    let port: u16 = green_bench::arg("port", 0);
    let workers: usize = green_bench::arg("workers", 1);
    green_bench::raise_fd_limit();
    if let Err(err) = green::run(serve(port, workers)) {
        eprintln!("http_green: {err}");
        std::process::exit(1);
    }
}
