//! Green version of [`std::os::unix`]: Unix domain sockets in
//! [`net`], whose blocking operations block the green task, not the thread.
//!
//! ```
//! use green::compat::os::unix::net::UnixDatagram;
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let (a, b) = UnixDatagram::pair()?;
//!     a.send(b"datagram")?;
//!     let mut buf = [0u8; 16];
//!     let n = b.recv(&mut buf)?;
//!     assert_eq!(&buf[..n], b"datagram");
//!     Ok(())
//! }
//! ```

pub mod net;
