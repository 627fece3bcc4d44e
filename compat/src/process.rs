//! Green version of [`std::process`]: child processes whose waits and pipes
//! are green.
//!
//! The same names and signatures as `std::process`; what differs:
//! - [`Command::output`], [`Command::status`], [`Child::wait`] and
//!   [`Child::wait_with_output`] are green (the hub runs other tasks while
//!   the child runs); [`Command::spawn`], [`Child::try_wait`] and
//!   [`Child::kill`] never block, as in std;
//! - the pipes [`ChildStdin`], [`ChildStdout`] and [`ChildStderr`] are read
//!   and written through compat's `Read`/`Write` (green).
//!
//! std's [`Stdio`], [`ExitStatus`], [`ExitCode`], [`Output`], [`Termination`],
//! [`CommandArgs`], [`CommandEnvs`], [`exit`], [`abort`] and [`id`] are
//! re-exported. Unix-only settings (`uid`, `gid`, `process_group`,
//! `pre_exec`) are reached through [`Command::as_std_mut`] and std's
//! `CommandExt`.
//!
//! ```
//! use green::compat::process::Command;
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let output = Command::new("echo").arg("hi").output()?;
//!     assert!(output.status.success());
//!     assert_eq!(output.stdout, b"hi\n");
//!     Ok(())
//! }
//! ```

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::ffi::OsStr;
use std::io;
use std::path::Path;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

pub use std::process::{
    CommandArgs, CommandEnvs, ExitCode, ExitStatus, Output, Stdio, Termination, abort, exit, id,
};

/// Green version of [`std::process::Command`]: a process builder. The builder
/// methods are std's; [`output`](Command::output) and
/// [`status`](Command::status) are green.
///
/// ```
/// use green::compat::process::Command;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let output = Command::new("sh").args(["-c", "echo $GREETING"]).env("GREETING", "hello").output()?;
///     assert_eq!(output.stdout, b"hello\n");
///     Ok(())
/// }
/// ```
pub struct Command {
    inner: tokio::process::Command,
}

impl Command {
    /// As [`std::process::Command::new`]: a command running `program`, with
    /// the parent's environment and working directory.
    ///
    /// ```
    /// let command = green::compat::process::Command::new("ls");
    /// # let _ = command;
    /// ```
    pub fn new<S: AsRef<OsStr>>(program: S) -> Self {
        Command {
            inner: tokio::process::Command::new(program),
        }
    }

    /// As [`std::process::Command::arg`]: adds one argument.
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("ls");
    /// command.arg("-l");
    /// ```
    pub fn arg<S: AsRef<OsStr>>(&mut self, arg: S) -> &mut Command {
        self.inner.arg(arg);
        self
    }

