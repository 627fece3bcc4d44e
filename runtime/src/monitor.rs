//! The monitor (gevent's monitor thread and `max_blocking_time`): one thread
//! per process that watches every hub and says on stderr, while it happens,
//! when a task has kept its hub from switching for longer than the threshold
//! (a CPU-bound loop, a `std::thread::sleep`, a std lock or std I/O), and
//! once more when the task lets go.
//!
//! The switch path pays a few plain stores. Each hub has a [`Watch`]: when a
//! task poll starts, the hub stores the task's id and spawn site and bumps
//! `switches` to an odd value; when the poll ends, it bumps it to an even
//! one. No lock, no allocation, no clock read. The monitor samples every
//! hub each quarter of the threshold: an odd value it has seen unchanged for
//! the threshold is one poll that has run that long — a blocked hub; an even
//! value, however old, is a hub parked on I/O or timers, which is fine.
//! Task names are the one thing the hub cannot store that cheaply; they go
//! to a small map per hub when a task is named, read only for a report.
//!
//! The report is written by the monitor; the let-go line by the hub itself
//! at the end of the poll, so it is exact and is not lost when the process
//! exits right after (the monitor writes it instead when it notices the
//! release first). Both are written straight to the process's stderr: not
//! through `eprintln!`, whose output a test harness captures per test (and
//! would hand, from the monitor thread, to whichever test started it).
//!
//! `GREEN_MONITOR=0` turns the monitor off (no thread, no stores);
//! `GREEN_MAX_BLOCKING_MS=<ms>` sets the threshold (100 ms by default).

use core::pin::Pin;
use core::sync::atomic::{AtomicU64, Ordering, fence};
use core::task::{Context, Poll};
use core::time::Duration;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;
use std::panic::Location;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::{self, Thread};
use std::time::Instant;

use pin_project_lite::pin_project;

use crate::atomic_location::AtomicLocation;
use crate::task::{Header, TaskId};

/// The threshold when `GREEN_MAX_BLOCKING_MS` is not set.
const DEFAULT_THRESHOLD: Duration = Duration::from_millis(100);

/// The threshold, or `None` when the monitor is off; read from the
/// environment once per process.
fn threshold() -> Option<Duration> {
    static THRESHOLD: OnceLock<Option<Duration>> = OnceLock::new();
    *THRESHOLD.get_or_init(|| {
        let monitor = std::env::var("GREEN_MONITOR").ok();
        let max_ms = std::env::var("GREEN_MAX_BLOCKING_MS").ok();
        let (threshold, warning) = parse_config(monitor.as_deref(), max_ms.as_deref());
        if let Some(warning) = warning {
            write_stderr(&warning);
        }
        threshold
    })
}

/// The monitor's configuration from the values of `GREEN_MONITOR` and
/// `GREEN_MAX_BLOCKING_MS`, and a warning when the latter is not a number of
/// milliseconds.
fn parse_config(monitor: Option<&str>, max_ms: Option<&str>) -> (Option<Duration>, Option<String>) {
    let off = monitor.is_some_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "0" | "false" | "off" | "no"
        )
    });
    if off {
        return (None, None);
    }
    match max_ms.map(|value| (value, value.trim().parse::<u64>())) {
        None => (Some(DEFAULT_THRESHOLD), None),
        Some((_, Ok(ms))) if ms > 0 => (Some(Duration::from_millis(ms)), None),
        Some((value, _)) => (
            Some(DEFAULT_THRESHOLD),
            Some(format!(
                "green: GREEN_MAX_BLOCKING_MS={value:?} is not a whole number of milliseconds \
                 above 0; the monitor uses {} ms (GREEN_MONITOR=0 turns it off)",
                DEFAULT_THRESHOLD.as_millis()
            )),
        ),
    }
}

