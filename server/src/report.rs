//! Reporting accept (and receive) errors at most once per interval.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// How often a stuck server says so.
const INTERVAL: Duration = Duration::from_secs(1);

/// Rate-limited reports of the errors of one server's accept loop: the
/// first error at once, then at most one line per [`INTERVAL`], counting
/// the errors left unsaid.
#[derive(Debug)]
pub(crate) struct ErrorReports {
    addr: SocketAddr,
    last: Option<Instant>,
    unsaid: u64,
}

impl ErrorReports {
    pub(crate) fn new(addr: SocketAddr) -> Self {
        ErrorReports {
            addr,
            last: None,
            unsaid: 0,
        }
    }

    /// Reports `error` now, or counts it for the next report.
    pub(crate) fn report(&mut self, what: &str, error: &io::Error) {
        let now = Instant::now();
        if self.last.is_some_and(|last| now - last < INTERVAL) {
            self.unsaid += 1;
            return;
        }
        let unsaid = match self.unsaid {
            0 => String::new(),
            n => format!(" ({n} more errors in the last {}s)", INTERVAL.as_secs()),
        };
        eprintln!(
            "green::server: {what} on {} failed: {error}{unsaid}; the server goes on, retrying",
            self.addr
        );
        self.last = Some(now);
        self.unsaid = 0;
    }
}

/// Reports a connection whose handshake or handler failed.
pub(crate) fn connection_failed(what: &str, peer: SocketAddr, failure: &str) {
    eprintln!("green::server: {what} for {peer} failed: {failure}; the server goes on");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_reported_once() {
        let mut reports = ErrorReports::new(([127, 0, 0, 1], 1).into());
        for _ in 0..1000 {
            reports.report("accept", &io::Error::from_raw_os_error(24));
        }
        assert_eq!(reports.unsaid, 999);
    }
}
