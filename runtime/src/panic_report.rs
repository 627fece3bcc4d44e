//! The report of a panicking green task: one block on stderr naming the task,
//! the message, where it panicked and where it was spawned; at most
//! [`FULL_PER_SECOND`] in full each second, then a count, so that a storm of
//! panicking tasks neither floods the log nor stalls the hub writing it.
//!
//! The report is written where the task's panic is caught, not by the panic
//! hook: a hook the program sets after green's replaces green's, and the
//! report must not vanish with it. green's hook only notes where a task
//! panicked (the location is known only there) and keeps std's default
//! message from printing a second report.

use core::cell::Cell;
use std::panic::{self, Location};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::task::{Header, TaskId};

/// Reports written in full in one second; the rest are counted.
pub(crate) const FULL_PER_SECOND: u32 = 10;

const WINDOW: Duration = Duration::from_secs(1);

thread_local! {
    /// Which task running on this thread last panicked and where, as green's
    /// hook saw it (a panic the task caught itself leaves one behind: the id
    /// keeps it from being taken for another task's).
    static LOCATION: Cell<Option<(TaskId, String)>> = const { Cell::new(None) };
    /// The rate limit of this hub's reports.
    static LIMIT: Cell<Limit> = const { Cell::new(Limit { start: None, shown: 0, left_out: 0 }) };
}

#[derive(Clone, Copy)]
struct Limit {
    start: Option<Instant>,
    shown: u32,
    left_out: u64,
}

/// Installs (once per process) a panic hook that notes where a green task
/// panicked and keeps std's message for it quiet; every other panic goes to
/// the hook that was there before.
pub(crate) fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let _quiet = crate::monitor::in_panic_hook();
            if crate::hub::in_spawned_task() {
                let task = crate::hub::current_task().header().id();
                let location = info.location().map(|at| (task, at.to_string()));
                // The thread-local may be gone while the thread exits.
                let _ = LOCATION.try_with(|cell| cell.set(location));
            } else {
                previous(info);
            }
        }));
    });
}

/// Reports the panic of the task `header`, whose payload said `message`,
/// within the rate limit.
pub(crate) fn task_panicked(header: &Header, message: &str) {
    let location = LOCATION
        .try_with(Cell::take)
        .ok()
        .flatten()
        .filter(|(task, _)| *task == header.id())
        .map(|(_, at)| at);
    let now = Instant::now();
    let mut limit = LIMIT.get();
    if limit
        .start
        .is_none_or(|start| now.duration_since(start) >= WINDOW)
    {
        flush(&limit);
        limit = Limit {
            start: Some(now),
            shown: 0,
            left_out: 0,
        };
    }
    if limit.shown < FULL_PER_SECOND {
        limit.shown += 1;
        let at = match location {
            Some(location) => format!(" at {location}"),
            None => String::new(),
        };
        let spawned = header
            .spawned_at()
            .map(Location::to_string)
            .unwrap_or_default();
        eprintln!(
            "green: task '{}' (id {}) panicked{at}:\n{message}\nnote: spawned at {spawned}; the hub goes on, join() gives GreenError::Panicked",
            header.name(),
            header.id(),
        );
    } else {
        limit.left_out += 1;
    }
    LIMIT.set(limit);
}

/// Says how many reports the last window left out, when the hub ends.
pub(crate) fn flush_hub() {
    let limit = LIMIT.replace(Limit {
        start: None,
        shown: 0,
        left_out: 0,
    });
    flush(&limit);
}

fn flush(limit: &Limit) {
    if limit.left_out > 0 {
        eprintln!(
            "green: {} more task panics in that second were not shown (at most {FULL_PER_SECOND} a second are); each task's join() gives its message",
            limit.left_out
        );
    }
}