/// What a hub publishes for the monitor.
struct Watch {
    /// Bumped when a task poll starts (to an odd value) and when it ends (to
    /// an even one): odd while a task runs, unchanged while no task switches.
    switches: AtomicU64,
    /// The id of the task being polled.
    task: AtomicU64,
    /// Its spawn site (for the main task, where `green::run` was called).
    site: AtomicLocation,
    /// The odd `switches` value of a poll the monitor has reported and whose
    /// let-go line nobody has written yet; 0 when there is none. Whoever
    /// takes it (compare-exchange to 0) writes the line.
    reported: AtomicU64,
    /// When that poll started, at the latest: nanoseconds since [`epoch`].
    reported_since: AtomicU64,
    /// The odd `switches` value of a poll in the panic hook: not reported
    /// (see [`in_panic_hook`]).
    panicking: AtomicU64,
    /// The names of this hub's named tasks (ids of unnamed tasks are absent:
    /// they are called "Greenlet-<id>").
    names: Mutex<HashMap<TaskId, Box<str>>>,
    /// The let-go line of the reported poll, but for its length: written by
    /// the monitor with the report (the task may have ended and lost its
    /// name by the time the line is due).
    let_go_text: Mutex<String>,
}

impl Watch {
    fn new() -> Self {
        Watch {
            switches: AtomicU64::new(0),
            task: AtomicU64::new(0),
            site: AtomicLocation::none(),
            reported: AtomicU64::new(0),
            reported_since: AtomicU64::new(0),
            panicking: AtomicU64::new(0),
            names: Mutex::new(HashMap::new()),
            let_go_text: Mutex::new(String::new()),
        }
    }

    fn names(&self) -> MutexGuard<'_, HashMap<TaskId, Box<str>>> {
        self.names.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the let-go line of the poll whose odd `switches` value was
    /// `poll`, if the monitor reported it and nobody has written it yet.
    #[cold]
    fn let_go(&self, poll: u64) {
        if self
            .reported
            .compare_exchange(poll, 0, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        let since = self.reported_since.load(Ordering::Relaxed);
        let blocked = Duration::from_nanos(nanos_since_epoch().saturating_sub(since));
        write_stderr(&self.let_go_line(blocked));
    }

    /// The let-go line of the reported poll, which blocked its hub for
    /// `blocked`.
    fn let_go_line(&self, blocked: Duration) -> String {
        let text = self
            .let_go_text
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        format!("{text} {} ms in all", blocked.as_millis())
    }
}

/// The process's clock origin for times stored in atomics.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn nanos_since_epoch() -> u64 {
    nanos_between(epoch(), Instant::now())
}

fn nanos_between(start: Instant, end: Instant) -> u64 {
    u64::try_from(end.saturating_duration_since(start).as_nanos()).unwrap_or(u64::MAX)
}

/// Writes `line` to the process's stderr as one write, ignoring failure (a
/// closed stderr must not take a hub down).
fn write_stderr(line: &str) {
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

thread_local! {
    /// The watch of the hub running on this thread; `None` outside a hub and
    /// when the monitor is off.
    static WATCH: Cell<Option<&'static Watch>> = const { Cell::new(None) };
}

/// The hubs the monitor watches, and the watches of hubs that ended, to
/// reuse: a watch is leaked once and recycled, so the hot path reads a plain
/// `&'static` and at most as many exist as hubs ever ran at once.
struct Registry {
    hubs: Vec<Watched>,
    free: Vec<&'static Watch>,
    monitor: Option<Thread>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    hubs: Vec::new(),
    free: Vec::new(),
    monitor: None,
});

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A registered hub, and what the monitor knows of it.
struct Watched {
    watch: &'static Watch,
    /// The hub's thread, named in reports.
    thread: String,
    /// The main task's id.
    main: TaskId,
    /// `switches` at the last sample.
    value: u64,
    /// The sample before the one that first saw `value`: what `value` stands
    /// for (if odd, a poll) started after it.
    since: Instant,
    /// The first sample that saw `value`.
    first_seen: Instant,
    /// The last sample.
    last_sample: Instant,
    /// `value` is a poll the monitor has reported.
    reported: bool,
}

/// The hub's registration with the monitor, for the length of `green::run`.
pub(crate) struct HubWatch {
    watch: &'static Watch,
}

