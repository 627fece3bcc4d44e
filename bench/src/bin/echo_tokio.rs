//! echo server, hand-written tokio twin: one `spawn_local` task per
//! connection on a current-thread runtime + `LocalSet` (the shape of a green
//! hub), reading up to 4 KiB and writing it back.
//!
//! `echo_tokio --port 0` prints `PORT n` and serves 127.0.0.1:n until killed.

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
                    tokio::task::spawn_local(handle(stream));
                }
                Err(err) => {
                    eprintln!("echo_tokio: accept: {err}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    });
}
