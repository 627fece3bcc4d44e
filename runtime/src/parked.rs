//! What each green task of a hub waits on: the hub's list of live tasks and
//! the mark a green wait leaves on its task while it is pending.
//!
//! Every wait of a green primitive (a queue's `get`, an event's `wait`, a
//! lock's `acquire`, a join, ..) is wrapped in [`Parked`] by the public fn
//! that makes it (`#[track_caller]`, so the mark names the user's line).
//! While the wait is pending its task is marked "parked on `Queue::get` at
//! src/main.rs:12", and the hub counts the spawned tasks that are parked
//! where only another task of the hub can wake them. A wait under a timer (a
//! `*_timeout` wait, or any wait inside [`timeout`](crate::timeout)) is
//! marked too, for [`tasks`](crate::tasks), but not counted: its timer ends
//! it. The deadlock check (`deadlock.rs`) compares the count with the number
//! of live tasks when the hub goes idle.
//!
//! Cost: a wait that is ready at once costs a thread-local read; one that
//! goes pending marks its task once (a few cell updates), whatever the number
//! of polls.

use core::future::Future;
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
    pub(crate) what: &'static str,
    pub(crate) at: &'static Location<'static>,
    /// Under a timer: the wait ends by itself, it cannot be a deadlock.
    pub(crate) timed: bool,
}

/// One live spawned task of the hub.
struct Entry {
    id: TaskId,
    task: Weak<dyn AnyTask>,
    wait: Option<Wait>,
}

/// The hub's view of its tasks, one per hub thread.
pub(crate) struct Watch {
    /// Spawned tasks alive on this hub (the main task not included).
    live: Cell<usize>,
    /// Spawned tasks parked in a green wait without a timer.
    parked: Cell<usize>,
    /// The live spawned tasks, by slot (`Header::slot`); `None` is free.
    entries: RefCell<Vec<Option<Entry>>>,
    free: RefCell<Vec<u32>>,
    /// What the main task waits on, and its waker while that wait has no
    /// timer.
    main_wait: Cell<Option<Wait>>,
    main_waker: RefCell<Option<Waker>>,
    /// Depth of `Parked` polls: a wait made inside another one (a pool's
    /// `join` waiting on its members) leaves the mark to the outer one.
    depth: Cell<u32>,
    /// Depth of timers around the poll (`timeout`, `*_timeout`).
    timers: Cell<u32>,
    /// Set by the idle hub when it found a deadlock; read by the main task.
    pub(crate) deadlock: Cell<bool>,
}

thread_local! {
    static WATCH: Watch = const {
        Watch {
            live: Cell::new(0),
            parked: Cell::new(0),
            entries: RefCell::new(Vec::new()),
            free: RefCell::new(Vec::new()),
            main_wait: Cell::new(None),
            main_waker: RefCell::new(None),
            depth: Cell::new(0),
            timers: Cell::new(0),
            deadlock: Cell::new(false),
        }
    };
}

/// Runs `f` on this thread's watch; `None` while the thread exits.
pub(crate) fn with<R>(f: impl FnOnce(&Watch) -> R) -> Option<R> {
    WATCH.try_with(f).ok()
}

/// A new hub starts on this thread: forget a main wait a previous one left.
pub(crate) fn hub_starts() {
    // The main task's header (and id) exists from the start: it is listed
    // first and numbered before the tasks it spawns.
    drop(hub::main_task());
    with(|watch| {
        watch.main_wait.set(None);
        watch.main_waker.replace(None);
        watch.deadlock.set(false);
        watch.depth.set(0);
        watch.timers.set(0);
    });
}

/// Registers a spawned task; gives its slot.
pub(crate) fn register(id: TaskId, task: Weak<dyn AnyTask>) -> u32 {
    with(|watch| {
        watch.live.set(watch.live.get() + 1);
        let entry = Some(Entry {
            id,
            task,
            wait: None,
        });
        let mut entries = watch.entries.borrow_mut();
        match watch.free.borrow_mut().pop() {
            Some(slot) => {
                entries[slot as usize] = entry;
                slot
            }
            None => {
                entries.push(entry);
                (entries.len() - 1) as u32
            }
        }
    })
    .unwrap_or(u32::MAX)
}

