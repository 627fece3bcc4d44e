//! gevent's `unixsocket_server.py` on green: an HTTP server on a Unix
//! domain socket that answers every request `200 OK` with an empty body
//! (see `unixsocket_client`). A stale socket file left by an earlier run is
//! removed first, as the original does.
//!
//! gevent hands its pywsgi server the Unix listener; `green::http::Server`
//! listens on TCP only, so this example answers with a few lines of
//! HTTP/1.0 itself, one green task per connection over compat's
//! `UnixListener`.
//!
//! ```text
//! cargo run --example unixsocket_server -- [PATH]   # ./unixsocket_server.sock
//! cargo run --example unixsocket_client -- [PATH]
//! ```

use std::io::Result;
use std::path::Path;

use green::compat::fs;
use green::compat::io::{BufRead, BufReader, Write};
use green::compat::os::unix::net::{UnixListener, UnixStream};

/// The answer to every request.
pub(crate) const RESPONSE: &[u8] = b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";

/// Binds `path`, removing a socket file an earlier run left behind.
#[green::green]
pub(crate) fn bind(path: &Path) -> Result<UnixListener> {
    if fs::metadata(path).is_ok() {
        fs::remove_file(path)?;
    }
    UnixListener::bind(path)
}

/// One connection: read the request head up to its blank line, answer.
#[green::green]
pub(crate) fn respond(stream: UnixStream) -> Result<()> {
    let mut head = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    let mut request_line = None;
    loop {
        line.clear();
        if head.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
            break;
        }
        request_line.get_or_insert_with(|| line.trim_end().to_owned());
    }
    println!("{}", request_line.as_deref().unwrap_or("(no request)"));
    (&stream).write_all(RESPONSE)
}

/// Accepts for ever, one green task per connection.
#[green::green]
pub(crate) fn serve(listener: UnixListener) -> Result<()> {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                green::spawn(move || respond(stream));
            }
            Err(e) => eprintln!("accept failed: {e}"),
        }
    }
    Ok(())
}

#[green::main]
fn main() -> Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "./unixsocket_server.sock".to_owned());
    let listener = bind(Path::new(&path))?;
    println!("serving HTTP on {path}");
    serve(listener)
}
