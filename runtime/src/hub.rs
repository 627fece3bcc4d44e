//! The hub: a tokio current-thread runtime plus a `LocalSet` on the calling
//! thread, the running task, and the report of a panicking task.

use core::future::IntoFuture;
use std::cell::Cell;
use std::rc::Rc;

use crate::current_slot;
use crate::task::{AnyTask, Header};

thread_local! {
    static IN_HUB: Cell<bool> = const { Cell::new(false) };
    /// Which hub of a set this thread runs (`green::hubs`, a workers main).
    static PLACE: Cell<Option<Place>> = const { Cell::new(None) };
    static MAIN: Rc<dyn AnyTask> = Rc::new(MainTask(Header::main()));
}

struct MainTask(Header);

impl AnyTask for MainTask {
    fn header(&self) -> &Header {
        &self.0
    }
}

/// Runs `work` to the end on a new hub on this thread, as gevent's main
/// greenlet: green tasks spawned meanwhile run concurrently with it. Tasks
/// still running when `work` ends are dropped (their destructors run), and
/// blocking work still running on the thread pool is not waited for, as
/// threads are not when a std program's `main` returns.
///
/// While it runs, the process's monitor thread watches the hub: a task that
/// keeps it from switching for longer than 100 ms (`GREEN_MAX_BLOCKING_MS`)
/// is reported on stderr while it does, and when it lets go;
/// `GREEN_MONITOR=0` turns this off.
///
/// `#[green::main]` and `#[green::test]` expand to this.
///
/// ```
/// #[green::green]
/// fn add(a: u32, b: u32) -> u32 {
///     green::idle();
///     a + b
/// }
///
/// assert_eq!(green::run(add(2, 3)), 5);
/// ```
///
/// # Panics
///
/// Panics if called on a thread that is already running a hub (call the
/// green function directly there), or if the OS refuses the runtime's
/// resources. A panic inside `work` itself propagates to the caller.
#[track_caller]
pub fn run<F: IntoFuture>(work: F) -> F::Output {
    run_at(work, core::panic::Location::caller())
}

/// [`run`], with the site the monitor names for the main task given.
#[track_caller]
pub(crate) fn run_at<F: IntoFuture>(
    work: F,
    site: &'static core::panic::Location<'static>,
) -> F::Output {
    if IN_HUB.get() {
        panic!("green::run called inside a running hub: call the green function directly instead");
    }
    crate::panic_report::install_hook();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Nothing ready to run: the moment to look for a deadlock.
        .on_thread_park(crate::deadlock::hub_idle)
        .build()
        .unwrap_or_else(|err| panic!("green: cannot start the hub's runtime: {err}"));
    let local = tokio::task::LocalSet::new();
    let _hub = HubGuard::enter();
    crate::parked::hub_starts();
    // The monitor reports a task that keeps this hub from switching.
    let main = MAIN.with(Rc::clone);
    let _watched = crate::monitor::watch_hub(main.header(), site);
    // On the heap: each wrapper below, and block_on, would otherwise move
    // the whole main future on this thread's stack; a main holding a large
    // buffer across a wait overflowed the 2 MiB of a test thread.
    let work = crate::parked::MainWaits::new(Box::pin(work.into_future()));
    let work = crate::monitor::MainPolls::new(work, main.header().id(), site);
    let output = local.block_on(&runtime, work);
    {
        // Drop the tasks still running inside the runtime, so that their
        // destructors (sockets, timers) deregister cleanly.
        let _context = runtime.enter();
        drop(local);
    }
    // As a std program whose main returns: blocking work still in flight on
    // the thread pool (`spawn_blocking`, compat's file and name-lookup calls)
    // is not waited for. Dropping the runtime would wait for it, holding the
    // process after main returned for as long as one call hangs.
    runtime.shutdown_background();
    crate::panic_report::flush_hub();
    output
}

struct HubGuard;

impl HubGuard {
    fn enter() -> Self {
        IN_HUB.set(true);
        HubGuard
    }
}

impl Drop for HubGuard {
    fn drop(&mut self) {
        IN_HUB.set(false);
    }
}

