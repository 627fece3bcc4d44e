//! Green version of [`std::os::unix::net`]: Unix domain stream and datagram
//! sockets whose blocking operations (connect, accept, read, write, send,
//! receive) block the green task, not the thread.
//!
//! What differs from std:
//!
//! - `connect`, `accept`, reads, writes, sends and receives return
//!   `green::Green<impl Future>`, awaited by themselves in a `#[green]` body;
//!   operations that never block (`bind`, `pair`, `unbound`,
//!   [`UnixDatagram::connect`], the address getters) stay plain functions
//!   as in std;
//! - sockets are registered with the hub's event loop, so they are made on a
//!   hub (in green code): made elsewhere they give an
//!   [`ErrorKind::Other`](std::io::ErrorKind::Other) error;
//! - [`Incoming`] is a green iterator (an inherent green `next`), which a
//!   `for` loop in a `#[green]` body iterates like std's;
//! - [`UnixListener::try_clone`] and [`UnixDatagram::try_clone`] share the
//!   socket instead of duplicating its descriptor: it closes when the last
//!   handle is dropped ([`UnixStream::try_clone`] duplicates it, as std);
//! - `set_nonblocking` gives std's `WouldBlock` semantics (see
//!   [`UnixStream::set_nonblocking`]); [`UnixStream`]'s read and write
//!   timeouts are green timers, which give `WouldBlock` as std's do on
//!   Linux; [`UnixDatagram`] does not offer them yet: use `green::timeout`
//!   around the operation instead.
//!
//! std's [`SocketAddr`] is re-exported.
//!
//! ```
//! use green::compat::io::{BufRead, BufReader, Write};
//! use green::compat::os::unix::net::{UnixListener, UnixStream};
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let dir = std::env::temp_dir().join(format!("green-doc-unix-{}", std::process::id()));
//!     green::compat::fs::create_dir_all(&dir)?;
//!     let path = dir.join("echo.sock");
//!     let _ = green::compat::fs::remove_file(&path);
//!
//!     let listener = UnixListener::bind(&path)?;
//!     let server = green::spawn(move || async move {
//!         let (stream, _) = listener.accept().await?;
//!         let mut line = String::new();
//!         BufReader::new(&stream).read_line(&mut line).await?;
//!         (&stream).write_all(line.to_uppercase().as_bytes()).await
//!     });
//!
//!     let mut client = UnixStream::connect(&path)?;
//!     client.write_all(b"hello\n")?;
//!     let mut reply = String::new();
//!     BufReader::new(&client).read_line(&mut reply)?;
//!     assert_eq!(reply, "HELLO\n");
//!     server.join().unwrap()?;
//!     green::compat::fs::remove_dir_all(&dir)
//! }
//! ```

mod unix_datagram;
mod unix_listener;
mod unix_stream;

pub use std::os::unix::net::SocketAddr;

pub use self::unix_datagram::UnixDatagram;
pub use self::unix_listener::{Incoming, UnixListener};
pub use self::unix_stream::UnixStream;

use std::io;

/// An error unless the caller runs on a hub: tokio's sockets panic when
/// registered outside a runtime, ours give this error instead.
fn on_hub() -> io::Result<()> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Ok(()),
        Err(_) => Err(io::Error::other(
            "a green Unix socket must be made on a hub (inside green::run or #[green::main])",
        )),
    }
}
