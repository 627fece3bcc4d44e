//! Standard error: `stderr`, `Stderr` and `StderrLock`.

use core::fmt;
use core::task::{Context, Poll};
use std::io;

use super::Write;

use super::stdout::output;

output! {
    /// Green version of [`std::io::Stderr`]: a handle to the standard error
    /// of the process, made by [`stderr`]. It implements
    /// [`Write`](super::Write); writes go through std's stderr (unbuffered),
    /// in order with `eprintln!`.
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut err = io::stderr();
    ///     writeln!(err, "to standard error")
    /// }
    /// ```
    Stderr,
    /// Green version of [`std::io::StderrLock`]: the standard error, locked
    /// for a run of writes, made by [`Stderr::lock`]. It implements
    /// [`Write`](super::Write).
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut err = io::stderr().lock();
    ///     writeln!(err, "warning: {}", 42)
    /// }
    /// ```
    StderrLock,
    /// Green version of [`std::io::stderr`]: a handle to the standard error.
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     io::stderr().write_all(b"oops\n")
    /// }
    /// ```
    stderr,
    /// Locks the standard error for a run of writes. As
    /// [`std::io::Stderr::lock`].
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let stderr = io::stderr();
    ///     let mut locked = stderr.lock();
    ///     writeln!(locked, "locked")
    /// }
    /// ```
}
