//! gevent's `unixsocket_client.py` on green: sends one HTTP/1.0 request
//! over a Unix domain socket (to `unixsocket_server`) and prints what came
//! back.
//!
//! ```text
//! cargo run --example unixsocket_client -- [PATH]   # ./unixsocket_server.sock
//! ```

use std::io::Result;
use std::path::Path;

use green::compat::io::{Read, Write};
use green::compat::os::unix::net::UnixStream;

/// Sends `GET /` to the server at `path` and gives the first read of the
/// answer (at most 1024 bytes, as the original).
#[green::green]
pub(crate) fn get(path: &Path) -> Result<Vec<u8>> {
    let mut stream = UnixStream::connect(path)?;
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n")?;
    let mut buf = vec![0u8; 1024];
    let n = stream.read(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

#[green::main]
fn main() -> Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "./unixsocket_server.sock".to_owned());
    let data = get(Path::new(&path))?;
    println!("received {} bytes", data.len());
    println!("{}", String::from_utf8_lossy(&data));
    Ok(())
}
