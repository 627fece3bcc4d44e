//! [`std::os::unix::io`], re-exported: file descriptors. Nothing in it
//! blocks.
//!
//! compat's sockets, files, pipes and child pipes implement [`AsFd`] and
//! [`AsRawFd`], as std's do. The owning conversions (`FromRawFd`,
//! `IntoRawFd`, `From<OwnedFd>`) are not implemented: a green socket is
//! registered with the hub's reactor, and making one from a descriptor
//! takes `unsafe`, which compat forbids.
//!
//! ```
//! use green::compat::net::TcpListener;
//! use green::compat::os::unix::io::{AsFd, AsRawFd};
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let fd = listener.as_raw_fd();
//!     assert!(fd >= 0);
//!     assert_eq!(listener.as_fd().as_raw_fd(), fd);
//!     let owned = listener.as_fd().try_clone_to_owned()?; // dup(2)
//!     assert_ne!(owned.as_raw_fd(), fd);
//!     Ok(())
//! }
//! ```

pub use std::os::unix::io::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