/// Where a hub of a set stands: its index and how many hubs the set has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) index: usize,
    pub(crate) count: usize,
}

/// Marks this thread as hub `place.index` of a set, for [`hub_index`] and
/// the reports (monitor, deadlock, run info) that name the hub.
pub(crate) fn set_place(place: Option<Place>) {
    PLACE.set(place);
}

/// Which hub of the current set (a [`Hubs`](crate::Hubs), or the hubs of a
/// `#[green::main(workers = n)]`) the caller runs on: 0 to n - 1, and 0 on a
/// lone hub or outside any hub.
///
/// ```
/// let hubs = green::hubs(2);
/// let task = hubs.spawn_on(1, || async { green::hub_index() });
/// assert_eq!(task.join_blocking(), Ok(1));
/// assert_eq!(green::hub_index(), 0); // this thread is no hub of the set
/// ```
pub fn hub_index() -> usize {
    PLACE.get().map_or(0, |place| place.index)
}

/// How reports name this thread's hub: "hub 2 of 4 (thread green-hub-2)"
/// when it is one of several, `None` for a lone hub (whose wording is
/// unchanged: "this hub", "the hub on thread 'main'").
pub(crate) fn describe() -> Option<String> {
    let place = PLACE.try_with(Cell::get).ok().flatten()?;
    if place.count < 2 {
        return None;
    }
    let thread = std::thread::current();
    let thread = match thread.name() {
        Some(name) => name.to_owned(),
        None => format!("{:?}", thread.id()),
    };
    Some(format!(
        "hub {} of {} (thread {thread})",
        place.index, place.count
    ))
}

/// True on a thread running a hub.
pub(crate) fn in_hub() -> bool {
    IN_HUB.get()
}

#[track_caller]
pub(crate) fn assert_in_hub(what: &str) {
    if !in_hub() {
        panic!(
            "{what} called outside a hub: call it from green code started by \
             green::run, #[green::main] or #[green::test]"
        );
    }
}

/// Runs `poll` with `task` as the running task (what [`current_task`]
/// gives), then puts back the one there was before, also on unwind.
#[inline]
pub(crate) fn run_as<T: AnyTask + 'static, R>(task: &Rc<T>, poll: impl FnOnce() -> R) -> R {
    current_slot::enter(task, poll)
}

/// True while the main task (the work given to [`run`]) runs, not a
/// spawned task.
pub(crate) fn on_main_task() -> bool {
    !current_slot::is_set()
}

/// True while a spawned green task runs on this thread (also while it
/// unwinds); false outside a hub and in the main task.
pub(crate) fn in_spawned_task() -> bool {
    current_slot::is_set()
}

/// The running task, or this thread's main task.
pub(crate) fn current_task() -> Rc<dyn AnyTask> {
    current_slot::get().unwrap_or_else(|| MAIN.with(Rc::clone))
}

/// This thread's main task (also outside a hub).
pub(crate) fn main_task() -> Rc<dyn AnyTask> {
    MAIN.with(Rc::clone)
}

/// `work`, failing with the message of a green test's timeout once
/// `timeout_ms` has passed.
pub(crate) async fn with_timeout<F: Future>(
    name: &'static str,
    timeout_ms: Option<u64>,
    work: F,
) -> F::Output {
    match timeout_ms {
        None => work.await,
        Some(ms) => match tokio::time::timeout(core::time::Duration::from_millis(ms), work).await {
            Ok(output) => output,
            Err(_) => panic!("green test `{name}` timed out after {ms} ms"),
        },
    }
}

/// The body of `#[green::main]` and `#[green::test]`: run on a fresh hub,
/// failing with a clear message once `timeout_ms` has passed.
#[track_caller]
pub fn run_main<F: Future>(name: &'static str, timeout_ms: Option<u64>, work: F) -> F::Output {
    match timeout_ms {
        None => run(work),
        Some(ms) => run(async move {
            match tokio::time::timeout(core::time::Duration::from_millis(ms), work).await {
                Ok(output) => output,
                Err(_) => panic!("green test `{name}` timed out after {ms} ms"),
            }
        }),
    }
}
