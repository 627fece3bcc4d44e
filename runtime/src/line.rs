//! A fair line of green tasks waiting for units of something: items of a
//! queue, free places in a bounded queue, permits of a semaphore.
//!
//! A [`Line`] is a [`Waiters`] list plus the number of waiters that were
//! woken for a unit and have not yet taken it (*reserved* units). A newcomer
//! may take a unit at once only if more units are there than are reserved,
//! so it never overtakes a woken waiter (FIFO fairness); a woken waiter that is
//! cancelled (killed, timed out) before it took its unit passes the wake-up on
//! to the next waiter, so a unit is never swallowed by a dead waiter.

use core::future::Future;
use core::pin::Pin;
use std::cell::Cell;
use std::task::{Context, Poll};

use crate::waiters::{Ticket, Waiters};

#[derive(Debug, Default)]
pub(crate) struct Line {
    waiters: Waiters,
    reserved: Cell<usize>,
}

/// How a [`Turn`] came to be ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Go {
    /// It never waited: a unit beyond the reserved ones is there, or the
    /// caller's `now` condition held.
    Fresh,
    /// It waited and was woken: a unit was reserved for it (or the line was
    /// woken all at once, as when a queue closes). The caller re-checks.
    Woken,
}

impl Line {
    /// Units reserved for woken waiters.
    pub(crate) fn reserved(&self) -> usize {
        self.reserved.get()
    }

    /// Waiters not yet woken.
    pub(crate) fn waiting(&self) -> usize {
        self.waiters.waiting()
    }

    /// A unit became available: wakes the oldest waiter, if any.
    pub(crate) fn wake_one(&self) {
        if self.waiters.notify_one() {
            self.reserved.set(self.reserved.get() + 1);
        }
    }

    /// Wakes every waiter (a queue closed).
    pub(crate) fn wake_all(&self) {
        self.reserved
            .set(self.reserved.get() + self.waiters.waiting());
        self.waiters.notify_all();
    }

    /// A place in this line, not yet taken.
    pub(crate) fn turn(&self) -> Turn<'_> {
        Turn {
            line: self,
            ticket: Ticket::default(),
            queued: false,
        }
    }
}

/// One waiter's place in a [`Line`]; leaves the line (passing on a wake-up it
/// got) when dropped.
#[derive(Debug)]
pub(crate) struct Turn<'a> {
    line: &'a Line,
    ticket: Ticket,
    queued: bool,
}

impl Turn<'_> {
    /// Ready when the caller may try to take a unit. `fresh` is asked only
    /// before queueing, with the number of reserved units: true if the caller
    /// can go on at once (a free unit beyond the reserved ones, or a closed
    /// queue). The caller must take its unit (or give up) before it next
    /// yields, or call `poll` again to queue anew.
    pub(crate) fn poll(
        &mut self,
        cx: &mut Context<'_>,
        fresh: impl FnOnce(usize) -> bool,
    ) -> Poll<Go> {
        let line = self.line;
        if !self.queued {
            if fresh(line.reserved.get()) {
                return Poll::Ready(Go::Fresh);
            }
            self.queued = true;
            // A new ticket is never ready at once.
            let _ = line.waiters.poll_wait(&mut self.ticket, cx);
            return Poll::Pending;
        }
        match line.waiters.poll_wait(&mut self.ticket, cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(()) => {
                self.queued = false;
                line.reserved.set(line.reserved.get().saturating_sub(1));
                Poll::Ready(Go::Woken)
            }
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if self.queued && self.line.waiters.cancel(&mut self.ticket) {
            self.line
                .reserved
                .set(self.line.reserved.get().saturating_sub(1));
            self.line.wake_one();
        }
    }
}

/// Waits on a flag that is set with `notify_all`: ready at once if `is_set`,
/// else once woken (even if the flag was reset since: a `set` then `clear`
/// still wakes every waiter).
///
/// With a [`Signal`] count of woken waiters that have not run yet, a newcomer
/// that finds the flag set while they are pending queues behind them (one
/// turn), as gevent's `Event.wait` does while the event notifies its waiters.
pub(crate) struct SignalWait<'a, C> {
    waiters: &'a Waiters,
    pending: Option<&'a Cell<usize>>,
    is_set: C,
    ticket: Ticket,
    queued: bool,
}

impl<'a, C: Fn() -> bool> SignalWait<'a, C> {
    pub(crate) fn new(waiters: &'a Waiters, is_set: C) -> Self {
        SignalWait {
            waiters,
            pending: None,
            is_set,
            ticket: Ticket::default(),
            queued: false,
        }
    }

    /// Counts this waiter's wake-up in `pending` (see [`notify_all_counted`]).
    pub(crate) fn counted(mut self, pending: &'a Cell<usize>) -> Self {
        self.pending = Some(pending);
        self
    }

    fn consumed(&self) {
        if let Some(pending) = self.pending {
            pending.set(pending.get().saturating_sub(1));
        }
    }
}

