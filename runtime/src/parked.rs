//! What each green task of a hub waits on: the hub's list of live tasks and
//! the mark a green wait leaves on its task while it is pending.
//!
//! Every wait of a green primitive (a queue's `get`, an event's `wait`, a
//! lock's `acquire`, a join, ..) is wrapped in [`Parked`] by the public fn
//! that makes it (`#[track_caller]`, so the mark names the user's line).
//! While the wait is pending its task is marked "parked in `Queue::get` at
//! src/main.rs:12", and the hub counts the spawned tasks that are parked
//! where only another task of the hub can wake them. A wait under a timer (a
//! `*_timeout` wait, or any wait inside [`timeout`](crate::timeout)) is
//! marked too, for [`tasks`](crate::tasks), but not counted: its timer ends
//! it. The deadlock check (`deadlock.rs`) compares the count with the number
//! of live tasks when the hub goes idle.
//!
//! Cost: a wait that is ready at once costs nothing; one that goes pending
//! sets its task's mark and a counter (the counters live in a thread-local
//! without a destructor: a plain load), and clears them when it ends.

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::cell::{Cell, RefCell};
use std::panic::Location;
use std::rc::{Rc, Weak};

use pin_project_lite::pin_project;

use crate::green::Green;
use crate::hub;
use crate::task::{AnyTask, TaskId};

/// What a parked task waits on and where the wait was called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wait {
    /// A reference to the name, to keep marks small.
    pub(crate) what: &'static &'static str,
    pub(crate) at: &'static Location<'static>,
    /// Under a timer: the wait ends by itself, it cannot be a deadlock.
    pub(crate) timed: bool,
}

impl Wait {
    /// True if only another task of the hub can end this wait.
    fn counted(wait: Option<Wait>) -> bool {
        wait.is_some_and(|w| !w.timed)
    }
}

/// The hub's counts, read and written on every green wait that goes pending:
/// plain cells, so that the thread-local has no destructor to check for.
struct Counts {
    /// Spawned tasks alive on this hub (the main task not included).
    live: Cell<usize>,
    /// Spawned tasks parked in a green wait without a timer.
    parked: Cell<usize>,
    /// Depth of timers around the poll (`timeout`, `*_timeout`).
    timers: Cell<u32>,
    /// What the main task waits on.
    main_wait: Cell<Option<Wait>>,
    /// Set by the idle hub when it found a deadlock; read by the main task.
    deadlock: Cell<bool>,
}

/// One live spawned task of the hub, for [`snapshot`].
struct Entry {
    id: TaskId,
    task: Weak<dyn AnyTask>,
}

/// The hub's list of live spawned tasks and the main task's waker.
#[derive(Default)]
struct Registry {
    /// By slot (`Header::slot`); `None` is free.
    entries: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// The main task's waker while it is parked without a timer.
    main_waker: Option<Waker>,
}

