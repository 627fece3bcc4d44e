//! What each green task of a hub waits on: the hub's list of live tasks and
//! the mark a green wait leaves on its task while it is pending.
//!
//! Every wait of a green primitive (a queue's `get`, an event's `wait`, a
//! lock's `acquire`, a join, ..) is wrapped in [`Parked`] by the public fn
//! that makes it (`#[track_caller]`, so the mark names the user's line).
//! When a task's poll returns `Pending` from inside such a wait, its task is
//! marked "parked in `Queue::get` at src/main.rs:12", and the hub counts the
//! spawned tasks that are parked where only another task of the hub can wake
//! them. A wait under a timer (a `*_timeout` wait, or any wait inside
//! [`timeout`](crate::timeout)) is marked too, for [`tasks`](crate::tasks),
//! but not counted: its timer ends it. The deadlock check (`deadlock.rs`)
//! compares the count with the number of live tasks when the hub goes idle.
//!
//! Cost: a wait that is ready at once costs nothing but its call site and
//! kind (16 bytes in the future) and one thread-local load when it is
//! dropped. One
//! that goes pending writes its name and site to a thread-local without a
//! destructor (a plain store, no task lookup); the poll wrapper of the task
//! (`TaskFuture`, or [`MainWaits`] for the main task), which has its task at
//! hand, moves that mark to the task's header when the poll returns
//! `Pending`, and adjusts the count only when the task goes from counted to
//! not or back.

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::cell::{Cell, RefCell};
use std::panic::Location;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering};

use pin_project_lite::pin_project;

use crate::green::Green;
use crate::hub;
use crate::task::{AnyTask, Header};

macro_rules! wait_kinds {
    ($($kind:ident => $name:literal,)*) => {
        /// Which green wait a task is parked in: one byte in the task's
        /// header, its name in a table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum WaitKind {
            $($kind,)*
        }

        impl WaitKind {
            /// The name `green::tasks()` shows ("Queue::get").
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(WaitKind::$kind => $name,)*
                }
            }
        }
    };
}

wait_kinds! {
    AsyncResultGet => "AsyncResult::get",
    AsyncResultGetTimeout => "AsyncResult::get_timeout",
    AsyncResultWait => "AsyncResult::wait",
    ChannelGet => "Channel::get",
    ChannelGetTimeout => "Channel::get_timeout",
    ChannelNext => "Channel::next",
    ChannelPut => "Channel::put",
    ChannelPutTimeout => "Channel::put_timeout",
    ChannelIterNext => "ChannelIter::next",
    EventWait => "Event::wait",
    EventWaitTimeout => "Event::wait_timeout",
    GreenletJoin => "Greenlet::join",
    GreenletJoinTimeout => "Greenlet::join_timeout",
    GreenletKill => "Greenlet::kill",
    GroupApply => "Group::apply",
    GroupJoin => "Group::join",
    GroupJoinTimeout => "Group::join_timeout",
    GroupKill => "Group::kill",
    GroupMap => "Group::map",
    IMapNext => "IMap::next",
    IWaitNext => "IWait::next",
    LockAcquire => "Lock::acquire",
    LockAcquireTimeout => "Lock::acquire_timeout",
    PileNext => "Pile::next",
    PileSpawn => "Pile::spawn",
    PoolApply => "Pool::apply",
    PoolJoin => "Pool::join",
    PoolJoinTimeout => "Pool::join_timeout",
    PoolKill => "Pool::kill",
    PoolMap => "Pool::map",
    PoolSpawn => "Pool::spawn",
    PoolWaitAvailable => "Pool::wait_available",
    QueueGet => "Queue::get",
    QueueGetTimeout => "Queue::get_timeout",
    QueueJoin => "Queue::join",
    QueueNext => "Queue::next",
    QueuePeek => "Queue::peek",
    QueuePut => "Queue::put",
    QueuePutTimeout => "Queue::put_timeout",
    RLockAcquire => "RLock::acquire",
    RLockAcquireTimeout => "RLock::acquire_timeout",
    SemaphoreAcquire => "Semaphore::acquire",
    SemaphoreAcquireTimeout => "Semaphore::acquire_timeout",
    Joinall => "joinall",
    JoinallTimeout => "joinall_timeout",
    Killall => "killall",
    Sleep => "sleep",
}

/// What a parked task waits on and where the wait was called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wait {
    pub(crate) what: WaitKind,
    pub(crate) at: &'static Location<'static>,
    /// Under a timer: the wait ends by itself, it cannot be a deadlock.
    pub(crate) timed: bool,
}

impl Wait {
    /// True if only another task of the hub can end this wait.
    pub(crate) fn counted(wait: Option<Wait>) -> bool {
        wait.is_some_and(|w| !w.timed)
    }
}

