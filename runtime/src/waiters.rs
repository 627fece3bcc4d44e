//! A FIFO list of waiting tasks: the one wake-up mechanism behind joins,
//! events, queues and locks (and, behind a `std::sync::Mutex`, compat's
//! `Condvar`).
//!
//! A waiter holds a [`Ticket`]. `notify_one` marks the oldest waiting ticket
//! *notified* and wakes its task; a ticket cancelled after being notified
//! (its task was killed or timed out) makes [`WaitList::cancel`] return
//! true, so that the caller hands the wake-up on: a wake-up is never
//! swallowed by a dead waiter (see [the cancellation
//! rule](#the-cancellation-rule) below).
//!
//! # Layout: a slab with an index-linked FIFO
//!
//! Every operation is O(1) (`notify_all` is O(1) per waiter it wakes), so
//! that N tasks waiting on one queue cost O(N) in all, not O(N²):
//!
//! - the entries live in a slab (a `Vec` of slots, free slots chained in a
//!   free list and reused), so registering allocates only when the list is
//!   longer than it ever was;
//! - the entries still waiting form a doubly linked list through slot
//!   indices, oldest first: `notify_one` pops its head, a cancelled waiter
//!   unlinks itself from the middle, and a wake never looks at an entry that
//!   was notified or cancelled (they are not in the list);
//! - a notified entry leaves the list at once but keeps its slot until its
//!   waiter consumes the wake-up or cancels, so that `cancel` can tell
//!   whether a wake-up is to be handed on;
//! - a [`Ticket`] names its slot by index and generation: a slot's
//!   generation changes whenever it is freed, so a ticket never finds
//!   another waiter's entry;
//! - once no entry is held, a slab that grew past [`KEEP_SLOTS`] is dropped
//!   so that a burst of waiters does not keep its memory for ever (amortised
//!   O(1): the memory released was allocated one slot per waiter).
//!
//! Tombstones with lazy compaction would also be amortised O(1), but make
//! every wake skip dead entries and need a rebuild pass; tokio's intrusive
//! lists need `unsafe`, which this crate forbids. The slab does neither.
//!
//! # The cancellation rule
//!
//! Every wait of the runtime, and compat's `Condvar`, follows one rule,
//! written out in `docs/architecture.md` ("Waiting, and what cancelling a
//! wait does"): a dropped wait leaves its line at once and runs its
//! destructors; a single wake-up it was given and had not used goes to the
//! next waiter (here: [`WaitList::cancel`] returns true and the caller
//! notifies again); a timed wait looks for its wake-up before its deadline;
//! a newcomer never overtakes a woken waiter.

use std::cell::RefCell;
use std::num::NonZeroU32;
use std::task::{Context, Poll, Waker};

/// End of a chain (the list's or the free list's).
const NIL: u32 = u32::MAX;

/// A slab of at most this many slots is kept when the list becomes empty;
/// a larger one is released.
const KEEP_SLOTS: usize = 1024;

/// The waiter list behind a `RefCell`: what the runtime's primitives hold
/// (they are used by one hub thread).
#[derive(Debug, Default)]
pub(crate) struct Waiters {
    list: RefCell<WaitList>,
}

/// A FIFO list of waiters, O(1) in every operation (see the docs of
/// `runtime/src/waiters.rs`). Needs `&mut`: the runtime keeps it in a
/// `RefCell` (`Waiters`), compat's `Condvar` in a
/// `std::sync::Mutex`.
#[derive(Debug)]
pub struct WaitList {
    slots: Vec<Slot>,
    /// First free slot, chained through the free slots' `next`.
    free: u32,
    /// Oldest and newest waiting entries.
    head: u32,
    tail: u32,
    /// Entries in the waiting list.
    waiting: usize,
    /// Slots not free: waiting or notified.
    held: usize,
}

