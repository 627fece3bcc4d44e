//! `Command`: a process builder.

use core::fmt;
use core::future::Future;
use std::ffi::OsStr;
use std::io;
use std::path::Path;

use green_runtime::Green;

use super::{Child, CommandArgs, CommandEnvs, ExitStatus, Output, Stdio};

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
