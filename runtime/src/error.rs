//! Why a green task produced no value.

use core::fmt;

/// Why a green task ended without a value: what [`Greenlet::join`](crate::Greenlet::join)
/// gives instead of the task's result.
///
/// ```
/// use green::GreenError;
///
/// green::run(async {
///     let task = green::spawn(|| async { panic!("boom") });
///     match task.join().await {
///         Err(GreenError::Panicked(message)) => assert_eq!(message, "boom"),
///         other => panic!("unexpected {other:?}"),
///     }
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GreenError {
    /// The task panicked; the panic message.
    Panicked(String),
    /// The task was killed before it finished.
    Killed,
}

impl fmt::Display for GreenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GreenError::Panicked(message) => write!(f, "green task panicked: {message}"),
            GreenError::Killed => f.write_str("green task was killed"),
        }
    }
}

impl std::error::Error for GreenError {}
