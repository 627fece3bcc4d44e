//! Process signals for green code: [`ctrl_c`] and, on unix, signal streams
//! ([`signal`]), for the graceful shutdown of green servers.
//!
//! Waiting for a signal is green: the task waiting is suspended, the hub runs
//! every other task, and the signal wakes it. Built on `tokio::signal`.
//!
//! Once a signal is listened for (the first `ctrl_c()` wait, or [`signal`]),
//! the process keeps a handler for it until it exits: the default action
//! (SIGINT and SIGTERM end the process) no longer happens, the program
//! decides. Call these from green code (inside a hub).
//!
//! ```no_run
//! use std::time::Duration;
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let server = green::spawn(|| async {
//!         loop {
//!             green::sleep(Duration::from_secs(1)).await; // serve ...
//!         }
//!     });
//!     green::signal::ctrl_c()?; // wait for ^C
//!     eprintln!("shutting down");
//!     server.kill();
//!     Ok(())
//! }
//! ```

use core::fmt;
use core::future::Future;
use std::io;

use crate::Green;

/// Waits (green) for the next SIGINT (^C; CTRL_C_EVENT on Windows).
///
/// The handler is installed when the wait starts; from then on ^C no longer
/// ends the process by itself.
///
/// ```
/// # #[cfg(unix)]
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let waiter = green::spawn(|| green::signal::ctrl_c());
///     green::idle(); // the waiter has installed its handler
/// #   let pid = std::process::id().to_string();
///     green::compat::process::Command::new("kill").args(["-INT", &pid]).status()?;
///     waiter.join().unwrap()
/// }
/// # #[cfg(not(unix))]
/// # fn main() {}
/// ```
pub fn ctrl_c() -> Green<impl Future<Output = io::Result<()>>> {
    Green::new(tokio::signal::ctrl_c())
}

#[cfg(unix)]
pub use tokio::signal::unix::SignalKind;

/// A stream of one unix signal: [`recv`](Signal::recv) waits (green) for the
/// next delivery. It is a green iterator: `for () in sig { .. }` in a
/// `#[green]` body loops once per delivery.
///
/// Deliveries that arrive while nobody waits are merged into one, as unix
/// merges pending signals.
///
/// ```
/// use green::signal::{SignalKind, signal};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut hangups = signal(SignalKind::hangup())?;
/// #   let pid = std::process::id().to_string();
///     green::compat::process::Command::new("kill").args(["-HUP", &pid]).status()?;
///     assert_eq!(hangups.recv(), Some(())); // reload the configuration here
///     Ok(())
/// }
/// ```
#[cfg(unix)]
pub struct Signal {
    inner: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signal {
    /// Waits (green) for the next delivery of the signal; `None` if no more
    /// can come (the runtime is shutting down).
    ///
    /// ```
    /// use green::signal::{SignalKind, signal};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut user = signal(SignalKind::user_defined2())?;
    /// #   let pid = std::process::id().to_string();
    ///     green::compat::process::Command::new("kill").args(["-USR2", &pid]).status()?;
    ///     assert_eq!(user.recv(), Some(()));
    ///     Ok(())
    /// }
    /// ```
    pub fn recv(&mut self) -> Green<impl Future<Output = Option<()>> + '_> {
        Green::new(self.inner.recv())
    }

    /// The green counterpart of [`Iterator::next`] (the same as
    /// [`recv`](Signal::recv)), called by `for` loops in green code.
    ///
    /// ```
    /// use green::signal::{SignalKind, signal};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let alarms = signal(SignalKind::alarm())?;
    /// #   let pid = std::process::id().to_string();
    ///     green::compat::process::Command::new("kill").args(["-ALRM", &pid]).status()?;
    ///     let mut seen = 0;
    ///     for () in alarms {
    ///         seen += 1;
    ///         break;
    ///     }
    ///     assert_eq!(seen, 1);
    ///     Ok(())
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<()>> + '_> {
        self.recv()
    }
}

#[cfg(unix)]
impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal").finish_non_exhaustive()
    }
}

/// Listens for the unix signal `kind` from now on and gives a [`Signal`]
/// stream of its deliveries (not green: it returns at once).
///
/// # Errors
///
/// `kind` cannot be listened for (SIGKILL, SIGSTOP, an invalid number).
///
/// # Panics
///
/// Outside a hub (call it from green code).
///
/// ```
/// use green::signal::{SignalKind, signal};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut terminate = signal(SignalKind::terminate())?;
///     let shutdown = green::spawn(move || async move { terminate.recv().await });
/// #   let pid = std::process::id().to_string();
///     green::compat::process::Command::new("kill").args(["-TERM", &pid]).status()?;
///     assert_eq!(shutdown.join(), Ok(Some(())));
///     Ok(())
/// }
/// ```
#[cfg(unix)]
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    tokio::signal::unix::signal(kind).map(|inner| Signal { inner })
}
