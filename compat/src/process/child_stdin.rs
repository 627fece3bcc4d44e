//! `ChildStdin`: the writing end of a child's stdin pipe.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;

use tokio::io::AsyncWrite;

use super::{Stdio, off_the_reactor};
use crate::io::tokio_bridge::write_via_tokio;

/// Green version of [`std::process::ChildStdin`]: the writing end of a
/// child's stdin, written with compat's `Write` (green). Dropping it closes
/// the pipe (the child sees end of file).
///
/// ```
/// use green::compat::io::Write;
/// use green::compat::process::{Command, Stdio};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut child = Command::new("wc").arg("-c").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
///     let mut stdin = child.stdin.take().unwrap();
///     stdin.write_all(b"12345")?;
///     drop(stdin);
///     let output = child.wait_with_output()?;
///     assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "5");
///     Ok(())
/// }
/// ```
pub struct ChildStdin {
    pub(super) inner: tokio::process::ChildStdin,
}

impl AsyncWrite for ChildStdin {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

impl From<ChildStdin> for Stdio {
    /// Hands the pipe to another child as its stdout, as std's: what that
    /// child writes goes to the first child's stdin.
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut upper = Command::new("tr").args(["a-z", "A-Z"])
    ///         .stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    ///     let stdin = Stdio::from(upper.stdin.take().unwrap());
    ///     Command::new("echo").arg("hello").stdout(stdin).status()?;
    ///     let output = upper.wait_with_output()?;
    ///     assert_eq!(output.stdout, b"HELLO\n");
    ///     Ok(())
    /// }
    /// ```
    ///
    /// # Panics
    ///
    /// If tokio cannot take the pipe off its reactor: an `epoll_ctl` on a
    /// descriptor it holds, which does not fail.
    fn from(pipe: ChildStdin) -> Stdio {
        off_the_reactor(pipe.inner.try_into())
    }
}

pipe_common!(ChildStdin);
write_via_tokio!(ChildStdin);
