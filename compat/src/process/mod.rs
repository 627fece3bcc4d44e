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

/// Implements `Debug`, `AsFd` and `AsRawFd` for a pipe end.
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

mod child;
mod child_stderr;
mod child_stdin;
mod child_stdout;
mod command;

use std::io;

pub use std::process::{
    CommandArgs, CommandEnvs, ExitCode, ExitStatus, Output, Stdio, Termination, abort, exit, id,
};

pub use self::child::Child;
pub use self::child_stderr::ChildStderr;
pub use self::child_stdin::ChildStdin;
pub use self::child_stdout::ChildStdout;
pub use self::command::Command;

/// The pipe made blocking again and taken off tokio's reactor, for std's
/// infallible `From`: tokio's conversion is fallible only in form.
fn off_the_reactor(stdio: io::Result<Stdio>) -> Stdio {
    stdio.unwrap_or_else(|error| panic!("cannot hand the pipe to another child: {error}"))
}
