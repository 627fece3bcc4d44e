//! Green version of [`std::io`]: the `Read`, `Write`, `BufRead` and `Seek`
//! traits, buffered readers and writers, the standard streams and `copy`,
//! whose blocking methods are green.
//!
//! What differs from std:
//!
//! - every method that can block returns `green::Green<impl Future>`: a
//!   `#[green]` body awaits it by itself, so `reader.read(&mut buf)?` reads as
//!   in std; async code writes `.await`;
//! - the traits' required methods are polls ([`Read::poll_read`],
//!   [`Write::poll_write`], [`Write::poll_flush`], [`BufRead::poll_fill_buf`]),
//!   std's `read`, `write`, `flush` and `fill_buf` in the form that can
//!   wait without blocking; the green methods (`read`, `write_all`,
//!   `read_line`, ...) are provided on top of them. A type of your own
//!   implements the polls, and `Box<dyn Read>`, `&mut dyn Write` and the
//!   like work as in std. The traits are implemented where std's are
//!   (`&[u8]`, `Vec<u8>`, [`Cursor`], `&mut R`, `Box<R>`, ...) and for the
//!   compat types (the streams of [`compat::net`](crate::net), files,
//!   pipes, [`BufReader`], [`BufWriter`], ...);
//! - iterators that block ([`Lines`], [`Split`], [`Bytes`]) are *green
//!   iterators*: an inherent green `next` instead of `Iterator`. A `for` loop
//!   in a `#[green]` body iterates them like std iterators;
//! - [`stdin`] is read by a helper thread, so a task waiting for input
//!   leaves the hub free; [`stdout`] and [`stderr`] write through std's
//!   handles, in order with `println!` and `eprintln!`;
//! - [`BufWriter`] cannot block in its destructor: [`Write::flush`] it.
//!
//! std's value and error types ([`Error`], [`ErrorKind`], [`Result`],
//! [`Cursor`], [`SeekFrom`], [`IoSlice`], [`IoSliceMut`]) are re-exported.
//!
//! ```
//! use green::compat::io::{self, BufRead, Read, Write};
//!
//! #[green::main]
//! fn main() -> io::Result<()> {
//!     let mut out = Vec::new();
//!     writeln!(out, "one")?;
//!     writeln!(out, "two")?;
//!
//!     let mut lines = Vec::new();
//!     for line in io::Cursor::new(&out).lines() {
//!         lines.push(line?);
//!     }
//!     assert_eq!(lines, ["one", "two"]);
//!
//!     let mut text = String::new();
//!     out.as_slice().read_to_string(&mut text)?;
//!     assert_eq!(text, "one\ntwo\n");
//!     Ok(())
//! }
//! ```

mod adapters;
mod buf_read;
mod buf_reader;
mod buf_writer;
mod bytes;
mod copy;
pub mod futures;
mod impls;
mod lines;
mod read;
mod seek;
mod stderr;
mod stdin;
mod stdout;
pub(crate) mod tokio_bridge;
mod write;

pub use std::io::{Cursor, Error, ErrorKind, IoSlice, IoSliceMut, Result, SeekFrom};

pub use self::adapters::{Chain, Take};
pub use self::buf_read::{AsDynBufRead, BufRead};
pub use self::buf_reader::BufReader;
pub use self::buf_writer::{BufWriter, IntoInnerError};
pub use self::bytes::Bytes;
pub use self::copy::copy;
pub use self::lines::{Lines, Split};
pub use self::read::{AsDynRead, Read};
pub use self::seek::Seek;
pub use self::stderr::{Stderr, StderrLock, stderr};
pub use self::stdin::{Stdin, StdinLock, stdin};
pub use self::stdout::{Stdout, StdoutLock, stdout};
pub use self::write::{AsDynWrite, Write};

/// Green version of [`std::io::prelude`]: the I/O traits, for a glob import.
///
/// ```
/// use green::compat::io::prelude::*;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut out = Vec::new();
///     writeln!(out, "traits in scope")?;
///     let mut line = String::new();
///     out.as_slice().read_line(&mut line)?;
///     assert_eq!(line, "traits in scope\n");
///     Ok(())
/// }
/// ```
pub mod prelude {
    pub use super::{BufRead, Read, Seek, Write};
}
