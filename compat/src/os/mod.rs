//! Green version of [`std::os`]: the platform-specific parts of std, here
//! [`os::unix`](unix): its Unix domain sockets made green, its extension
//! traits re-exported.
//!
//! ```
//! use green::compat::io::{Read, Write};
//! use green::compat::os::unix::net::UnixStream;
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let (mut a, mut b) = UnixStream::pair()?;
//!     a.write_all(b"hi")?;
//!     let mut buf = [0u8; 2];
//!     b.read_exact(&mut buf)?;
//!     assert_eq!(&buf, b"hi");
//!     Ok(())
//! }
//! ```

#[cfg(unix)]
pub mod unix;
