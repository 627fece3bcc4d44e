//! The smallest green::http app: serves "Hello, World!" on 127.0.0.1 (port
//! 0 unless `--port N`), prints `listening on http://ADDR`, and with
//! `--once` answers one request and exits.
//!
//! ```text
//! cargo run --example http_hello -- --port 8080
//! curl http://127.0.0.1:8080/
//! ```

use std::cell::Cell;
use std::time::Duration;

use green::http::{Body, Request, Response, Server};

thread_local! {
    static ANSWERED: Cell<bool> = const { Cell::new(false) };
}

#[green::green]
fn hello(_req: Request) -> Response {
    ANSWERED.set(true);
    Response::new(Body::from("Hello, World!"))
}

#[green::main]
fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let once = args.iter().any(|arg| arg == "--once");
    let port: u16 = match args.iter().position(|arg| arg == "--port") {
        Some(i) => args[i + 1].parse().expect("--port takes a number"),
        None => 0,
    };
    let server = Server::bind(("127.0.0.1", port))?;
    println!("listening on http://{}", server.local_addr()?);
    if !once {
        return server.serve(hello);
    }
    let server = server.start(hello)?;
    while !ANSWERED.get() {
        green::sleep(Duration::from_millis(5));
    }
    // The answer in flight is finished before the connection closes.
    server.stop(Duration::from_secs(5));
    Ok(())
}