/// The hub's counts and the mark of the running poll, read and written on
/// every green wait that goes pending: plain cells, so that the thread-local
/// has no destructor to check for.
struct Counts {
    /// The green wait the running poll went pending in last (the outermost
    /// one, whose poll returns last); taken by the task's poll wrapper.
    mark: Cell<Option<Wait>>,
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
    /// The load a hub of a set publishes (`hubs.rs`): `live`, readable
    /// from other threads; `None` on a lone hub, which pays one branch.
    load: Cell<Option<&'static AtomicUsize>>,
}

/// An entry of the registry: a spawned task, `None` past the last one.
type Entry = Option<Weak<dyn AnyTask>>;

/// Slots per chunk of the registry.
const CHUNK: usize = 256;

/// The hub's list of spawned tasks and the main task's waker.
#[derive(Default)]
struct Registry {
    /// Spawned tasks, in spawn order; an entry whose task ended stays until
    /// the next compaction (a task keeps no slot number: the header has no
    /// room left for one). In chunks that never move, so that a growing list
    /// never holds a doubled copy of itself.
    chunks: Vec<Box<[Entry; CHUNK]>>,
    /// Entries in use.
    used: usize,
    /// Entries whose task ended since the last compaction.
    dead: usize,
    /// The main task's waker while it is parked without a timer.
    main_waker: Option<Waker>,
    /// A stopping hub's main task, waiting for the last spawned task to end
    /// (`hubs.rs`): woken when `live` drops to 0.
    drained: Option<Waker>,
}

impl Registry {
    fn push(&mut self, task: Weak<dyn AnyTask>) {
        if self.used == self.chunks.len() * CHUNK {
            self.chunks.push(Box::new([const { None }; CHUNK]));
        }
        self.chunks[self.used / CHUNK][self.used % CHUNK] = Some(task);
        self.used += 1;
    }

    fn tasks(&self) -> impl Iterator<Item = &Weak<dyn AnyTask>> {
        self.chunks
            .iter()
            .flat_map(|chunk| chunk.iter())
            .take(self.used)
            .flatten()
    }

    /// Drops the entries of ended tasks (each holds its task's allocation)
    /// once they are as many as the live ones: O(1) a spawn, amortized.
    fn compact_if_due(&mut self) {
        if self.dead < 1024 || self.dead < self.used.saturating_sub(self.dead) {
            return;
        }
        let live: Vec<_> = self
            .tasks()
            .filter(|task| task.upgrade().is_some_and(|t| !t.header().is_ready()))
            .cloned()
            .collect();
        self.chunks.truncate(live.len().div_ceil(CHUNK));
        for chunk in &mut self.chunks {
            chunk.fill(None);
        }
        self.used = 0;
        self.dead = 0;
        for task in live {
            self.push(task);
        }
    }
}

thread_local! {
    static COUNTS: Counts = const {
        Counts {
            mark: Cell::new(None),
            live: Cell::new(0),
            parked: Cell::new(0),
            timers: Cell::new(0),
            main_wait: Cell::new(None),
            deadlock: Cell::new(false),
            load: Cell::new(None),
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
        counts.mark.set(None);
        counts.main_wait.set(None);
        counts.deadlock.set(false);
        counts.timers.set(0);
    });
    with_registry(|registry| registry.main_waker = None);
}

/// Publishes this hub's count of live tasks in `load` too (a hub of a
/// set, whose least-loaded member takes the next spawn), or stops.
pub(crate) fn set_load(load: Option<&'static AtomicUsize>) {
    COUNTS.with(|counts| counts.load.set(load));
}

/// The spawned tasks alive on this hub.
pub(crate) fn live() -> usize {
    COUNTS.with(|counts| counts.live.get())
}

/// Registers a spawned task.
pub(crate) fn register(task: Weak<dyn AnyTask>) {
    COUNTS.with(|counts| {
        counts.live.set(counts.live.get() + 1);
        if let Some(load) = counts.load.get() {
            load.fetch_add(1, Ordering::Relaxed);
        }
    });
    with_registry(|registry| {
        registry.compact_if_due();
        registry.push(task);
    });
}

/// A spawned task ended, parked in `wait` if it was.
pub(crate) fn unregister(wait: Option<Wait>) {
    let drained = COUNTS.try_with(|counts| {
        let live = counts.live.get().saturating_sub(1);
        counts.live.set(live);
        if let Some(load) = counts.load.get() {
            load.fetch_sub(1, Ordering::Relaxed);
        }
        if Wait::counted(wait) {
            counts.parked.set(counts.parked.get().saturating_sub(1));
        }
        live == 0
    });
    let drained = drained.unwrap_or(false);
    if let Some(Some(waker)) = with_registry(|registry| {
        registry.dead += 1;
        drained.then(|| registry.drained.take()).flatten()
    }) {
        waker.wake();
    }
}

