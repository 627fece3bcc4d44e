//! gevent's `geventsendfile.py` on green: a `sendfile(out, file, offset,
//! count)` that waits cooperatively whenever the socket is full, so one
//! slow client never holds up the others, and a server that sends a file
//! to each client with it.
//!
//! gevent wraps the OS `sendfile` and calls `wait_write` on `EAGAIN`; in
//! green the copy is plain `io::copy` between compat's `File` and
//! `TcpStream`, whose writes wait as green operations by themselves.
//!
//! ```text
//! cargo run --example geventsendfile -- FILE [ADDR]   # 127.0.0.1:8001
//! nc 127.0.0.1 8001 > copy
//! ```

use std::io::{Error, ErrorKind, Result};
use std::path::PathBuf;

use green::compat::fs::File;
use green::compat::io::{self, Read, Seek, SeekFrom};
use green::compat::net::{SocketAddr, TcpStream};
use green::server::{ServerHandle, StreamServer};

/// Sends `count` bytes of `file` from `offset` to `out`; gives the offset
/// after the last byte sent and the bytes sent, as the original does.
#[green::green]
pub(crate) fn sendfile(
    out: &mut TcpStream,
    file: &mut File,
    offset: u64,
    count: u64,
) -> Result<(u64, u64)> {
    file.seek(SeekFrom::Start(offset))?;
    let sent = io::copy(&mut file.take(count), out)?;
    if sent < count {
        return Err(Error::new(ErrorKind::UnexpectedEof, "the file ended early"));
    }
    Ok((offset + sent, sent))
}

/// One client: the whole of `path`.
#[green::green]
pub(crate) fn send_whole(mut client: TcpStream, peer: SocketAddr, path: PathBuf) -> Result<()> {
    let mut file = File::open(&path)?;
    let len = file.metadata()?.len();
    let (_, sent) = sendfile(&mut client, &mut file, 0, len)?;
    println!("{peer}: sent {sent} bytes");
    Ok(())
}

/// Serves `path` on `addr`: every client gets the file, then EOF.
#[green::green]
pub(crate) fn start(addr: &str, path: PathBuf) -> Result<ServerHandle> {
    StreamServer::bind(addr)?.start(move |client, peer| send_whole(client, peer, path.clone()))
}

#[green::main]
fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: geventsendfile FILE [ADDR]");
        std::process::exit(2);
    };
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8001".to_owned());
    let server = StreamServer::bind(addr.as_str())?;
    println!("sending {path} to every client of {}", server.local_addr()?);
    let path = PathBuf::from(path);
    server.serve(move |client, peer| send_whole(client, peer, path.clone()))
}