/// The task in `slot` ended.
pub(crate) fn unregister(slot: u32, id: TaskId) {
    with(|watch| {
        let mut entries = watch.entries.borrow_mut();
        let Some(place) = entries.get_mut(slot as usize) else {
            return;
        };
        if place.as_ref().is_some_and(|e| e.id == id) {
            let entry = place.take().expect("checked");
            if entry.wait.is_some_and(|w| !w.timed) {
                watch.parked.set(watch.parked.get().saturating_sub(1));
            }
            watch.live.set(watch.live.get().saturating_sub(1));
            watch.free.borrow_mut().push(slot);
        }
    });
}

impl Watch {
    /// True when the main task and every live spawned task are parked in
    /// green waits without a timer: nothing left on the hub could wake one.
    pub(crate) fn all_parked(&self) -> bool {
        self.main_waker.borrow().is_some() && self.parked.get() == self.live.get()
    }

    /// Wakes the main task (the idle hub found a deadlock).
    pub(crate) fn wake_main(&self) {
        if let Some(waker) = self.main_waker.borrow().as_ref() {
            waker.wake_by_ref();
        }
    }

    /// Every live task: the main one first, then by id, each with what it
    /// waits on.
    pub(crate) fn snapshot(&self) -> Vec<(Rc<dyn AnyTask>, Option<Wait>)> {
        let mut tasks: Vec<_> = self
            .entries
            .borrow()
            .iter()
            .flatten()
            .filter_map(|e| Some((e.task.upgrade()?, e.wait)))
            .collect();
        tasks.sort_by_key(|(task, _)| task.header().id());
        tasks.insert(0, (hub::main_task(), self.main_wait.get()));
        tasks
    }

    fn mark(&self, who: Who, wait: Wait, waker: &Waker) -> bool {
        match who {
            Who::Main => {
                if self.main_wait.get().is_some() {
                    return false;
                }
                self.main_wait.set(Some(wait));
                if !wait.timed {
                    *self.main_waker.borrow_mut() = Some(waker.clone());
                }
            }
            Who::Spawned(slot, id) => {
                let mut entries = self.entries.borrow_mut();
                let Some(Some(entry)) = entries.get_mut(slot as usize) else {
                    return false;
                };
                if entry.id != id || entry.wait.is_some() {
                    return false;
                }
                entry.wait = Some(wait);
                if !wait.timed {
                    self.parked.set(self.parked.get() + 1);
                }
            }
        }
        true
    }

    fn unmark(&self, who: Who) {
        match who {
            Who::Main => {
                self.main_wait.set(None);
                self.main_waker.replace(None);
                self.deadlock.set(false);
            }
            Who::Spawned(slot, id) => {
                let mut entries = self.entries.borrow_mut();
                if let Some(Some(entry)) = entries.get_mut(slot as usize) {
                    if entry.id == id && entry.wait.take().is_some_and(|w| !w.timed) {
                        self.parked.set(self.parked.get().saturating_sub(1));
                    }
                }
            }
        }
    }
}

/// The task a mark belongs to.
#[derive(Debug, Clone, Copy)]
enum Who {
    Main,
    Spawned(u32, TaskId),
}

fn current_who() -> Option<Who> {
    if !hub::in_hub() {
        return None;
    }
    if hub::on_main_task() {
        return Some(Who::Main);
    }
    let task = hub::current_task();
    let header = task.header();
    Some(Who::Spawned(header.slot(), header.id()))
}

pin_project! {
    /// A green wait that marks its task while it is pending (see the module
    /// docs).
    pub(crate) struct Parked<F> {
        #[pin]
        inner: F,
        what: &'static str,
        at: &'static Location<'static>,
        timed: bool,
        mark: Option<Mark>,
    }
}