/// Resolves once no spawned task is alive on this hub (at once if none).
pub(crate) fn drained() -> impl Future<Output = ()> {
    core::future::poll_fn(|cx| {
        if live() == 0 {
            return Poll::Ready(());
        }
        with_registry(|registry| registry.drained = Some(cx.waker().clone()));
        Poll::Pending
    })
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
            .tasks()
            .filter_map(Weak::upgrade)
            // Ended: its entry waits for the next compaction.
            .filter(|task| !task.header().is_ready())
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

/// A spawned task's poll starts: a mark left by a poll outside green's
/// tasks (a plain tokio task) is not this task's.
#[inline]
pub(crate) fn poll_starts() {
    COUNTS.with(|c| c.mark.set(None));
}

/// A spawned task's poll returned `Pending`: its header takes the mark the
/// poll left (none if it waits on I/O, a timer, a thread..).
#[inline]
pub(crate) fn poll_pending(header: &Header) {
    COUNTS.with(|c| {
        let now = c.mark.take();
        let was = header.replace_wait(now);
        match (was, Wait::counted(now)) {
            (false, true) => c.parked.set(c.parked.get() + 1),
            (true, false) => c.parked.set(c.parked.get().saturating_sub(1)),
            _ => {}
        }
    });
}

/// The main task returned `Pending`: records its wait and waker, and reports
/// the deadlock the idle hub found if the main task is still parked.
#[inline(never)]
fn main_pending(waker: &Waker) {
    let (wait, deadlock) = COUNTS.with(|c| {
        let wait = c.mark.take();
        c.main_wait.set(wait);
        (wait, c.deadlock.replace(false))
    });
    if !Wait::counted(wait) {
        return;
    }
    with_registry(|registry| match &registry.main_waker {
        Some(known) if known.will_wake(waker) => {}
        _ => registry.main_waker = Some(waker.clone()),
    });
    if deadlock && all_parked() {
        crate::deadlock::report_and_panic();
    }
}

pin_project! {
    /// The main task's future, its green waits recorded as a spawned task's
    /// are by `TaskFuture`.
    pub(crate) struct MainWaits<F> {
        #[pin]
        future: F,
    }
}

impl<F> MainWaits<F> {
    pub(crate) fn new(future: F) -> Self {
        MainWaits { future }
    }
}

impl<F: Future> Future for MainWaits<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        poll_starts();
        let poll = self.project().future.poll(cx);
        if poll.is_pending() {
            main_pending(cx.waker());
        }
        // A deadlock flagged for this poll is checked (or moot): a later
        // poll may find a task woken but not yet run, which is no deadlock.
        COUNTS.with(|c| c.deadlock.set(false));
        poll
    }
}

/// A green wait went pending in the running poll: the mark its task takes
/// if the poll returns `Pending` (an outer wait, pending after it, marks
/// over it, so the mark names the user's line).
#[inline]
pub(crate) fn pending(what: WaitKind, at: &'static Location<'static>, timed: bool) {
    COUNTS.with(|c| {
        let timed = timed || c.timers.get() > 0;
        c.mark.set(Some(Wait { what, at, timed }));
    });
}

/// A green wait is dropped: if the running poll's mark is its own (it went
/// pending, then was dropped, as by a `select`), the mark is no longer true.
#[inline]
fn dropped(what: WaitKind, at: &'static Location<'static>) {
    let _ = COUNTS.try_with(|c| {
        if let Some(mark) = c.mark.get() {
            if core::ptr::eq(mark.at, at) && mark.what == what {
                c.mark.set(None);
            }
        }
    });
}

pin_project! {
    /// A green wait that marks its task while it is pending (see the module
    /// docs); `TIMED` if the wait has a timeout of its own. Kept small: it is
    /// part of every parked task's future.
    pub(crate) struct Parked<F, T> {
        #[pin]
        inner: F,
        what: WaitKind,
        at: &'static Location<'static>,
        timing: PhantomData<T>,
    }

    impl<F, T> PinnedDrop for Parked<F, T> {
        fn drop(this: Pin<&mut Self>) {
            dropped(this.what, this.at);
        }
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
    pub(crate) fn new(what: WaitKind, at: &'static Location<'static>, inner: F) -> Self {
        Parked {
            inner,
            what,
            at,
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
        if poll.is_pending() {
            pending(*this.what, this.at, T::TIMED);
        }
        poll
    }
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
pub(crate) fn green_wait<F: Future>(what: WaitKind, inner: F) -> Green<Parked<F, Untimed>> {
    Green::new(Parked::new(what, Location::caller(), inner))
}

/// Green work for a green wait with a timeout of its own.
#[track_caller]
pub(crate) fn green_wait_timed<F: Future>(what: WaitKind, inner: F) -> Green<Parked<F, Timed>> {
    Green::new(Parked::new(what, Location::caller(), inner))
}