    /// As [`std::process::Command::args`]: adds several arguments.
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("ls");
    /// command.args(["-l", "-a"]);
    /// ```
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.inner.args(args);
        self
    }

    /// As [`std::process::Command::env`]: sets one environment variable.
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("env");
    /// command.env("MODE", "green");
    /// ```
    pub fn env<K: AsRef<OsStr>, V: AsRef<OsStr>>(&mut self, key: K, val: V) -> &mut Command {
        self.inner.env(key, val);
        self
    }

    /// As [`std::process::Command::envs`]: sets several environment variables.
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("env");
    /// command.envs([("A", "1"), ("B", "2")]);
    /// ```
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.inner.envs(vars);
        self
    }

    /// As [`std::process::Command::env_remove`]: removes one variable.
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("env");
    /// command.env_remove("HOME");
    /// ```
    pub fn env_remove<K: AsRef<OsStr>>(&mut self, key: K) -> &mut Command {
        self.inner.env_remove(key);
        self
    }

    /// As [`std::process::Command::env_clear`]: starts from an empty
    /// environment.
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("env");
    /// command.env_clear();
    /// ```
    pub fn env_clear(&mut self) -> &mut Command {
        self.inner.env_clear();
        self
    }

    /// As [`std::process::Command::current_dir`]: the child's working
    /// directory.
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let output = Command::new("pwd").current_dir("/").output()?;
    ///     assert_eq!(output.stdout, b"/\n");
    ///     Ok(())
    /// }
    /// ```
    pub fn current_dir<P: AsRef<Path>>(&mut self, dir: P) -> &mut Command {
        self.inner.current_dir(dir);
        self
    }

    /// As [`std::process::Command::stdin`]: what the child's stdin is
    /// ([`Stdio::piped`] gives [`Child::stdin`]).
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// let mut command = Command::new("cat");
    /// command.stdin(Stdio::null());
    /// ```
    pub fn stdin<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.inner.stdin(cfg);
        self
    }

    /// As [`std::process::Command::stdout`]: what the child's stdout is.
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// let mut command = Command::new("echo");
    /// command.stdout(Stdio::piped());
    /// ```
    pub fn stdout<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.inner.stdout(cfg);
        self
    }

    /// As [`std::process::Command::stderr`]: what the child's stderr is.
    ///
    /// ```
    /// use green::compat::process::{Command, Stdio};
    ///
    /// let mut command = Command::new("echo");
    /// command.stderr(Stdio::null());
    /// ```
    pub fn stderr<T: Into<Stdio>>(&mut self, cfg: T) -> &mut Command {
        self.inner.stderr(cfg);
        self
    }

    /// As [`std::process::Command::spawn`]: starts the child and returns at
    /// once (not green: starting a process does not wait for it). By default
    /// stdin, stdout and stderr are inherited.
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut child = Command::new("true").spawn()?;
    ///     assert!(child.wait()?.success());
    ///     let missing = Command::new("/no/such/program").spawn();
    ///     assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    ///     Ok(())
    /// }
    /// ```
    pub fn spawn(&mut self) -> io::Result<Child> {
        self.inner.spawn().map(Child::from_tokio)
    }

    /// Green version of [`std::process::Command::output`]: runs the child to
    /// the end, collecting its stdout and stderr (piped by default; stdin is
    /// null by default).
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let output = Command::new("sh").args(["-c", "echo out; echo err >&2; exit 3"]).output()?;
    ///     assert_eq!(output.status.code(), Some(3));
    ///     assert_eq!(output.stdout, b"out\n");
    ///     assert_eq!(output.stderr, b"err\n");
    ///     Ok(())
    /// }
    /// ```
    pub fn output(&mut self) -> Green<impl Future<Output = io::Result<Output>> + use<>> {
        let future = self.inner.output();
        Green::new(future)
    }

    /// Green version of [`std::process::Command::status`]: runs the child to
    /// the end and gives its exit status (stdin, stdout and stderr are
    /// inherited by default).
    ///
    /// ```
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let status = Command::new("false").status()?;
    ///     assert_eq!(status.code(), Some(1));
    ///     Ok(())
    /// }
    /// ```
    pub fn status(&mut self) -> Green<impl Future<Output = io::Result<ExitStatus>> + use<>> {
        let future = self.inner.status();
        Green::new(future)
    }

    /// As [`std::process::Command::get_program`].
    ///
    /// ```
    /// let command = green::compat::process::Command::new("ls");
    /// assert_eq!(command.get_program(), "ls");
    /// ```
    pub fn get_program(&self) -> &OsStr {
        self.inner.as_std().get_program()
    }

    /// As [`std::process::Command::get_args`].
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("ls");
    /// command.arg("-l");
    /// assert_eq!(command.get_args().collect::<Vec<_>>(), ["-l"]);
    /// ```
    pub fn get_args(&self) -> CommandArgs<'_> {
        self.inner.as_std().get_args()
    }

    /// As [`std::process::Command::get_envs`]: the variables set or removed.
    ///
    /// ```
    /// use std::ffi::OsStr;
    ///
    /// let mut command = green::compat::process::Command::new("env");
    /// command.env("A", "1");
    /// assert_eq!(command.get_envs().collect::<Vec<_>>(), [(OsStr::new("A"), Some(OsStr::new("1")))]);
    /// ```
    pub fn get_envs(&self) -> CommandEnvs<'_> {
        self.inner.as_std().get_envs()
    }

    /// As [`std::process::Command::get_current_dir`].
    ///
    /// ```
    /// let mut command = green::compat::process::Command::new("ls");
    /// command.current_dir("/tmp");
    /// assert_eq!(command.get_current_dir(), Some(std::path::Path::new("/tmp")));
    /// ```
    pub fn get_current_dir(&self) -> Option<&Path> {
        self.inner.as_std().get_current_dir()
    }

    /// The std command inside, to read its settings.
    ///
    /// ```
    /// let command = green::compat::process::Command::new("ls");
    /// assert_eq!(command.as_std().get_program(), "ls");
    /// ```
    pub fn as_std(&self) -> &std::process::Command {
        self.inner.as_std()
    }

    /// The std command inside, for settings std has and this type does not
    /// mirror (unix `CommandExt`: `uid`, `gid`, `process_group`, `pre_exec`).
    ///
    /// ```
    /// use std::os::unix::process::CommandExt;
    /// use green::compat::process::Command;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut command = Command::new("true");
    ///     command.as_std_mut().process_group(0);
    ///     assert!(command.status()?.success());
    ///     Ok(())
    /// }
    /// ```
    pub fn as_std_mut(&mut self) -> &mut std::process::Command {
        self.inner.as_std_mut()
    }
}

impl From<std::process::Command> for Command {
    /// A green command from a std one (its settings are kept).
    ///
    /// ```
    /// let mut std_command = std::process::Command::new("echo");
    /// std_command.arg("x");
    /// let command = green::compat::process::Command::from(std_command);
    /// assert_eq!(command.get_program(), "echo");
    /// ```
    fn from(command: std::process::Command) -> Self {
        Command {
            inner: tokio::process::Command::from(command),
        }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner.as_std(), f)
    }
}

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
    fn from_tokio(mut inner: tokio::process::Child) -> Self {
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
    inner: tokio::process::ChildStdin,
}

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
    inner: tokio::process::ChildStdout,
}

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
    inner: tokio::process::ChildStderr,
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

impl AsyncRead for ChildStdout {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
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

macro_rules! pipe_common {
    ($name:ident) => {
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }

        #[cfg(unix)]
        impl std::os::fd::AsFd for $name {
            fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
                self.inner.as_fd()
            }
        }

        #[cfg(unix)]
        impl std::os::fd::AsRawFd for $name {
            fn as_raw_fd(&self) -> std::os::fd::RawFd {
                self.inner.as_raw_fd()
            }
        }
    };
}

pipe_common!(ChildStdin);
pipe_common!(ChildStdout);
pipe_common!(ChildStderr);

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

/// The pipe made blocking again and taken off tokio's reactor, for std's
/// infallible `From`: tokio's conversion is fallible only in form.
fn off_the_reactor(stdio: io::Result<Stdio>) -> Stdio {
    stdio.unwrap_or_else(|error| panic!("cannot hand the pipe to another child: {error}"))
}
