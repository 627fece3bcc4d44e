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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    /// A waker that counts its wake-ups.
    #[derive(Default)]
    pub(crate) struct Counter(AtomicUsize);

    impl Counter {
        pub(crate) fn waker() -> (Arc<Self>, Waker) {
            let counter = Arc::new(Counter::default());
            (counter.clone(), Waker::from(counter))
        }

        pub(crate) fn wakes(&self) -> usize {
            self.0.load(Ordering::SeqCst)
        }
    }

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn wait(waiters: &Waiters, ticket: &mut Ticket, waker: &Waker) -> Poll<()> {
        waiters.poll_wait(ticket, &mut Context::from_waker(waker))
    }

    #[test]
    fn notify_one_wakes_the_oldest_first() {
        let waiters = Waiters::new();
        let (counters, wakers): (Vec<_>, Vec<_>) = (0..3).map(|_| Counter::waker()).unzip();
        let mut tickets: Vec<_> = (0..3).map(|_| Ticket::default()).collect();
        for (ticket, waker) in tickets.iter_mut().zip(&wakers) {
            assert!(wait(&waiters, ticket, waker).is_pending());
        }
        assert_eq!(waiters.waiting(), 3);
        assert!(waiters.notify_one());
        assert_eq!(
            counters.iter().map(|c| c.wakes()).collect::<Vec<_>>(),
            [1, 0, 0]
        );
        assert!(wait(&waiters, &mut tickets[1], &wakers[1]).is_pending());
        assert!(wait(&waiters, &mut tickets[0], &wakers[0]).is_ready());
        assert!(waiters.notify_one());
        assert_eq!(counters[1].wakes(), 1);
        assert_eq!(waiters.waiting(), 1);
    }

    #[test]
    fn notify_one_with_nobody_waiting_is_lost() {
        let waiters = Waiters::new();
        assert!(!waiters.notify_one());
        let (_, waker) = Counter::waker();
        let mut ticket = Ticket::default();
        assert!(wait(&waiters, &mut ticket, &waker).is_pending());
        assert!(wait(&waiters, &mut ticket, &waker).is_pending());
    }

    #[test]
    fn notify_all_wakes_only_those_queued_now() {
        let waiters = Waiters::new();
        let (early, early_waker) = Counter::waker();
        let mut early_ticket = Ticket::default();
        assert!(wait(&waiters, &mut early_ticket, &early_waker).is_pending());
        waiters.notify_all();
        let (late, late_waker) = Counter::waker();
        let mut late_ticket = Ticket::default();
        assert!(wait(&waiters, &mut late_ticket, &late_waker).is_pending());
        assert_eq!((early.wakes(), late.wakes()), (1, 0));
        assert!(wait(&waiters, &mut early_ticket, &early_waker).is_ready());
        assert!(wait(&waiters, &mut late_ticket, &late_waker).is_pending());
    }

    #[test]
    fn cancel_tells_whether_a_notification_was_swallowed() {
        let waiters = Waiters::new();
        let (_, waker) = Counter::waker();
        let (mut idle, mut woken) = (Ticket::default(), Ticket::default());
        assert!(!waiters.cancel(&mut idle), "a ticket never queued");
        assert!(wait(&waiters, &mut idle, &waker).is_pending());
        assert!(wait(&waiters, &mut woken, &waker).is_pending());
        waiters.notify_one();
        // `idle` was notified (oldest), `woken` was not.
        assert!(waiters.cancel(&mut idle));
        assert!(!waiters.cancel(&mut woken));
        assert_eq!(waiters.waiting(), 0);
    }

    #[test]
    fn a_new_waker_replaces_the_old_one() {
        let waiters = Waiters::new();
        let (first, first_waker) = Counter::waker();
        let (second, second_waker) = Counter::waker();
        let mut ticket = Ticket::default();
        assert!(wait(&waiters, &mut ticket, &first_waker).is_pending());
        assert!(wait(&waiters, &mut ticket, &second_waker).is_pending());
        waiters.notify_all();
        assert_eq!((first.wakes(), second.wakes()), (0, 1));
    }
}
