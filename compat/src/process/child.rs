//! `Child`: a running child process.

use core::fmt;
use core::future::Future;
use std::io;

use green_runtime::Green;

use super::{ChildStderr, ChildStdin, ChildStdout, ExitStatus, Output};

/// Green version of [`std::process::Child`]: a running (or finished) child
/// process. Its `wait` is green; its pipes are the public fields, as in std.
///
/// Dropping a `Child` does not kill or wait for the process (as in std);
/// tokio reaps it in the background.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::process::{Command, Stdio};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut child = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
///     child.stdin.take().unwrap().write_all(b"meow")?; // dropped: cat sees EOF
///     let mut echoed = String::new();
///     child.stdout.take().unwrap().read_to_string(&mut echoed)?;
///     assert!(child.wait()?.success());
///     assert_eq!(echoed, "meow");
///     Ok(())
/// }
/// ```
pub struct Child {
    inner: tokio::process::Child,
    pid: u32,
    /// The child's stdin, if it was piped.
    pub stdin: Option<ChildStdin>,
    /// The child's stdout, if it was piped.
    pub stdout: Option<ChildStdout>,
    /// The child's stderr, if it was piped.
    pub stderr: Option<ChildStderr>,
}

impl Child {
    pub(super) fn from_tokio(mut inner: tokio::process::Child) -> Self {
        Child {
            pid: inner.id().unwrap_or(0),
            stdin: inner.stdin.take().map(|inner| ChildStdin { inner }),
            stdout: inner.stdout.take().map(|inner| ChildStdout { inner }),
            stderr: inner.stderr.take().map(|inner| ChildStderr { inner }),
            inner,
        }
    }

    /// As [`std::process::Child::id`]: the OS process id.
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut child = Command::new("true").spawn()?;
    ///     assert!(child.id() > 0);
    ///     child.wait()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// As [`std::process::Child::kill`]: sends SIGKILL (does not wait);
    /// `Ok` if the child already exited.
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut child = Command::new("sleep").arg("10").spawn()?;
    ///     child.kill()?;
    ///     assert!(!child.wait()?.success());
    ///     Ok(())
    /// }
    /// ```
    pub fn kill(&mut self) -> io::Result<()> {
        if self.inner.try_wait()?.is_some() {
            return Ok(());
        }
        self.inner.start_kill()
    }

    /// Green version of [`std::process::Child::wait`]: closes the child's
    /// stdin (if piped and still here) and waits (green) for it to exit.
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut child = Command::new("sh").args(["-c", "exit 7"]).spawn()?;
    ///     assert_eq!(child.wait()?.code(), Some(7));
    ///     assert_eq!(child.wait()?.code(), Some(7)); // again: the same status
    ///     Ok(())
    /// }
    /// ```
    pub fn wait(&mut self) -> Green<impl Future<Output = io::Result<ExitStatus>>> {
        drop(self.stdin.take());
        Green::new(self.inner.wait())
    }

    /// As [`std::process::Child::try_wait`]: the exit status if the child
    /// has exited, `None` if it still runs. Never blocks.
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut child = Command::new("sleep").arg("10").spawn()?;
    ///     assert!(child.try_wait()?.is_none());
    ///     child.kill()?;
    ///     child.wait()?;
    ///     assert!(child.try_wait()?.is_some());
    ///     Ok(())
    /// }
    /// ```
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        self.inner.try_wait()
    }

    /// Green version of [`std::process::Child::wait_with_output`]: closes
    /// stdin, then collects the piped stdout and stderr while waiting for
    /// the exit.
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let child = Command::new("echo").arg("done").stdout(Stdio::piped()).spawn()?;
    ///     let output = child.wait_with_output()?;
    ///     assert_eq!(output.stdout, b"done\n");
    ///     Ok(())
    /// }
    /// ```
    pub fn wait_with_output(mut self) -> Green<impl Future<Output = io::Result<Output>>> {
        drop(self.stdin.take());
        self.inner.stdout = self.stdout.take().map(|pipe| pipe.inner);
        self.inner.stderr = self.stderr.take().map(|pipe| pipe.inner);
        Green::new(self.inner.wait_with_output())
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("pid", &self.pid)
            .field("stdin", &self.stdin)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish_non_exhaustive()
    }
}
