//! echo server, tokio's multi-thread runtime: the twin of the scaling rows
//! (`StreamServer::workers(n)`): `--workers N` worker threads, one
//! `tokio::spawn` task per connection (work-stealing, so handlers are
//! `Send`), reading up to 4 KiB and writing it back.
//!
//! `echo_tokio_mt --port 0 --workers N` prints `PORT n` and serves
//! 127.0.0.1:n until killed.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn handle(mut stream: TcpStream) -> std::io::Result<()> {
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n]).await?;
    }
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
                    tokio::spawn(handle(stream));
                }
                Err(err) => {
                    eprintln!("echo_tokio_mt: accept: {err}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    });
}