/// One entry. Flat rather than an enum of states, so that it takes a
/// waker and two words (32 bytes): one per parked task.
#[derive(Debug)]
struct Slot {
    /// `Some` while waiting.
    waker: Option<Waker>,
    /// Waiting: the neighbours in the list; free: `next` chains the free list.
    prev: u32,
    next: u32,
    generation: NonZeroU32,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Free,
    Waiting,
    Notified,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    index: u32,
    generation: NonZeroU32,
}

/// A waiter's place in a [`WaitList`]; empty until the first wait, and
/// again once the wait is over (ready or cancelled).
#[derive(Debug, Default)]
pub struct Ticket(Option<Key>);

impl Ticket {
    /// An empty ticket.
    pub const fn new() -> Self {
        Ticket(None)
    }
}

impl Default for WaitList {
    fn default() -> Self {
        Self::new()
    }
}

impl WaitList {
    /// An empty list; allocates nothing.
    pub const fn new() -> Self {
        WaitList {
            slots: Vec::new(),
            free: NIL,
            head: NIL,
            tail: NIL,
            waiting: 0,
            held: 0,
        }
    }

    /// Queues the caller at the back (or refreshes its waker); ready once
    /// notified, and then the ticket is empty again. A ticket whose entry is
    /// gone (never the case in the runtime) is ready too.
    pub fn poll_wait(&mut self, ticket: &mut Ticket, cx: &mut Context<'_>) -> Poll<()> {
        let Some(key) = ticket.0 else {
            ticket.0 = Some(self.push_back(cx.waker().clone()));
            return Poll::Pending;
        };
        match self.slot_mut(key) {
            Some(slot) if slot.state == State::Waiting => {
                match &mut slot.waker {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    waker => *waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
            Some(slot) if slot.state == State::Notified => {
                self.release(key.index);
                ticket.0 = None;
                Poll::Ready(())
            }
            _ => {
                ticket.0 = None;
                Poll::Ready(())
            }
        }
    }

    /// Leaves the list; the ticket is empty again. True if the ticket had
    /// been notified and had not consumed it: the caller should hand the
    /// wake-up on.
    pub fn cancel(&mut self, ticket: &mut Ticket) -> bool {
        let Some(key) = ticket.0.take() else {
            return false;
        };
        let notified = match self.slot_mut(key).map(|slot| slot.state) {
            Some(State::Waiting) => {
                self.unlink(key.index);
                false
            }
            Some(State::Notified) => true,
            Some(State::Free) | None => return false,
        };
        self.release(key.index);
        notified
    }

    /// Marks the oldest waiting entry notified and gives its waker to wake,
    /// or `None` if nobody waits.
    pub fn notify_one(&mut self) -> Option<Waker> {
        if self.head == NIL {
            return None;
        }
        self.unlink(self.head)
    }

    /// Marks every waiting entry notified, oldest first, and gives each
    /// waker to `wake`. Entries queued by `wake` itself are not notified.
    pub fn notify_all(&mut self, mut wake: impl FnMut(Waker)) {
        let mut index = self.head;
        self.head = NIL;
        self.tail = NIL;
        self.waiting = 0;
        while let Some(slot) = self.slots.get_mut(index as usize) {
            slot.state = State::Notified;
            index = slot.next;
            if let Some(waker) = slot.waker.take() {
                wake(waker);
            }
        }
    }

    /// Number of entries waiting (not yet notified).
    pub fn waiting(&self) -> usize {
        self.waiting
    }

    /// Number of slots held by waiters, waiting or notified and not yet
    /// back; with the slab's length, what tests check for leaks.
    pub fn held(&self) -> usize {
        self.held
    }

    /// Slots in the slab (held or free).
    pub fn slots(&self) -> usize {
        self.slots.len()
    }

    fn slot_mut(&mut self, key: Key) -> Option<&mut Slot> {
        self.slots
            .get_mut(key.index as usize)
            .filter(|slot| slot.generation == key.generation)
    }

    fn push_back(&mut self, waker: Waker) -> Key {
        let index = match self.free {
            NIL => {
                let index = u32::try_from(self.slots.len())
                    .ok()
                    .filter(|&i| i != NIL)
                    .expect("more than 4 billion tasks waiting on one list");
                self.slots.push(Slot {
                    waker: None,
                    prev: NIL,
                    next: NIL,
                    generation: NonZeroU32::MIN,
                    state: State::Free,
                });
                index
            }
            free => {
                self.free = self.slots[free as usize].next;
                free
            }
        };
        let tail = self.tail;
        let slot = &mut self.slots[index as usize];
        slot.waker = Some(waker);
        slot.prev = tail;
        slot.next = NIL;
        slot.state = State::Waiting;
        let generation = slot.generation;
        match tail {
            NIL => self.head = index,
            tail => self.slots[tail as usize].next = index,
        }
        self.tail = index;
        self.waiting += 1;
        self.held += 1;
        Key { index, generation }
    }

    /// Takes a waiting entry out of the list and marks it notified; gives
    /// its waker.
    fn unlink(&mut self, index: u32) -> Option<Waker> {
        let slot = &mut self.slots[index as usize];
        if slot.state != State::Waiting {
            return None;
        }
        slot.state = State::Notified;
        let (prev, next) = (slot.prev, slot.next);
        let waker = slot.waker.take();
        match prev {
            NIL => self.head = next,
            prev => self.slots[prev as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            next => self.slots[next as usize].prev = prev,
        }
        self.waiting -= 1;
        waker
    }

    /// Frees a held slot (already out of the waiting list).
    fn release(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        slot.state = State::Free;
        slot.waker = None;
        slot.next = self.free;
        slot.generation = slot.generation.checked_add(1).unwrap_or(NonZeroU32::MIN);
        self.free = index;
        self.held -= 1;
        if self.held == 0 && self.slots.len() > KEEP_SLOTS {
            // No ticket names a slot now: the generations may start over.
            self.slots = Vec::new();
            self.free = NIL;
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
        self.list.borrow_mut().poll_wait(ticket, cx)
    }

    /// Leaves the list. Returns true if the ticket had been notified and not
    /// yet consumed: the caller should pass the notification on.
    pub(crate) fn cancel(&self, ticket: &mut Ticket) -> bool {
        self.list.borrow_mut().cancel(ticket)
    }

    /// Wakes the oldest waiter not yet notified. Returns false if there was none.
    pub(crate) fn notify_one(&self) -> bool {
        // Woken outside the borrow: a waker may run code that waits again.
        let waker = self.list.borrow_mut().notify_one();
        match waker {
            Some(waker) => {
                waker.wake();
                true
            }
            None => false,
        }
    }

    /// Wakes every waiter queued now.
    pub(crate) fn notify_all(&self) {
        // The hub's wakers only schedule their task: waking inside the
        // borrow spares collecting them.
        self.list.borrow_mut().notify_all(Waker::wake);
    }

    /// Number of waiters not yet notified.
    pub(crate) fn waiting(&self) -> usize {
        self.list.borrow().waiting()
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

    /// `n` waiters with their counters, wakers and tickets, all queued.
    struct Crowd {
        counters: Vec<Arc<Counter>>,
        wakers: Vec<Waker>,
        tickets: Vec<Ticket>,
    }

    impl Crowd {
        fn queue(waiters: &Waiters, n: usize) -> Self {
            let (counters, wakers): (Vec<_>, Vec<_>) = (0..n).map(|_| Counter::waker()).unzip();
            let mut tickets: Vec<_> = (0..n).map(|_| Ticket::default()).collect();
            for (ticket, waker) in tickets.iter_mut().zip(&wakers) {
                assert!(wait(waiters, ticket, waker).is_pending());
            }
            Crowd {
                counters,
                wakers,
                tickets,
            }
        }

        fn wakes(&self) -> Vec<usize> {
            self.counters.iter().map(|c| c.wakes()).collect()
        }

        fn poll(&mut self, waiters: &Waiters, i: usize) -> Poll<()> {
            wait(waiters, &mut self.tickets[i], &self.wakers[i])
        }
    }

    fn list_len(waiters: &Waiters) -> (usize, usize) {
        let list = waiters.list.borrow();
        (list.held(), list.slots())
    }

    #[test]
    fn notify_one_wakes_in_fifo_order() {
        let waiters = Waiters::new();
        let mut crowd = Crowd::queue(&waiters, 4);
        assert_eq!(waiters.waiting(), 4);
        for i in 0..4 {
            assert!(waiters.notify_one());
            let mut expected = vec![0; 4];
            expected[..=i].fill(1);
            assert_eq!(crowd.wakes(), expected);
        }
        assert!(!waiters.notify_one());
        for i in 0..4 {
            assert!(crowd.poll(&waiters, i).is_ready());
        }
        assert_eq!(list_len(&waiters).0, 0);
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
    fn a_woken_waiter_stays_pending_for_the_others() {
        let waiters = Waiters::new();
        let mut crowd = Crowd::queue(&waiters, 3);
        assert!(waiters.notify_one());
        assert!(crowd.poll(&waiters, 1).is_pending());
        assert!(crowd.poll(&waiters, 0).is_ready());
        assert!(waiters.notify_one());
        assert_eq!(crowd.wakes(), [1, 1, 0]);
        assert_eq!(waiters.waiting(), 1);
    }

    #[test]
    fn cancelling_the_middle_head_or_tail_keeps_the_order_of_the_rest() {
        for cancelled in [0, 2, 4] {
            let waiters = Waiters::new();
            let mut crowd = Crowd::queue(&waiters, 5);
            assert!(!waiters.cancel(&mut crowd.tickets[cancelled]));
            assert_eq!(waiters.waiting(), 4);
            let mut order = Vec::new();
            while waiters.notify_one() {
                let wakes = crowd.wakes();
                let newly = (0..5).find(|&i| wakes[i] == 1 && !order.contains(&i));
                order.push(newly.expect("one more waiter woken"));
            }
            let expected: Vec<usize> = (0..5).filter(|&i| i != cancelled).collect();
            assert_eq!(order, expected, "cancelled {cancelled}");
            for i in expected {
                assert!(crowd.poll(&waiters, i).is_ready());
            }
            assert_eq!(crowd.wakes()[cancelled], 0);
            assert_eq!(list_len(&waiters).0, 0);
        }
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
        assert!(!waiters.cancel(&mut woken), "cancelled twice");
        assert_eq!(waiters.waiting(), 0);
        assert_eq!(list_len(&waiters).0, 0);
    }

    #[test]
    fn a_wake_after_a_cancel_goes_to_the_next_live_waiter() {
        let waiters = Waiters::new();
        let mut crowd = Crowd::queue(&waiters, 3);
        // Cancelled before any wake: skipped without a look.
        assert!(!waiters.cancel(&mut crowd.tickets[0]));
        assert!(waiters.notify_one());
        assert_eq!(crowd.wakes(), [0, 1, 0]);
        // Cancelled after its wake: the caller hands it on.
        assert!(waiters.cancel(&mut crowd.tickets[1]));
        assert!(waiters.notify_one());
        assert_eq!(crowd.wakes(), [0, 1, 1]);
        assert!(crowd.poll(&waiters, 2).is_ready());
    }

    #[test]
    fn notify_all_wakes_only_those_queued_now() {
        let waiters = Waiters::new();
        let mut crowd = Crowd::queue(&waiters, 3);
        assert!(!waiters.cancel(&mut crowd.tickets[1]));
        waiters.notify_all();
        assert_eq!(waiters.waiting(), 0);
        let (late, late_waker) = Counter::waker();
        let mut late_ticket = Ticket::default();
        assert!(wait(&waiters, &mut late_ticket, &late_waker).is_pending());
        assert_eq!(crowd.wakes(), [1, 0, 1]);
        assert_eq!(late.wakes(), 0);
        assert!(crowd.poll(&waiters, 0).is_ready());
        assert!(crowd.poll(&waiters, 2).is_ready());
        assert!(wait(&waiters, &mut late_ticket, &late_waker).is_pending());
        assert_eq!(waiters.waiting(), 1);
        // A notify_all with nobody waiting does nothing, the next reaches `late`.
        waiters.notify_all();
        assert_eq!(late.wakes(), 1);
        assert!(wait(&waiters, &mut late_ticket, &late_waker).is_ready());
    }

    #[test]
    fn a_ticket_queues_again_after_its_wake() {
        let waiters = Waiters::new();
        let mut crowd = Crowd::queue(&waiters, 2);
        assert!(waiters.notify_one());
        assert!(crowd.poll(&waiters, 0).is_ready());
        // Waits again: now behind waiter 1.
        assert!(crowd.poll(&waiters, 0).is_pending());
        assert!(waiters.notify_one());
        assert_eq!(crowd.wakes(), [1, 1]);
        assert!(waiters.notify_one());
        assert_eq!(crowd.wakes(), [2, 1]);
        assert!(crowd.poll(&waiters, 1).is_ready());
        assert!(crowd.poll(&waiters, 0).is_ready());
        assert_eq!(list_len(&waiters).0, 0);
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

    #[test]
    fn register_and_cancel_cycles_do_not_grow_the_list() {
        let waiters = Waiters::new();
        let (_, waker) = Counter::waker();
        let mut standing = Crowd::queue(&waiters, 3);
        let mut tickets: Vec<_> = (0..4).map(|_| Ticket::default()).collect();
        for round in 0..200_000 {
            for ticket in &mut tickets {
                assert!(wait(&waiters, ticket, &waker).is_pending());
            }
            // Alternately from the front, the back and the middle; half the
            // time after a wake (whose wake-up is then handed back).
            let order: [usize; 4] = match round % 3 {
                0 => [0, 1, 2, 3],
                1 => [3, 2, 1, 0],
                _ => [2, 0, 3, 1],
            };
            if round % 2 == 0 {
                assert!(!waiters.cancel(&mut standing.tickets[0]));
                assert!(standing.poll(&waiters, 0).is_pending());
            }
            for i in order {
                assert!(!waiters.cancel(&mut tickets[i]));
            }
        }
        let (held, slots) = list_len(&waiters);
        assert_eq!(held, 3);
        assert!(slots <= 7, "{slots} slots for 7 waiters at most");
        assert_eq!(waiters.waiting(), 3);
        for i in 0..3 {
            assert!(!waiters.cancel(&mut standing.tickets[i]));
        }
        assert_eq!(list_len(&waiters).0, 0);
    }

    #[test]
    fn a_big_list_gives_its_memory_back_once_empty() {
        let waiters = Waiters::new();
        let mut crowd = Crowd::queue(&waiters, 5_000);
        assert_eq!(list_len(&waiters), (5_000, 5_000));
        waiters.notify_all();
        for i in 0..5_000 {
            assert!(crowd.poll(&waiters, i).is_ready());
        }
        assert_eq!(list_len(&waiters), (0, 0));
        // And works on from empty.
        let mut again = Crowd::queue(&waiters, 2);
        assert!(waiters.notify_one());
        assert!(again.poll(&waiters, 0).is_ready());
        assert_eq!(again.wakes(), [1, 0]);
    }

    #[test]
    fn a_wake_of_many_is_linear() {
        // 200k waiters woken one by one, each consuming its wake at once
        // or only after all: with a scanning list either order is N².
        let waiters = Waiters::new();
        let n = 200_000;
        let mut crowd = Crowd::queue(&waiters, n);
        let start = std::time::Instant::now();
        for _ in 0..n {
            assert!(waiters.notify_one());
        }
        for i in 0..n {
            assert!(crowd.poll(&waiters, i).is_ready());
        }
        // Generous: a linear pass takes milliseconds, a quadratic one minutes.
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn an_entry_is_no_bigger_than_a_waker_and_two_words() {
        assert!(std::mem::size_of::<Slot>() <= 32);
        assert!(std::mem::size_of::<Ticket>() <= 8);
    }
}
