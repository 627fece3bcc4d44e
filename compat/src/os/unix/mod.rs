//! Green version of [`std::os::unix`]: Unix domain sockets in [`net`],
//! whose blocking operations block the green task, not the thread, and
//! std's Unix extension traits, which apply to compat's types as to std's:
//!
//! | module | what |
//! |---|---|
//! | [`net`] | green `UnixStream`, `UnixListener`, `UnixDatagram` |
//! | [`fs`] | std's `PermissionsExt`, `MetadataExt`, `OpenOptionsExt`, `FileTypeExt`; a green `symlink` |
//! | [`io`] | std's `AsFd`, `AsRawFd`, `OwnedFd`, ... (compat's sockets and files implement `AsFd` and `AsRawFd`) |
//! | [`ffi`] | std's `OsStrExt`, `OsStringExt` |
//! | [`process`] | std's `ExitStatusExt`, `CommandExt`, `parent_id` |
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

pub mod ffi;
pub mod fs;
pub mod io;
pub mod net;
pub mod process;
