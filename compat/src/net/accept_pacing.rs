//! Accept pacing: after an accept error that will come back at once (too
//! many open files, no buffer space, no memory), the next accept of the same
//! listener first waits a short, growing pause, so that a log-and-continue
//! loop neither burns a core nor floods its log.
//!
//! std's `accept` gives `EMFILE` again as fast as the loop asks; gevent's
//! `StreamServer` stops accepting for a growing delay instead. Here the
//! error is still returned, as std returns it, but the next accept of that
//! listener (any handle of it) starts with a pause: 1 ms after the first
//! error, doubling with each error in a row, up to 100 ms. An accepted
//! connection resets it. In non-blocking mode a paused accept gives
//! `WouldBlock`, as it would wait.
//!
//! Errors that concern one connection only (`ConnectionAborted`,
//! `ConnectionReset`, `Interrupted`, `WouldBlock`, `PermissionDenied` from a
//! firewall rule) consume that connection and are not paced: the next one
//! may be fine.

use core::future::Future;
use core::time::Duration;
use std::io;
use std::sync::{Mutex, PoisonError};

use tokio::time::Instant;

/// The first pause after an error.
const FIRST_PAUSE: Duration = Duration::from_millis(1);
/// The longest pause: bounds both the wake-ups of a stuck loop (10 a
/// second) and the delay before a freed descriptor is used.
const MAX_PAUSE: Duration = Duration::from_millis(100);

/// The pause state of one listening socket, shared by its handles.
#[derive(Debug, Default)]
pub(crate) struct AcceptPacing {
    state: Mutex<Pause>,
}

#[derive(Debug, Default)]
struct Pause {
    /// The pause after the next error in a row (zero: none yet).
    last: Duration,
    /// No accept before this instant.
    until: Option<Instant>,
}

impl AcceptPacing {
    /// Runs `accept` after the pause left, if any, and records its outcome.
    pub(crate) async fn accept<T>(
        &self,
        accept: impl Future<Output = io::Result<T>>,
    ) -> io::Result<T> {
        let until = self.lock().until;
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
        let result = accept.await;
        self.record(&result);
        result
    }

    fn record<T>(&self, result: &io::Result<T>) {
        let mut pause = self.lock();
        match result {
            Ok(_) => *pause = Pause::default(),
            Err(error) if repeats(error) => {
                pause.last = (pause.last * 2).clamp(FIRST_PAUSE, MAX_PAUSE);
                pause.until = Some(Instant::now() + pause.last);
            }
            Err(_) => {}
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pause> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether the same accept error will very likely come back at once: every
/// error but those that concern one connection.
fn repeats(error: &io::Error) -> bool {
    use io::ErrorKind::*;
    !matches!(
        error.kind(),
        ConnectionAborted
            | ConnectionReset
            | Interrupted
            | WouldBlock
            | PermissionDenied
            | TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emfile() -> io::Error {
        io::Error::from_raw_os_error(24)
    }

    #[test]
    fn pauses_grow_double_and_cap() {
        let pacing = AcceptPacing::default();
        let mut seen = Vec::new();
        for _ in 0..10 {
            pacing.record::<()>(&Err(emfile()));
            seen.push(pacing.lock().last);
        }
        assert_eq!(seen[0], FIRST_PAUSE);
        assert_eq!(seen[1], FIRST_PAUSE * 2);
        assert_eq!(*seen.last().unwrap(), MAX_PAUSE);
        pacing.record(&Ok(()));
        assert!(pacing.lock().until.is_none());
    }

    #[test]
    fn connection_errors_are_not_paced() {
        let pacing = AcceptPacing::default();
        pacing.record::<()>(&Err(io::ErrorKind::ConnectionAborted.into()));
        assert!(pacing.lock().until.is_none());
    }
}
