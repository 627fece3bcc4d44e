//! Green version of [`std::net`]: TCP listeners and streams and UDP sockets
//! whose blocking operations (bind's name lookup, accept, connect, read,
//! write, send, receive) block the green task, not the thread.
//!
//! What differs from std:
//!
//! - `bind`, `connect`, `accept`, `peek`, reads, writes, sends and receives
//!   return `green::Green<impl Future>`, awaited by themselves in a
//!   `#[green]` body;
//! - [`ToSocketAddrs`] is ours: the same implementations as std's, but the
//!   name lookup of `"host:port"` is green (it runs on tokio's blocking pool,
//!   never on the hub);
//! - [`Incoming`] is a green iterator (an inherent green `next`), which a
//!   `for` loop in a `#[green]` body iterates like std's;
//! - read and write timeouts ([`TcpStream::set_read_timeout`],
//!   [`UdpSocket::set_read_timeout`], ...) are green timers, not socket
//!   options: an operation past its timeout gives `ErrorKind::WouldBlock`,
//!   as std's does on Linux, while other tasks run meanwhile;
//! - [`TcpStream::try_clone`] duplicates the descriptor as std's does, and
//!   registers the copy with the hub, so it is called on a hub; two tasks
//!   reading or writing at once each use a handle of their own;
//! - non-blocking mode (`set_nonblocking`) gives std's `WouldBlock` at
//!   once; "would block" is judged by what the hub last heard from the OS,
//!   so data that just came in is seen after the hub's next turn (the
//!   `thread::sleep` of a polling loop).
//!
//! std's address types ([`SocketAddr`], [`IpAddr`], [`Shutdown`], ...) are
//! re-exported.
//!
//! ```
//! use green::compat::io::{Read, Write};
//! use green::compat::net::{TcpListener, TcpStream};
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let addr = listener.local_addr()?;
//!     let server = green::spawn(move || async move {
//!         let (mut stream, _) = listener.accept().await?;
//!         let mut buf = [0u8; 5];
//!         stream.read_exact(&mut buf).await?;
//!         stream.write_all(&buf).await?;
//!         std::io::Result::Ok(())
//!     });
//!     let mut client = TcpStream::connect(addr)?;
//!     client.write_all(b"hello")?;
//!     let mut reply = [0u8; 5];
//!     client.read_exact(&mut reply)?;
//!     assert_eq!(&reply, b"hello");
//!     server.join().unwrap()?;
//!     Ok(())
//! }
//! ```

pub(crate) mod accept_pacing;
mod addr;
pub(crate) mod readiness;
mod shared_bind;
pub(crate) mod stream_socket;
mod tcp_listener;
mod tcp_stream;
pub(crate) mod timeouts;
mod udp_socket;

pub use std::net::{
    AddrParseError, IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, SocketAddrV4, SocketAddrV6,
};

pub use self::addr::ToSocketAddrs;
pub use self::tcp_listener::{Incoming, TcpListener};
pub use self::tcp_stream::TcpStream;
pub use self::udp_socket::UdpSocket;
