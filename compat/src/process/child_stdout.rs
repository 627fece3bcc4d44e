//! `ChildStdout`: the reading end of a child's stdout pipe.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;

use tokio::io::{AsyncRead, ReadBuf};

use super::{Stdio, off_the_reactor};
use crate::io::tokio_bridge::read_via_tokio;

/// Green version of [`std::process::ChildStdout`]: the reading end of a
/// child's stdout, read with compat's `Read` (green).
///
/// ```
/// use green::compat::io::Read;
/// use green::compat::process::{Command, Stdio};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut child = Command::new("echo").arg("out").stdout(Stdio::piped()).spawn()?;
///     let mut text = String::new();
///     child.stdout.take().unwrap().read_to_string(&mut text)?;
///     child.wait()?;
///     assert_eq!(text, "out\n");
///     Ok(())
/// }
/// ```
pub struct ChildStdout {
    pub(super) inner: tokio::process::ChildStdout,
}

impl AsyncRead for ChildStdout {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl From<ChildStdout> for Stdio {
    /// Hands the pipe to another child as its stdin, as std's: what the
    /// first child writes, the other reads. A shell pipeline.
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut echo = Command::new("echo").arg("hello").stdout(Stdio::piped()).spawn()?;
    ///     let stdout = Stdio::from(echo.stdout.take().unwrap());
    ///     let output = Command::new("tr").args(["a-z", "A-Z"]).stdin(stdout).output()?;
    ///     echo.wait()?;
    ///     assert_eq!(output.stdout, b"HELLO\n");
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    ///
    /// If tokio cannot take the pipe off its reactor: an `epoll_ctl` on a
    /// descriptor it holds, which does not fail.
    fn from(pipe: ChildStdout) -> Stdio {
        off_the_reactor(pipe.inner.try_into())
    }
}

pipe_common!(ChildStdout);
read_via_tokio!(ChildStdout);
