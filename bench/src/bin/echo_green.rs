//! echo server, green: `green::compat::net::TcpListener`, one green task per
//! connection, blocking-looking `read` / `write_all` under `#[green]`
//! (examples/echo_server.rs without the printing).
//!
//! `echo_green --port 0` prints `PORT n` and serves 127.0.0.1:n until killed.

use std::io::Result;
use std::time::Duration;

use green::compat::io::{Read, Write};
use green::compat::net::{TcpListener, TcpStream};

#[green::green]
fn handle(mut stream: TcpStream) -> Result<()> {
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}

#[green::green]
fn serve(port: u16) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    green_bench::announce_port(listener.local_addr()?.port());
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                green::spawn(move || handle(stream));
            }
            Err(err) => {
                eprintln!("echo_green: accept: {err}");
                green::sleep(Duration::from_millis(10));
            }
        }
    }
    Ok(())
}

fn main() {
    let port: u16 = green_bench::arg("port", 0);
    green_bench::raise_fd_limit();
    if let Err(err) = green::run(serve(port)) {
        eprintln!("echo_green: {err}");
        std::process::exit(1);
    }
}