/// Registers the hub starting on this thread, whose main task is `main` and
/// whose `green::run` was called at `site`, and starts the monitor on first
/// use. `None` when the monitor is off or cannot start.
pub(crate) fn watch_hub(main: &Header, site: &'static Location<'static>) -> Option<HubWatch> {
    let threshold = threshold()?;
    // Set before any time is measured against it.
    epoch();
    let now = Instant::now();
    // One of several hubs is named by its place ("hub 1 of 2 (thread
    // green-hub-1)"); a lone hub by its thread, as before.
    let thread = crate::hub::describe().unwrap_or_else(|| match thread::current().name() {
        Some(name) => format!("the hub on thread '{name}'"),
        None => format!("the hub on thread {:?}", thread::current().id()),
    });
    let mut registry = registry();
    if registry.monitor.is_none() {
        let spawned = thread::Builder::new()
            .name("green-monitor".to_owned())
            .stack_size(256 * 1024)
            .spawn(move || monitor(threshold));
        match spawned {
            Ok(handle) => registry.monitor = Some(handle.thread().clone()),
            // Without a thread there is no monitor; the hub runs as before.
            Err(_) => return None,
        }
    }
    let watch = match registry.free.pop() {
        Some(watch) => watch,
        None => Box::leak(Box::new(Watch::new())),
    };
    watch.reported.store(0, Ordering::Relaxed);
    watch.site.store(Some(site), Ordering::Relaxed);
    watch.task.store(main.id().as_u64(), Ordering::Relaxed);
    watch.names().insert(main.id(), main.name().into());
    registry.hubs.push(Watched {
        watch,
        thread,
        main: main.id(),
        value: u64::MAX,
        since: now,
        first_seen: now,
        last_sample: now,
        reported: false,
    });
    if let Some(monitor) = &registry.monitor {
        monitor.unpark();
    }
    drop(registry);
    WATCH.set(Some(watch));
    Some(HubWatch { watch })
}

impl Drop for HubWatch {
    fn drop(&mut self) {
        let _ = WATCH.try_with(|current| current.set(None));
        self.watch.names().clear();
        let mut registry = registry();
        // A watch serves one hub at a time: it is freed only here.
        registry
            .hubs
            .retain(|hub| !core::ptr::eq(hub.watch, self.watch));
        registry.free.push(self.watch);
    }
}

/// Marks a task poll on this thread's hub until it drops: the hot path.
pub(crate) struct Polling {
    /// `None` when the monitor is off, outside a hub, or inside another poll
    /// (the outer poll is the one holding the hub).
    watch: Option<&'static Watch>,
}

/// Tells the monitor that the task `task`, spawned at `site`, is being polled
/// until the returned guard drops.
#[inline]
pub(crate) fn polling(task: TaskId, site: Option<&'static Location<'static>>) -> Polling {
    let Some(watch) = WATCH.get() else {
        return Polling { watch: None };
    };
    let switches = watch.switches.load(Ordering::Relaxed);
    if switches & 1 == 1 {
        return Polling { watch: None };
    }
    watch.task.store(task.as_u64(), Ordering::Relaxed);
    watch.site.store(site, Ordering::Relaxed);
    // Release: the monitor that sees the odd value sees the task's id.
    watch.switches.store(switches + 1, Ordering::Release);
    Polling { watch: Some(watch) }
}

impl Drop for Polling {
    #[inline]
    fn drop(&mut self) {
        if let Some(watch) = self.watch {
            let poll = watch.switches.load(Ordering::Relaxed);
            watch.switches.store(poll + 1, Ordering::Relaxed);
            if watch.reported.load(Ordering::Relaxed) == poll {
                watch.let_go(poll);
            }
        }
    }
}

pin_project! {
    /// The main task's future, with its polls marked as a spawned task's are.
    pub(crate) struct MainPolls<F> {
        #[pin]
        future: F,
        task: TaskId,
        site: &'static Location<'static>,
    }
}

impl<F> MainPolls<F> {
    pub(crate) fn new(future: F, task: TaskId, site: &'static Location<'static>) -> Self {
        MainPolls { future, task, site }
    }
}

impl<F: Future> Future for MainPolls<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _polling = polling(*this.task, Some(*this.site));
        this.future.poll(cx)
    }
}

