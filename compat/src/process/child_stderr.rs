//! `ChildStderr`: the reading end of a child's stderr pipe.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;

use tokio::io::{AsyncRead, ReadBuf};

use super::{Stdio, off_the_reactor};
use crate::io::tokio_bridge::read_via_tokio;

/// Green version of [`std::process::ChildStderr`]: the reading end of a
/// child's stderr, read with compat's `Read` (green).
///
/// ```
/// use green::compat::io::Read;
/// use green::compat::process::{Command, Stdio};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut child = Command::new("sh").args(["-c", "echo oops >&2"]).stderr(Stdio::piped()).spawn()?;
///     let mut text = String::new();
///     child.stderr.take().unwrap().read_to_string(&mut text)?;
///     child.wait()?;
///     assert_eq!(text, "oops\n");
///     Ok(())
/// }
/// ```
pub struct ChildStderr {
    pub(super) inner: tokio::process::ChildStderr,
}

impl AsyncRead for ChildStderr {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl From<ChildStderr> for Stdio {
    /// Hands the pipe to another child as its stdin, as std's: what the
    /// first child writes to its stderr, the other reads.
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut failing = Command::new("sh").args(["-c", "echo oops >&2"])
    ///         .stderr(Stdio::piped()).spawn()?;
    ///     let stderr = Stdio::from(failing.stderr.take().unwrap());
    ///     let output = Command::new("tr").args(["a-z", "A-Z"]).stdin(stderr).output()?;
    ///     failing.wait()?;
    ///     assert_eq!(output.stdout, b"OOPS\n");
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    ///
    /// If tokio cannot take the pipe off its reactor: an `epoll_ctl` on a
    /// descriptor it holds, which does not fail.
    fn from(pipe: ChildStderr) -> Stdio {
        off_the_reactor(pipe.inner.try_into())
    }
}

pipe_common!(ChildStderr);
read_via_tokio!(ChildStderr);