thread_local! {
    static COUNTS: Counts = const {
        Counts {
            live: Cell::new(0),
            parked: Cell::new(0),
            timers: Cell::new(0),
            main_wait: Cell::new(None),
            deadlock: Cell::new(false),
        }
    };
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> Option<R> {
    REGISTRY
        .try_with(|registry| registry.try_borrow_mut().ok().map(|mut r| f(&mut r)))
        .ok()
        .flatten()
}

/// A new hub starts on this thread: forget a main wait a previous one left.
pub(crate) fn hub_starts() {
    // The main task's header (and id) exists from the start: it is listed
    // first and numbered before the tasks it spawns.
    drop(hub::main_task());
    COUNTS.with(|counts| {
        counts.main_wait.set(None);
        counts.deadlock.set(false);
        counts.timers.set(0);
    });
    with_registry(|registry| registry.main_waker = None);
}

/// Registers a spawned task; gives its slot.
pub(crate) fn register(id: TaskId, task: Weak<dyn AnyTask>) -> u32 {
    COUNTS.with(|counts| counts.live.set(counts.live.get() + 1));
    with_registry(|registry| {
        let entry = Some(Entry { id, task });
        match registry.free.pop() {
            Some(slot) => {
                registry.entries[slot as usize] = entry;
                slot
            }
            None => {
                registry.entries.push(entry);
                (registry.entries.len() - 1) as u32
            }
        }
    })
    .unwrap_or(u32::MAX)
}

/// The task in `slot` ended, parked in `wait` if it was.
pub(crate) fn unregister(slot: u32, id: TaskId, wait: Option<Wait>) {
    let _ = COUNTS.try_with(|counts| {
        counts.live.set(counts.live.get().saturating_sub(1));
        if Wait::counted(wait) {
            counts.parked.set(counts.parked.get().saturating_sub(1));
        }
    });
    with_registry(|registry| {
        if let Some(place) = registry.entries.get_mut(slot as usize) {
            if place.as_ref().is_some_and(|e| e.id == id) {
                *place = None;
                registry.free.push(slot);
            }
        }
    });
}

/// True when the main task and every live spawned task are parked in green
/// waits without a timer: nothing left on the hub could wake one.
pub(crate) fn all_parked() -> bool {
    let main = COUNTS.with(|c| Wait::counted(c.main_wait.get()) && c.parked.get() == c.live.get());
    main && with_registry(|r| r.main_waker.is_some()).unwrap_or(false)
}

/// The idle hub found a deadlock: flags it and wakes the main task.
pub(crate) fn flag_deadlock() {
    COUNTS.with(|counts| counts.deadlock.set(true));
    if let Some(Some(waker)) = with_registry(|r| r.main_waker.clone()) {
        waker.wake();
    }
}

/// Every live task: the main one first, then by id, each with what it
/// waits on.
pub(crate) fn snapshot() -> Vec<(Rc<dyn AnyTask>, Option<Wait>)> {
    let mut tasks: Vec<_> = with_registry(|registry| {
        registry
            .entries
            .iter()
            .flatten()
            .filter_map(|e| e.task.upgrade())
            .collect::<Vec<_>>()
    })
    .unwrap_or_default()
    .into_iter()
    .map(|task| {
        let wait = task.header().wait();
        (task, wait)
    })
    .collect();
    tasks.sort_by_key(|(task, _)| task.header().id());
    let main_wait = COUNTS.with(|c| c.main_wait.get());
    tasks.insert(0, (hub::main_task(), main_wait));
    tasks
}

/// The running task: a spawned one, or the main task; `None` outside a hub.
fn current_task() -> Option<Rc<dyn AnyTask>> {
    match hub::current_spawned_task() {
        Some(task) => Some(task),
        None => hub::in_hub().then(hub::main_task),
    }
}

fn is_main(task: &Rc<dyn AnyTask>) -> bool {
    task.header().spawned_at().is_none()
}

/// Marks `task` as parked in `wait`, in place of what it was parked in.
fn mark(task: &Rc<dyn AnyTask>, wait: Wait, waker: &Waker) {
    if is_main(task) {
        COUNTS.with(|c| c.main_wait.set(Some(wait)));
        with_registry(|registry| match &registry.main_waker {
            _ if wait.timed => registry.main_waker = None,
            Some(known) if known.will_wake(waker) => {}
            _ => registry.main_waker = Some(waker.clone()),
        });
        return;
    }
    let was = Wait::counted(task.header().set_wait(Some(wait)));
    let now = !wait.timed;
    if was != now {
        COUNTS.with(|c| {
            let parked = c.parked.get();
            c.parked.set(if was {
                parked.saturating_sub(1)
            } else {
                parked + 1
            });
        });
    }
}

fn unmark(task: &Rc<dyn AnyTask>) {
    if is_main(task) {
        let _ = COUNTS.try_with(|c| {
            c.main_wait.set(None);
            c.deadlock.set(false);
        });
        with_registry(|registry| registry.main_waker = None);
    } else if Wait::counted(task.header().set_wait(None)) {
        let _ = COUNTS.try_with(|c| c.parked.set(c.parked.get().saturating_sub(1)));
    }
}

/// The mark a pending wait left on its task; taken off when dropped.
pub(crate) struct Mark(Rc<dyn AnyTask>);

impl core::fmt::Debug for Mark {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Mark").field(&self.0.header().id()).finish()
    }
}

