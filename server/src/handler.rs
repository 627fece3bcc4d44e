//! What a server's handler may return.

use core::fmt;

/// The output of a server's handler: `()`, or a `Result` whose error is
/// reported (with the peer's address) when the handler returns `Err`.
/// A handler that panics is reported by the hub, under the connection
/// task's name, which is the peer's address. Either way the server goes on.
///
/// ```
/// use green::server::HandlerOutput;
///
/// assert_eq!(().failure(), None);
/// assert_eq!(Ok::<u8, String>(1).failure(), None);
/// let failed: std::io::Result<()> = Err(std::io::ErrorKind::BrokenPipe.into());
/// assert_eq!(failed.failure().as_deref(), Some("broken pipe"));
/// ```
pub trait HandlerOutput {
    /// What went wrong, if the handler failed.
    fn failure(self) -> Option<String>;
}

impl HandlerOutput for () {
    fn failure(self) -> Option<String> {
        None
    }
}

impl<T, E: fmt::Display> HandlerOutput for Result<T, E> {
    fn failure(self) -> Option<String> {
        self.err().map(|error| error.to_string())
    }
}
