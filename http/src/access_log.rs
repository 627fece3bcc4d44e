//! The access log: one line per request in the common log format.

use core::fmt;
use std::cell::RefCell;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use http::StatusCode;

/// Where access-log lines go: a sink of this hub's, or one every hub of a
/// sharded server writes to, a line at a time under its lock.
pub(crate) enum AccessLog {
    Own(RefCell<Box<dyn Write>>),
    Shared(SharedSink),
}

/// A sink that hubs on other threads may write to.
pub(crate) type SharedSink = Arc<Mutex<Box<dyn Write + Send>>>;

impl fmt::Debug for AccessLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessLog").finish_non_exhaustive()
    }
}

impl AccessLog {
    pub(crate) fn new(out: Box<dyn Write>) -> AccessLog {
        AccessLog::Own(RefCell::new(out))
    }

    /// Lines to stderr, which every hub may share.
    pub(crate) fn stderr() -> AccessLog {
        AccessLog::Shared(Arc::new(Mutex::new(Box::new(std::io::stderr()))))
    }

    /// The sink, for the hubs of a sharded server; `None` for one that
    /// cannot leave this thread.
    pub(crate) fn sink(&self) -> Option<SharedSink> {
        match self {
            AccessLog::Own(_) => None,
            AccessLog::Shared(sink) => Some(sink.clone()),
        }
    }

    pub(crate) fn write(&self, line: &str) {
        let write = |out: &mut dyn Write| {
            let _ = out.write_all(line.as_bytes());
            let _ = out.flush();
        };
        match self {
            AccessLog::Own(out) => write(&mut **out.borrow_mut()),
            AccessLog::Shared(out) => {
                // A writer that panicked mid-line left nothing to protect.
                let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
                write(&mut **out);
            }
        }
    }
}

/// What is known of a request when it arrives.
pub(crate) struct Line {
    head: String,
}

impl Line {
    /// `host - - [date] "GET /path HTTP/1.1"`.
    pub(crate) fn new<B>(peer: SocketAddr, request: &http::Request<B>) -> Line {
        let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let head = format!(
            "{} - - [{}] \"{} {target} {:?}\"",
            peer.ip(),
            clf_date(SystemTime::now()),
            request.method(),
            request.version(),
        );
        Line { head }
    }

    /// The whole line: the head, the status and the body's size (`-` when
    /// unknown, as for a streamed body).
    pub(crate) fn finish(self, status: StatusCode, bytes: Option<u64>) -> String {
        match bytes {
            Some(bytes) => format!("{} {} {bytes}\n", self.head, status.as_u16()),
            None => format!("{} {} -\n", self.head, status.as_u16()),
        }
    }
}

/// `10/Oct/2000:13:55:36 +0000`, in UTC.
fn clf_date(time: SystemTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{day:02}/{}/{year}:{:02}:{:02}:{:02} +0000",
        MONTHS[(month - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_in_common_log_format() {
        assert_eq!(clf_date(UNIX_EPOCH), "01/Jan/1970:00:00:00 +0000");
        // 2000-10-10T13:55:36Z, the example of Apache's documentation.
        let apache = UNIX_EPOCH + Duration::from_secs(971_186_136);
        assert_eq!(clf_date(apache), "10/Oct/2000:13:55:36 +0000");
        let leap = UNIX_EPOCH + Duration::from_secs(1_709_164_800); // 2024-02-29
        assert_eq!(clf_date(leap), "29/Feb/2024:00:00:00 +0000");
    }

    #[test]
    fn a_line_per_request() {
        let request = http::Request::get("/a?b=1").body(()).unwrap();
        let line = Line::new("10.0.0.1:5000".parse().unwrap(), &request);
        let line = line.finish(StatusCode::OK, Some(5));
        assert!(line.starts_with("10.0.0.1 - - ["), "{line}");
        assert!(
            line.ends_with("] \"GET /a?b=1 HTTP/1.1\" 200 5\n"),
            "{line}"
        );
        let streamed =
            Line::new("10.0.0.1:5000".parse().unwrap(), &request).finish(StatusCode::OK, None);
        assert!(streamed.ends_with(" 200 -\n"), "{streamed}");
    }
}