/// Tells the monitor that the poll running on this thread's hub is in the
/// panic hook until the returned guard drops: the hook's time (a backtrace
/// takes long to resolve) is not a block to report — the panic is reported
/// already. The rest of the poll (destructors run while unwinding) counts
/// again, from the hook's end.
pub(crate) fn in_panic_hook() -> PanicHook {
    let watch = WATCH.try_with(Cell::get).ok().flatten().filter(|watch| {
        let poll = watch.switches.load(Ordering::Relaxed);
        watch.panicking.store(poll, Ordering::Relaxed);
        poll & 1 == 1
    });
    PanicHook { watch }
}

/// Guard of [`in_panic_hook`].
pub(crate) struct PanicHook {
    watch: Option<&'static Watch>,
}

impl Drop for PanicHook {
    fn drop(&mut self) {
        if let Some(watch) = self.watch {
            // A new odd value: to the monitor, a poll that starts now.
            let poll = watch.switches.load(Ordering::Relaxed);
            watch.switches.store(poll + 2, Ordering::Release);
        }
    }
}

/// Notes the name of the task `task` of this thread's hub, for reports.
pub(crate) fn task_named(task: TaskId, name: &str) {
    if let Some(watch) = WATCH.get() {
        watch.names().insert(task, name.into());
    }
}

/// Forgets the name of the task `task`, which ended.
pub(crate) fn task_ended(task: TaskId) {
    if let Some(watch) = WATCH.get() {
        watch.names().remove(&task);
    }
}

/// The monitor thread: samples every hub each quarter of `threshold`, and
/// sleeps without waking while no hub runs.
fn monitor(threshold: Duration) {
    let step = (threshold / 4).max(Duration::from_millis(1));
    let mut lines = Vec::new();
    loop {
        {
            let mut registry = registry();
            if registry.hubs.is_empty() {
                drop(registry);
                // `watch_hub` unparks.
                thread::park();
                continue;
            }
            let now = Instant::now();
            for hub in &mut registry.hubs {
                hub.sample(now, threshold, &mut lines);
            }
        }
        // Written outside the lock: a slow stderr must not hold up a hub
        // that starts or ends.
        for line in lines.drain(..) {
            write_stderr(&line.text);
            if let Some(mark) = line.then_mark {
                let Mark {
                    watch,
                    poll,
                    since,
                    let_go_text,
                } = mark;
                *watch
                    .let_go_text
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = let_go_text;
                // After the report is out, so that the let-go line follows it.
                watch.reported_since.store(since, Ordering::Relaxed);
                watch.reported.store(poll, Ordering::Release);
            }
        }
        thread::sleep(step);
    }
}

/// A line the monitor writes, and the poll to mark reported once it is out.
struct Line {
    text: String,
    then_mark: Option<Mark>,
}

/// A reported poll, whose let-go line is now due.
struct Mark {
    watch: &'static Watch,
    /// Its odd `switches` value.
    poll: u64,
    /// When it started, at the latest, in nanoseconds since [`epoch`].
    since: u64,
    /// Its let-go line but for the length.
    let_go_text: String,
}

impl Watched {
    fn sample(&mut self, now: Instant, threshold: Duration, lines: &mut Vec<Line>) {
        let value = self.watch.switches.load(Ordering::Acquire);
        if value != self.value {
            if self.reported
                && self
                    .watch
                    .reported
                    .compare_exchange(self.value, 0, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                // The poll ended, and its hub has not written the line.
                let blocked = now.saturating_duration_since(self.since);
                lines.push(Line {
                    text: self.watch.let_go_line(blocked),
                    then_mark: None,
                });
            }
            self.value = value;
            self.since = self.last_sample;
            self.first_seen = now;
            self.reported = false;
        } else if value & 1 == 1
            && !self.reported
            && self.watch.panicking.load(Ordering::Relaxed) != value
            && now.saturating_duration_since(self.first_seen) >= threshold
        {
            let task_number = self.watch.task.load(Ordering::Relaxed);
            let site = self.watch.site.load(Ordering::Relaxed);
            // A seqlock read: the id and site belong to `value` if it has
            // not changed meanwhile; if it has, the poll just ended.
            fence(Ordering::Acquire);
            if self.watch.switches.load(Ordering::Relaxed) == value {
                self.reported = true;
                let task = TaskId::from_u64(task_number);
                let name =
                    task.and_then(|id| self.watch.names().get(&id).map(|name| name.to_string()));
                let blocked = now.saturating_duration_since(self.since);
                let let_go_text = format!(
                    "green: {} switches again: task '{}' (id {}) blocked it for",
                    self.thread,
                    name.clone()
                        .unwrap_or_else(|| format!("Greenlet-{task_number}")),
                    task_number,
                );
                lines.push(Line {
                    text: report_line(
                        &self.thread,
                        task,
                        name,
                        self.main,
                        site,
                        blocked,
                        threshold,
                    ),
                    then_mark: Some(Mark {
                        watch: self.watch,
                        poll: value,
                        since: nanos_between(epoch(), self.since),
                        let_go_text,
                    }),
                });
            }
        }
        self.last_sample = now;
    }
}

