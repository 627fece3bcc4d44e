//! Standard output: `stdout`, `Stdout` and `StdoutLock`, and the code
//! they share with standard error.

use core::fmt;
use core::task::{Context, Poll};
use std::io;

use super::Write;

macro_rules! output {
    (
        $(#[$handle_doc:meta])* $handle:ident,
        $(#[$lock_doc:meta])* $locked:ident,
        $(#[$fn_doc:meta])* $function:ident,
        $(#[$lock_fn_doc:meta])*
    ) => {
        $(#[$handle_doc])*
        pub struct $handle {
            _private: (),
        }

        $(#[$fn_doc])*
        pub fn $function() -> $handle {
            $handle { _private: () }
        }

        impl $handle {
            $(#[$lock_fn_doc])*
            pub fn lock(&self) -> $locked<'static> {
                $locked {
                    inner: io::$function().lock(),
                }
            }
        }

        $(#[$lock_doc])*
        pub struct $locked<'a> {
            inner: io::$locked<'a>,
        }

        impl Write for $handle {
            fn poll_write(&mut self, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
                Poll::Ready(io::Write::write(&mut io::$function(), buf))
            }

            fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(io::Write::flush(&mut io::$function()))
            }
        }

        impl Write for $locked<'_> {
            fn poll_write(&mut self, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
                Poll::Ready(io::Write::write(&mut self.inner, buf))
            }

            fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(io::Write::flush(&mut self.inner))
            }
        }

        impl fmt::Debug for $handle {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($handle)).finish_non_exhaustive()
            }
        }

        impl fmt::Debug for $locked<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($locked)).finish_non_exhaustive()
            }
        }
    };
}

pub(super) use output;

output! {
    /// Green version of [`std::io::Stdout`]: a handle to the standard output
    /// of the process, made by [`stdout`]. It implements
    /// [`Write`](super::Write).
    ///
    /// Writes go through std's stdout (the same buffer and lock as
    /// `println!`), so the output of `print!` and of this handle stays in
    /// order. They do not wait for a slow reader without blocking: a write
    /// to a full pipe blocks the hub, as `print` does under gevent.
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut out = io::stdout();
    ///     writeln!(out, "to standard output")?;
    ///     out.flush()
    /// }
    /// ```
    Stdout,
    /// Green version of [`std::io::StdoutLock`]: the standard output, locked
    /// for a run of writes, made by [`Stdout::lock`]. It implements
    /// [`Write`](super::Write).
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut out = io::stdout().lock();
    ///     for i in 0..3 {
    ///         write!(out, "{i} ")?;
    ///     }
    ///     writeln!(out)
    /// }
    /// ```
    StdoutLock,
    /// Green version of [`std::io::stdout`]: a handle to the standard
    /// output.
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     io::stdout().write_all(b"hello\n")
    /// }
    /// ```
    stdout,
    /// Locks the standard output for a run of writes. As
    /// [`std::io::Stdout::lock`] (std's lock is re-entrant: tasks of the
    /// same hub are not kept out).
    ///
    /// ```
    /// use green::compat::io::{self, Write};
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let stdout = io::stdout();
    ///     let mut locked = stdout.lock();
    ///     writeln!(locked, "locked")
    /// }
    /// ```
}