/// Wakes every waiter and counts the wake-ups in `pending`, for waiters made
/// with [`SignalWait::counted`].
pub(crate) fn notify_all_counted(waiters: &Waiters, pending: &Cell<usize>) {
    pending.set(pending.get() + waiters.waiting());
    waiters.notify_all();
}

impl<C: Fn() -> bool + Unpin> Future for SignalWait<'_, C> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SignalWait is Unpin when C is; closures here capture references.
        let this = self.get_mut();
        if !this.queued {
            if (this.is_set)() {
                match this.pending {
                    Some(pending) if pending.get() > 0 => {
                        // Queue behind the woken waiters, already woken.
                        this.queued = true;
                        let _ = this.waiters.poll_wait(&mut this.ticket, cx);
                        notify_all_counted(this.waiters, pending);
                        return Poll::Pending;
                    }
                    _ => return Poll::Ready(()),
                }
            }
            this.queued = true;
        }
        let poll = this.waiters.poll_wait(&mut this.ticket, cx);
        if poll.is_ready() {
            this.queued = false;
            this.consumed();
        }
        poll
    }
}

impl<C> Drop for SignalWait<'_, C> {
    fn drop(&mut self) {
        if self.queued && self.waiters.cancel(&mut self.ticket) {
            if let Some(pending) = self.pending {
                pending.set(pending.get().saturating_sub(1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::waiters::tests::Counter;
    use std::task::Waker;

    fn poll(turn: &mut Turn<'_>, waker: &Waker, free: usize) -> Poll<Go> {
        turn.poll(&mut Context::from_waker(waker), |reserved| free > reserved)
    }

    #[test]
    fn a_newcomer_goes_at_once_only_past_the_reserved_units() {
        let line = Line::default();
        let (_, waker) = Counter::waker();
        let mut fresh = line.turn();
        assert_eq!(poll(&mut fresh, &waker, 1), Poll::Ready(Go::Fresh));

        let mut waiter = line.turn();
        assert!(poll(&mut waiter, &waker, 0).is_pending());
        line.wake_one(); // one unit came, owed to `waiter`
        assert_eq!(line.reserved(), 1);
        let mut newcomer = line.turn();
        assert!(
            poll(&mut newcomer, &waker, 1).is_pending(),
            "overtook a woken waiter"
        );
        assert_eq!(poll(&mut waiter, &waker, 1), Poll::Ready(Go::Woken));
        assert_eq!(line.reserved(), 0);
    }

    #[test]
    fn a_cancelled_woken_waiter_passes_its_unit_on() {
        let line = Line::default();
        let (first_counter, first_waker) = Counter::waker();
        let (second_counter, second_waker) = Counter::waker();
        let mut first = line.turn();
        let mut second = line.turn();
        assert!(poll(&mut first, &first_waker, 0).is_pending());
        assert!(poll(&mut second, &second_waker, 0).is_pending());
        line.wake_one();
        assert_eq!((first_counter.wakes(), second_counter.wakes()), (1, 0));
        drop(first); // killed before it took its unit
        assert_eq!(second_counter.wakes(), 1);
        assert_eq!(line.reserved(), 1);
        assert_eq!(poll(&mut second, &second_waker, 1), Poll::Ready(Go::Woken));
        assert_eq!(line.reserved(), 0);
    }

    #[test]
    fn a_cancelled_waiter_not_yet_woken_changes_nothing() {
        let line = Line::default();
        let (_, waker) = Counter::waker();
        let mut waiter = line.turn();
        assert!(poll(&mut waiter, &waker, 0).is_pending());
        drop(waiter);
        assert_eq!((line.waiting(), line.reserved()), (0, 0));
    }

    #[test]
    fn wake_all_reserves_a_unit_for_every_waiter() {
        let line = Line::default();
        let (_, waker) = Counter::waker();
        let mut turns: Vec<_> = (0..3).map(|_| line.turn()).collect();
        for turn in &mut turns {
            assert!(poll(turn, &waker, 0).is_pending());
        }
        line.wake_all();
        assert_eq!((line.waiting(), line.reserved()), (0, 3));
        for turn in &mut turns {
            assert_eq!(poll(turn, &waker, 0), Poll::Ready(Go::Woken));
        }
        assert_eq!(line.reserved(), 0);
    }

    #[test]
    fn a_signal_wait_is_ready_at_once_when_set_and_else_once_notified() {
        let waiters = Waiters::new();
        let flag = Cell::new(true);
        let (_, waker) = Counter::waker();
        let mut cx = Context::from_waker(&waker);
        let mut set = SignalWait::new(&waiters, || flag.get());
        assert!(Pin::new(&mut set).poll(&mut cx).is_ready());

        flag.set(false);
        let mut unset = SignalWait::new(&waiters, || flag.get());
        assert!(Pin::new(&mut unset).poll(&mut cx).is_pending());
        // A set then clear still wakes the waiter.
        flag.set(true);
        waiters.notify_all();
        flag.set(false);
        assert!(Pin::new(&mut unset).poll(&mut cx).is_ready());
    }
}
