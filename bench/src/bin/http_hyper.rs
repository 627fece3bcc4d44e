//! http server, hand-written hyper 1 on tokio: HTTP/1.1 "Hello, World!" on a
//! current-thread runtime + `LocalSet`, one `spawn_local` task per connection,
//! TCP_NODELAY set as on every server of this workload. Every server of the
//! workload answers the same: `200`, `content-type: text/plain`,
//! `content-length: 13`, a `date`, "Hello, World!".
//!
//! `http_hyper --port 0` prints `PORT n` and serves 127.0.0.1:n until killed.
//! `--header-timeout-secs s` (s > 0) turns on hyper's own header-read
//! timeout, on hyper-util's tokio timer: the one limit of green::http's
//! (its 408) that hyper offers itself, for a second, like-for-like row.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
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
    let header_timeout: u64 = green_bench::arg("header-timeout-secs", 0);
    green_bench::raise_fd_limit();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
        green_bench::announce_port(listener.local_addr().expect("addr").port());
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    tokio::task::spawn_local(async move {
                        let mut builder = http1::Builder::new();
                        if header_timeout > 0 {
                            builder
                                .timer(TokioTimer::new())
                                .header_read_timeout(Duration::from_secs(header_timeout));
                        }
                        let _ = builder
                            .serve_connection(TokioIo::new(stream), service_fn(hello))
                            .await;
                    });
                }
                Err(err) => {
                    eprintln!("http_hyper: accept: {err}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    });
}
