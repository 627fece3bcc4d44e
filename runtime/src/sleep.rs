//! `sleep` and `idle`: giving the hub to other green tasks.

use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::panic::Location;
use std::rc::Rc;

use pin_project_lite::pin_project;

use crate::green::Green;

pin_project! {
    /// Future of [`sleep`].
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let start = Instant::now();
    /// let nap: green::Green<green::Sleep> = green::sleep(Duration::from_millis(5));
    /// green::run(nap);
    /// assert!(start.elapsed() >= Duration::from_millis(5));
    /// ```
    #[derive(Debug)]
    #[must_use = "futures do nothing unless awaited"]
    pub struct Sleep {
        // The deadline is taken when `sleep` is called; tokio's timer, which
        // needs a hub, is made on the first poll, so green work that sleeps
        // can be made outside a hub and run later. `None`: the duration
        // overflows the clock, the sleep never ends (as in `timeout`).
        deadline: Option<tokio::time::Instant>,
        #[pin]
        timer: Option<tokio::time::Sleep>,
        // `sleep(Duration::ZERO)` yields as `idle()` does: one turn of the
        // ready tasks (through tokio's timer it would come back only when
        // the timer driver is next looked at, many turns later).
        zero: Option<Idle>,
        // Where `sleep` was called: the mark it leaves on its task for
        // `green::tasks()` while it sleeps.
        at: &'static Location<'static>,
    }
}

impl Future for Sleep {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut this = self.project();
        if let Some(idle) = this.zero {
            return Pin::new(idle).poll(cx);
        }
        if this.timer.is_none() {
            let Some(deadline) = *this.deadline else {
                return Poll::Pending;
            };
            this.timer.set(Some(tokio::time::sleep_until(deadline)));
        }
        let poll = this
            .timer
            .as_pin_mut()
            .map_or(Poll::Pending, |timer| timer.poll(cx));
        if poll.is_pending() {
            crate::parked::pending(crate::parked::WaitKind::Sleep, this.at, true);
        }
        poll
    }
}

/// Suspends the current green task for `duration`; other tasks run meanwhile
/// (gevent's `sleep(seconds)`). A zero duration is the same as [`idle`].
///
/// ```
/// use std::time::{Duration, Instant};
///
/// #[green::main]
/// fn main() {
///     let start = Instant::now();
///     green::sleep(Duration::from_millis(20));
///     assert!(start.elapsed() >= Duration::from_millis(20));
/// }
/// ```
#[track_caller]
pub fn sleep(duration: Duration) -> Green<Sleep> {
    Green::new(Sleep {
        at: Location::caller(),
        deadline: tokio::time::Instant::now().checked_add(duration),
        timer: None,
        zero: duration.is_zero().then_some(Idle::new()),
    })
}

/// Lets every other ready green task run once before the current task goes
/// on (gevent's `sleep(0)`): two spawned tasks that alternate with `idle()`
/// interleave as 1A 2A 1B 2B.
///
/// The work given to [`run`](crate::run) (the main task) is driven by the hub
/// itself rather than queued with the spawned tasks: when it idles, every
/// ready task runs at least once, and a task that idles meanwhile may run
/// again before the main task goes on.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// #[green::main]
/// fn main() {
///     let log = Rc::new(RefCell::new(Vec::new()));
///     let other = {
///         let log = log.clone();
///         green::spawn(move || async move { log.borrow_mut().push("task") })
///     };
///     log.borrow_mut().push("main");
///     green::idle();
///     assert_eq!(*log.borrow(), ["main", "task"]);
///     other.join().unwrap();
/// }
/// ```
pub fn idle() -> Green<Idle> {
    Green::new(Idle::new())
}

/// Future of [`idle`].
///
/// It wakes its own task at once and yields: the task goes to the back of the
/// hub's FIFO run queue, behind every task that is ready now. (tokio's
/// `yield_now` defers the wake-up to the end of the tick and replays deferred
/// tasks last-in first-out, which would break gevent's 1A 2A 1B 2B order.)
///
/// ```
/// let turn: green::Green<green::Idle> = green::idle();
/// green::run(turn);
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Idle {
    turn: Turn,
}

/// Where an [`Idle`] is in its turn.
#[derive(Debug)]
enum Turn {
    /// Not polled yet.
    Start,
    /// A spawned task, queued behind every ready task: the next poll ends it.
    Queued,
    /// The main task, waiting for the marker task queued behind every ready
    /// task to set the flag.
    Marked(Rc<Cell<bool>>),
}

impl Idle {
    fn new() -> Self {
        Idle { turn: Turn::Start }
    }
}

impl Future for Idle {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.turn {
            Turn::Queued => return Poll::Ready(()),
            Turn::Marked(over) if over.get() => return Poll::Ready(()),
            Turn::Marked(_) => return Poll::Pending,
            Turn::Start => {}
        }
        if crate::hub::in_hub() && crate::hub::on_main_task() {
            // The main task is the future the hub blocks on, polled beside
            // the queue of spawned tasks (and after every tick of at most 61
            // of them, woken or not), not in it. A marker task queued behind
            // every ready task ends the turn once they all had theirs.
            let over = Rc::new(Cell::new(false));
            let marker = Rc::clone(&over);
            let waker = cx.waker().clone();
            tokio::task::spawn_local(async move {
                marker.set(true);
                waker.wake();
            });
            self.turn = Turn::Marked(over);
        } else {
            // A spawned task goes to the back of the queue, behind every
            // ready task, and is polled again when its turn comes.
            cx.waker().wake_by_ref();
            self.turn = Turn::Queued;
        }
        Poll::Pending
    }
}
