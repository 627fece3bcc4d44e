//! A FIFO list of waiting green tasks: the one wake-up mechanism behind joins,
//! events, queues and locks.
//!
//! A waiter holds a [`Ticket`]. `notify_one` marks the oldest unnotified ticket
//! and wakes its task; a ticket dropped after being notified (its task was
//! killed or timed out) hands the notification on with [`Waiters::cancel`], so
//! that a wake-up is never swallowed by a dead waiter.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

#[derive(Debug, Default)]
pub(crate) struct Waiters {
    inner: RefCell<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_key: u64,
    // Sorted by key: keys are handed out in increasing order.
    entries: VecDeque<Entry>,
}

#[derive(Debug)]
struct Entry {
    key: u64,
    waker: Waker,
    notified: bool,
}

/// A place in a [`Waiters`] list; `None` until the first wait.
#[derive(Debug, Default)]
pub(crate) struct Ticket(Option<u64>);

impl Inner {
    fn position(&self, key: u64) -> Option<usize> {
        // Waiters mostly leave in the order they came (a notify_all wakes
        // them oldest first): the front is the usual answer.
        match self.entries.front() {
            Some(front) if front.key == key => Some(0),
            _ => self.entries.binary_search_by_key(&key, |e| e.key).ok(),
        }
    }
}

impl Waiters {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Queues the caller (or refreshes its waker); ready once notified.
    /// A ready ticket has left the list.
    pub(crate) fn poll_wait(&self, ticket: &mut Ticket, cx: &mut Context<'_>) -> Poll<()> {
        let mut inner = self.inner.borrow_mut();
        match ticket.0 {
            None => {
                let key = inner.next_key;
                inner.next_key += 1;
                inner.entries.push_back(Entry {
                    key,
                    waker: cx.waker().clone(),
                    notified: false,
                });
                ticket.0 = Some(key);
                Poll::Pending
            }
            Some(key) => match inner.position(key) {
                Some(i) if inner.entries[i].notified => {
                    inner.entries.remove(i);
                    ticket.0 = None;
                    Poll::Ready(())
                }
                Some(i) => {
                    let entry = &mut inner.entries[i];
                    if !entry.waker.will_wake(cx.waker()) {
                        entry.waker = cx.waker().clone();
                    }
                    Poll::Pending
                }
                // Not in the list any more: nothing left to wait for.
                None => {
                    ticket.0 = None;
                    Poll::Ready(())
                }
            },
        }
    }

    /// Leaves the list. Returns true if the ticket had been notified and not
    /// yet consumed: the caller should pass the notification on.
    pub(crate) fn cancel(&self, ticket: &mut Ticket) -> bool {
        let Some(key) = ticket.0.take() else {
            return false;
        };
        let mut inner = self.inner.borrow_mut();
        match inner.position(key) {
            Some(i) => inner.entries.remove(i).is_some_and(|e| e.notified),
            None => false,
        }
    }

    /// Wakes the oldest waiter not yet notified. Returns false if there was none.
    pub(crate) fn notify_one(&self) -> bool {
        let mut inner = self.inner.borrow_mut();
        match inner.entries.iter_mut().find(|e| !e.notified) {
            Some(entry) => {
                entry.notified = true;
                entry.waker.wake_by_ref();
                true
            }
            None => false,
        }
    }

    /// Wakes every waiter queued now.
    pub(crate) fn notify_all(&self) {
        let mut inner = self.inner.borrow_mut();
        for entry in inner.entries.iter_mut().filter(|e| !e.notified) {
            entry.notified = true;
            entry.waker.wake_by_ref();
        }
    }

    /// Number of waiters not yet notified.
    pub(crate) fn waiting(&self) -> usize {
        self.inner
            .borrow()
            .entries
            .iter()
            .filter(|e| !e.notified)
            .count()
    }
}
