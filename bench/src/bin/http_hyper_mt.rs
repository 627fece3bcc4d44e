//! http server, hyper 1 on tokio's multi-thread runtime: the twin of the
//! scaling rows (`green::http::Server::workers(n)`): `--workers N` worker
//! threads, one `tokio::spawn` task per connection, TCP_NODELAY set,
//! answering as http_hyper.rs does (`200`, `content-type: text/plain`,
//! `content-length: 13`, a `date`, "Hello, World!").
//!
//! `http_hyper_mt --port 0 --workers N` prints `PORT n` and serves
//! 127.0.0.1:n until killed.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

async fn hello(_req: Request<hyper::body::Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let mut response = Response::new(Full::new(Bytes::from_static(b"Hello, World!")));
    let text_plain = HeaderValue::from_static("text/plain");
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, text_plain);
    Ok(response)
}

fn main() {
    let port: u16 = green_bench::arg("port", 0);
    let workers: usize = green_bench::arg("workers", 1);
    green_bench::raise_fd_limit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
        green_bench::announce_port(listener.local_addr().expect("addr").port());
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(async move {
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service_fn(hello))
                            .await;
                    });
                }
                Err(err) => {
                    eprintln!("http_hyper_mt: accept: {err}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    });
}