/// The mark a pending wait left; taken off when dropped.
#[derive(Debug)]
pub(crate) struct Mark(Who);

/// Marks the running task as sleeping, called at `at`, until the mark drops;
/// `None` outside a hub or inside another green wait.
pub(crate) fn mark_sleep(at: &'static Location<'static>, waker: &Waker) -> Option<Mark> {
    let who = current_who()?;
    let wait = Wait {
        what: "sleep",
        at,
        timed: true,
    };
    with(|watch| (watch.depth.get() == 0 && watch.mark(who, wait, waker)).then_some(Mark(who)))
        .flatten()
}

impl Drop for Mark {
    fn drop(&mut self) {
        with(|watch| watch.unmark(self.0));
    }
}

impl<F> Parked<F> {
    /// `what` waits with no timer of its own, called at `at`.
    pub(crate) fn new(what: &'static str, at: &'static Location<'static>, inner: F) -> Self {
        Parked {
            inner,
            what,
            at,
            timed: false,
            mark: None,
        }
    }

    /// A wait with a timeout of its own (`get_timeout`, `join_timeout`).
    pub(crate) fn timed(what: &'static str, at: &'static Location<'static>, inner: F) -> Self {
        Parked {
            timed: true,
            ..Self::new(what, at, inner)
        }
    }
}

/// Lowers a depth counter when dropped (also when the poll panics).
struct Leave<'a>(&'a Cell<u32>);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

fn enter(depth: &Cell<u32>) -> Leave<'_> {
    depth.set(depth.get() + 1);
    Leave(depth)
}

impl<F: Future> Future for Parked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        WATCH.with(|watch| {
            if watch.depth.get() > 0 {
                // Inside another green wait: that one marks the task.
                return this.inner.poll(cx);
            }
            let poll = {
                let _inside = enter(&watch.depth);
                this.inner.poll(cx)
            };
            if poll.is_ready() {
                *this.mark = None;
                return poll;
            }
            match this.mark {
                Some(Mark(Who::Main)) => {
                    if watch.deadlock.replace(false) && watch.all_parked() {
                        crate::deadlock::report_and_panic(watch);
                    }
                    if let Some(waker) = watch.main_waker.borrow_mut().as_mut() {
                        if !waker.will_wake(cx.waker()) {
                            *waker = cx.waker().clone();
                        }
                    }
                }
                Some(_) => {}
                None => {
                    let wait = Wait {
                        what: this.what,
                        at: this.at,
                        timed: *this.timed || watch.timers.get() > 0,
                    };
                    if let Some(who) = current_who() {
                        if watch.mark(who, wait, cx.waker()) {
                            *this.mark = Some(Mark(who));
                        }
                    }
                }
            }
            Poll::Pending
        })
    }
}

/// Runs `f` (a poll) as under a timer: a green wait polled inside it ends
/// by itself and is no deadlock.
pub(crate) fn under_timer<R>(f: impl FnOnce() -> R) -> R {
    let mut f = Some(f);
    let under = WATCH.try_with(|watch| {
        let _timer = enter(&watch.timers);
        (f.take().expect("not yet called"))()
    });
    match under {
        Ok(output) => output,
        // The thread is exiting: nothing left to watch.
        Err(_) => (f.take().expect("not called"))(),
    }
}

/// Green work for a green wait named `what` with no timer of its own, called
/// at the caller's line.
#[track_caller]
pub(crate) fn green_wait<F: Future>(what: &'static str, inner: F) -> Green<Parked<F>> {
    Green::new(Parked::new(what, Location::caller(), inner))
}

/// Green work for a green wait with a timeout of its own.
#[track_caller]
pub(crate) fn green_wait_timed<F: Future>(what: &'static str, inner: F) -> Green<Parked<F>> {
    Green::new(Parked::timed(what, Location::caller(), inner))
}