fn report_line(
    hub: &str,
    task: Option<TaskId>,
    name: Option<String>,
    main: TaskId,
    site: Option<&'static Location<'static>>,
    blocked: Duration,
    threshold: Duration,
) -> String {
    let task_text = match task {
        Some(id) => {
            let name = name.unwrap_or_else(|| format!("Greenlet-{id}"));
            let site = match site {
                Some(site) if id == main => format!(", the main task, run at {site}"),
                Some(site) => format!(", spawned at {site}"),
                None => String::new(),
            };
            format!("task '{name}' (id {id}{site})")
        }
        None => "a task".to_owned(),
    };
    format!(
        "green: {hub} is blocked: {task_text} has run {} ms without switching; every \
         other task and timer of this hub waits\nnote: look in the task for a long \
         computation without green::idle(), or a blocking std call (std::thread::sleep, \
         std I/O, a std lock: use green::compat); reported past {} ms \
         (GREEN_MAX_BLOCKING_MS), GREEN_MONITOR=0 turns this off",
        blocked.as_millis(),
        threshold.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_defaults_to_100_ms() {
        assert_eq!(parse_config(None, None), (Some(DEFAULT_THRESHOLD), None));
        assert_eq!(
            parse_config(Some("1"), None),
            (Some(DEFAULT_THRESHOLD), None)
        );
    }

    #[test]
    fn config_reads_the_threshold() {
        assert_eq!(
            parse_config(None, Some("250")),
            (Some(Duration::from_millis(250)), None)
        );
        assert_eq!(
            parse_config(None, Some(" 7 ")),
            (Some(Duration::from_millis(7)), None)
        );
    }

    #[test]
    fn config_turns_off() {
        for off in ["0", "false", "OFF", "no"] {
            assert_eq!(parse_config(Some(off), Some("5")), (None, None), "{off}");
        }
    }

    #[test]
    fn config_warns_on_a_bad_threshold() {
        for bad in ["0", "-3", "1.5", "soon", ""] {
            let (threshold, warning) = parse_config(None, Some(bad));
            assert_eq!(threshold, Some(DEFAULT_THRESHOLD), "{bad}");
            let warning = warning.expect("a warning");
            assert!(warning.contains("GREEN_MAX_BLOCKING_MS"), "{warning}");
        }
    }

    #[test]
    fn report_names_the_task_and_the_site() {
        let main = TaskId::from_u64(1).unwrap();
        let worker = TaskId::from_u64(7);
        let site = Location::caller();
        let line = report_line(
            "the hub on thread 'main'",
            worker,
            Some("spinner".into()),
            main,
            Some(site),
            Duration::from_millis(130),
            DEFAULT_THRESHOLD,
        );
        assert!(
            line.contains(&format!("task 'spinner' (id 7, spawned at {site})")),
            "{line}"
        );
        assert!(line.contains("has run 130 ms"), "{line}");
        let line = report_line(
            "the hub on thread 'main'",
            Some(main),
            None,
            main,
            Some(site),
            Duration::from_millis(130),
            DEFAULT_THRESHOLD,
        );
        assert!(
            line.contains(&format!(
                "task 'Greenlet-1' (id 1, the main task, run at {site})"
            )),
            "{line}"
        );
    }
}