impl Drop for Mark {
    fn drop(&mut self) {
        unmark(&self.0);
    }
}

/// Marks the running task as sleeping, called at `at`, until the mark drops;
/// `None` outside a hub.
pub(crate) fn mark_sleep(at: &'static Location<'static>, waker: &Waker) -> Option<Mark> {
    let task = current_task()?;
    let wait = Wait {
        what: &"sleep",
        at,
        timed: true,
    };
    mark(&task, wait, waker);
    Some(Mark(task))
}

pin_project! {
    /// A green wait that marks its task while it is pending (see the module
    /// docs); `TIMED` if the wait has a timeout of its own. Kept small: it is
    /// part of every parked task's future.
    pub(crate) struct Parked<F, T> {
        #[pin]
        inner: F,
        what: &'static &'static str,
        at: &'static Location<'static>,
        mark: Option<Mark>,
        timing: PhantomData<T>,
    }
}

/// Whether a [`Parked`] wait has a timeout of its own, as a type: no room
/// taken in the future.
pub(crate) trait Timing {
    const TIMED: bool;
}

/// A wait with no timer of its own.
pub(crate) struct Untimed;

/// A wait with a timeout of its own (`get_timeout`, `join_timeout`).
pub(crate) struct Timed;

impl Timing for Untimed {
    const TIMED: bool = false;
}

impl Timing for Timed {
    const TIMED: bool = true;
}

impl<F, T> Parked<F, T> {
    /// `what` waits, called at `at`.
    pub(crate) fn new(
        what: &'static &'static str,
        at: &'static Location<'static>,
        inner: F,
    ) -> Self {
        Parked {
            inner,
            what,
            at,
            mark: None,
            timing: PhantomData,
        }
    }
}

impl<F: Future, T: Timing> Future for Parked<F, T> {
    type Output = F::Output;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        // A wait ready at once costs nothing more.
        let poll = this.inner.poll(cx);
        if poll.is_ready() {
            if this.mark.is_some() {
                *this.mark = None;
            }
        } else {
            pending(this.mark, this.what, this.at, T::TIMED, cx.waker());
        }
        poll
    }
}

/// A green wait returned `Pending`: marks its task. A wait made inside
/// another (a pool's `apply` joining its member) marks first; the outer one,
/// whose poll returns last, marks over it with the caller's line.
#[inline(never)]
fn pending(
    slot: &mut Option<Mark>,
    what: &'static &'static str,
    at: &'static Location<'static>,
    timed: bool,
    waker: &Waker,
) {
    if slot.is_none() {
        match current_task() {
            Some(task) => *slot = Some(Mark(task)),
            None => return,
        }
    }
    let Some(Mark(task)) = slot else {
        return;
    };
    let main = is_main(task);
    let (timers, deadlock) = COUNTS.with(|c| (c.timers.get(), main && c.deadlock.replace(false)));
    if deadlock && all_parked() {
        crate::deadlock::report_and_panic();
    }
    let wait = Wait {
        what,
        at,
        timed: timed || timers > 0,
    };
    mark(task, wait, waker);
}

/// Runs `f` (a poll) as under a timer: a green wait polled inside it ends
/// by itself and is no deadlock.
pub(crate) fn under_timer<R>(f: impl FnOnce() -> R) -> R {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            let _ = COUNTS.try_with(|c| c.timers.set(c.timers.get().saturating_sub(1)));
        }
    }
    COUNTS.with(|c| c.timers.set(c.timers.get() + 1));
    let _leave = Leave;
    f()
}

/// Green work for a green wait named `what` with no timer of its own, called
/// at the caller's line.
#[track_caller]
pub(crate) fn green_wait<F: Future>(
    what: &'static &'static str,
    inner: F,
) -> Green<Parked<F, Untimed>> {
    Green::new(Parked::new(what, Location::caller(), inner))
}

/// Green work for a green wait with a timeout of its own.
#[track_caller]
pub(crate) fn green_wait_timed<F: Future>(
    what: &'static &'static str,
    inner: F,
) -> Green<Parked<F, Timed>> {
    Green::new(Parked::new(what, Location::caller(), inner))
}
