//! Green versions of std's blocking modules: gevent's monkey-patched stdlib,
//! without the monkey patching. Use it through the facade as `green::compat`.
//!
//! Every module mirrors its std namesake one to one: the same paths, type
//! names, method names and signatures, except that each operation that would
//! block an OS thread is *green*: it returns `green::Green<impl Future>`,
//! which a `#[green]` body awaits by itself (so the call reads exactly like
//! std's) and async code can `.await`. std's value and error types
//! (`io::Error`, `SocketAddr`, `Duration`, ...) are re-exported, not redefined.
//!
//! | std | green | blocking operations (green) |
//! |-----|-------|-----------------------------|
//! | `std::io` | [`io`] | `Read`, `Write`, `BufRead`, `Seek` methods, `copy`, `stdin` |
//! | `std::net` | [`net`] | `bind`, `accept`, `connect`, `incoming`, `peek`, `send_to`, `recv_from` |
//! | `std::time` | [`time`] | [`time::sleep`] |
//! | `std::thread` | [`thread`] | `spawn` (a green task), `JoinHandle::join`, `sleep`, `yield_now`, `park`, `scope` |
//! | `std::fs` | [`fs`] | `File` reads/writes, `read`, `write`, `read_dir`, `metadata`, ... |
//! | `std::sync` | [`sync`] | `Mutex::lock`, `RwLock::read/write`, `Condvar::wait`, `Barrier::wait`, `mpsc` `recv` |
//! | `std::process` | [`process`] | `Command::output/status`, `Child::wait`, pipe reads/writes |
//! | `std::os::unix::net` | [`os::unix::net`] | `connect`, `accept`, reads, writes, `send`, `recv` |
//! | (gevent's `ssl`) | [`tls`] (feature `tls`, on by default) | `TlsConnector::connect`, `TlsAcceptor::accept`, reads, writes |
//!
//! ```
//! use green::compat::io::{BufRead, BufReader, Write};
//! use green::compat::net::{TcpListener, TcpStream};
//!
//! #[green::green]
//! fn serve(listener: TcpListener) -> std::io::Result<()> {
//!     let (stream, _) = listener.accept()?;
//!     let mut writer = stream.try_clone()?;
//!     for line in BufReader::new(stream).lines() {
//!         writeln!(writer, "echo: {}", line?)?;
//!     }
//!     Ok(())
//! }
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let addr = listener.local_addr()?;
//!     let server = green::spawn(move || serve(listener));
//!
//!     let mut client = TcpStream::connect(addr)?;
//!     client.write_all(b"hi\n")?;
//!     let mut reply = String::new();
//!     BufReader::new(client.try_clone()?).read_line(&mut reply)?;
//!     assert_eq!(reply, "echo: hi\n");
//!     client.shutdown(std::net::Shutdown::Write)?;
//!     server.join().unwrap()
//! }
//! ```
#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]

pub mod fs;
pub mod io;
pub mod net;
pub mod os;
pub mod process;
pub mod sync;
pub mod thread;
pub mod time;
#[cfg(feature = "tls")]
pub mod tls;
