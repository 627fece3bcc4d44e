//! `HubTask`: the handle to work sent to another hub, and the one-shot
//! hand-off that carries its result back across threads.
//!
//! A hub's own waits (`Greenlet::join`, queues, events) are `Rc` and cells:
//! they never cross a thread. A result made on one hub and awaited on
//! another (or on a plain thread) needs a lock, a waker for green code and a
//! condition variable for a plain thread: this file.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::error::GreenError;
use crate::green::Green;

/// The result's way from the hub that runs the work to whoever joins.
struct Handoff<T> {
    state: Mutex<State<T>>,
    /// Signalled when the result arrives or the sender is gone, for
    /// [`HubTask::join_blocking`].
    arrived: Condvar,
}

struct State<T> {
    result: Option<Result<T, GreenError>>,
    /// The sending side is gone: the work's task ended and its result was
    /// delivered, or the work never ran (its hub stopped first).
    closed: bool,
    /// The green task joining, to wake.
    waker: Option<Waker>,
}

impl<T> Handoff<T> {
    fn state(&self) -> MutexGuard<'_, State<T>> {
        // A panic never happens under this lock; tolerate one anyway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The sending side, moved to the hub with the work.
pub(crate) struct Sender<T> {
    handoff: Arc<Handoff<T>>,
}

impl<T> Sender<T> {
    /// Delivers the result and wakes whoever joins.
    pub(crate) fn send(self, result: Result<T, GreenError>) {
        self.handoff.state().result = Some(result);
        // `Drop` closes and wakes.
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut state = self.handoff.state();
            state.closed = true;
            state.waker.take()
        };
        self.handoff.arrived.notify_all();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// A new hand-off for work that runs on hub `hub`.
pub(crate) fn handoff<T>(hub: usize) -> (Sender<T>, HubTask<T>) {
    let handoff = Arc::new(Handoff {
        state: Mutex::new(State {
            result: None,
            closed: false,
            waker: None,
        }),
        arrived: Condvar::new(),
    });
    (
        Sender {
            handoff: handoff.clone(),
        },
        HubTask { handoff, hub },
    )
}

/// A handle to work started on a hub of a [`Hubs`](crate::Hubs): join its
/// result from green code on any hub ([`join`](Self::join)) or from a plain
/// thread ([`join_blocking`](Self::join_blocking)).
///
/// The handle is `Send` (when the result is): it may move to another hub
/// or thread, which a [`Greenlet`](crate::Greenlet), tied to its hub, may
/// not. Dropping it leaves the work running.
///
/// ```
/// let hubs = green::hubs(2);
/// let task = hubs.spawn_on(1, || async { 6 * 7 });
/// assert_eq!(task.hub(), 1);
/// assert_eq!(task.join_blocking(), Ok(42));
/// ```
pub struct HubTask<T> {
    handoff: Arc<Handoff<T>>,
    hub: usize,
}

impl<T: Send> HubTask<T> {
    /// Waits for the work to end and gives its result (a green op, for
    /// green code on any hub, this one's included): the value, or
    /// [`GreenError::Panicked`] with the panic's message (the panic is
    /// reported on the work's hub, which goes on), or
    /// [`GreenError::Killed`] if the work was killed or never ran because
    /// its hub stopped first.
    ///
    /// The wait is not a green wait of the joining hub (another thread ends
    /// it), so the deadlock check counts the joining task as live, as a
    /// task waiting on I/O.
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// #[green::green]
    /// fn square(x: u64) -> u64 {
    ///     green::idle();
    ///     x * x
    /// }
    ///
    /// let hubs = Arc::new(green::hubs(2));
    /// let hubs2 = hubs.clone();
    /// // Green code on hub 0 joins work it sent to hub 1.
    /// let outer = hubs.spawn_on(0, move || async move {
    ///     hubs2.spawn_on(1, || square(12)).join().await
    /// });
    /// assert_eq!(outer.join_blocking(), Ok(Ok(144)));
    /// ```
    pub fn join(self) -> Green<impl Future<Output = Result<T, GreenError>>> {
        Green::new(Join { task: self })
    }

    /// Waits for the work to end on this thread, blocking it: for a plain
    /// thread (such as `fn main` holding a [`Hubs`](crate::Hubs)). Called
    /// from green code it blocks that hub until the result comes (the
    /// monitor reports it): use [`join`](Self::join) there. (A plain thread
    /// may also run `green::run(task.join())`, a hub of its own for the
    /// wait.)
    ///
    /// ```
    /// let hubs = green::hubs(1);
    /// let task = hubs.spawn(|| async { panic!("boom") });
    /// assert_eq!(task.join_blocking(), Err(green::GreenError::Panicked("boom".into())));
    /// ```
    pub fn join_blocking(self) -> Result<T, GreenError> {
        let mut state = self.handoff.state();
        loop {
            if let Some(result) = state.result.take() {
                return result;
            }
            if state.closed {
                return Err(GreenError::Killed);
            }
            state = self
                .handoff
                .arrived
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl<T> HubTask<T> {
    /// True once the work has ended (returned, panicked, been killed, or
    /// will never run): [`join`](Self::join) would not wait.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let hubs = green::hubs(1);
    /// let task = hubs.spawn(|| green::sleep(Duration::from_millis(20)));
    /// assert!(!task.is_ready());
    /// while !task.is_ready() {
    ///     std::thread::sleep(Duration::from_millis(5));
    /// }
    /// assert_eq!(task.join_blocking(), Ok(()));
    /// ```
    pub fn is_ready(&self) -> bool {
        let state = self.handoff.state();
        state.result.is_some() || state.closed
    }

    /// The index of the hub the work runs on (an out-of-range index given
    /// to [`spawn_on`](crate::Hubs::spawn_on) shows here wrapped).
    ///
    /// ```
    /// let hubs = green::hubs(2);
    /// assert_eq!(hubs.spawn_on(3, || async {}).hub(), 1);
    /// ```
    pub fn hub(&self) -> usize {
        self.hub
    }
}

impl<T> fmt::Debug for HubTask<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HubTask")
            .field("hub", &self.hub)
            .field("ready", &self.is_ready())
            .finish()
    }
}

/// Future of [`HubTask::join`].
struct Join<T> {
    task: HubTask<T>,
}

impl<T> Future for Join<T> {
    type Output = Result<T, GreenError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.task.handoff.state();
        if let Some(result) = state.result.take() {
            return Poll::Ready(result);
        }
        if state.closed {
            return Poll::Ready(Err(GreenError::Killed));
        }
        match &state.waker {
            Some(known) if known.will_wake(cx.waker()) => {}
            _ => state.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
