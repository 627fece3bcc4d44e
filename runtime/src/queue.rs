//! Queues between green tasks (gevent.queue): [`Queue`] (FIFO), and the
//! same queue in other orders, [`LifoQueue`] and [`PriorityQueue`], plus the
//! rendezvous [`Channel`].
//!
//! The three buffered queues are one type, `Queue<T, O>`, whose order `O` is
//! a strategy ([`Fifo`], [`Lifo`], [`Priority`]); `LifoQueue<T>` and
//! `PriorityQueue<T>` wrap `Queue<T, Lifo>` and `Queue<T, Priority>` only to
//! give them their own `new` and `bounded` (one `new` on several
//! instantiations would make `Queue::new()` ambiguous).
//!
//! Every queue is a cloneable handle. Waiting putters and getters are served
//! first come, first served; a getter (or putter) cancelled by a timeout or a
//! kill never swallows an item (or a free place): its turn passes to the next
//! live waiter.

use core::cmp::Reverse;
use core::fmt;
use core::future::Future;
use core::ops::Deref;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::cell::{Cell, RefCell};
use std::collections::{BinaryHeap, VecDeque};
use std::rc::Rc;

use crate::green::Green;
use crate::iter::GreenIterator;
use crate::line::{Go, Line, SignalWait, Turn};
use crate::timeout::poll_until_elapsed;
use crate::waiters::Waiters;

/// The error of `try_put` and `put_timeout` (gevent's `queue.Full`, and
/// `ValueError`/`ShutDown` for a closed queue): the item is given back, with
/// why it was not put.
///
/// ```
/// use green::{PutError, Queue};
///
/// let queue = Queue::bounded(1);
/// queue.try_put("a").unwrap();
/// assert_eq!(queue.try_put("b"), Err(PutError::Full("b")));
/// queue.close();
/// let error = queue.try_put("c").unwrap_err();
/// assert_eq!(error.to_string(), "queue is closed");
/// assert_eq!(error.into_inner(), "c");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum PutError<T> {
    /// No room now (`try_put`), or none came in time (`put_timeout`).
    Full(T),
    /// The queue is closed: it takes no more items.
    Closed(T),
}

impl<T> PutError<T> {
    /// The item that was not put.
    ///
    /// ```
    /// let error = green::PutError::Full(3);
    /// assert_eq!(error.into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            PutError::Full(item) | PutError::Closed(item) => item,
        }
    }

    /// True for [`PutError::Closed`].
    ///
    /// ```
    /// assert!(green::PutError::Closed(1).is_closed());
    /// assert!(!green::PutError::Full(1).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, PutError::Closed(_))
    }
}

impl<T> From<Closed<T>> for PutError<T> {
    fn from(Closed(item): Closed<T>) -> Self {
        PutError::Closed(item)
    }
}

impl<T> fmt::Debug for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("Full(..)"),
            PutError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for PutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutError::Full(_) => f.write_str("queue is full"),
            PutError::Closed(_) => f.write_str("queue is closed"),
        }
    }
}

impl<T> std::error::Error for PutError<T> {}

/// The error of `try_get` and `get_timeout` (gevent's `queue.Empty`, and
/// `ShutDown` for a closed queue): no item now, none in time, or none ever
/// again.
///
/// ```
/// use green::{GetError, Queue};
///
/// let queue: Queue<u8> = Queue::new();
/// assert_eq!(queue.try_get(), Err(GetError::Empty));
/// queue.close();
/// assert_eq!(queue.try_get(), Err(GetError::Closed));
/// assert_eq!(GetError::Closed.to_string(), "queue is closed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GetError {
    /// No item now (`try_get`), or none came in time (`get_timeout`).
    Empty,
    /// The queue is closed and drained: no item will come.
    Closed,
}

impl From<Closed> for GetError {
    fn from(Closed(()): Closed) -> Self {
        GetError::Closed
    }
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::Empty => f.write_str("queue is empty"),
            GetError::Closed => f.write_str("queue is closed"),
        }
    }
}

impl std::error::Error for GetError {}

/// The error of `put`, `get` and `peek` on a closed queue, where closing is
/// the only way to fail. `put` gives the item back in it (`Closed<T>`); `get`
/// reports `Closed` (that is, `Closed<()>`) once the items left at closing
/// are drained.
///
/// ```
/// #[green::main]
/// fn main() {
///     let queue = green::Queue::new();
///     queue.put(1).unwrap();
///     queue.close();
///     assert_eq!(queue.put(2), Err(green::Closed(2)));
///     assert_eq!(queue.get(), Ok(1));
///     assert_eq!(queue.get(), Err(green::Closed(())));
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Closed<T = ()>(pub T);

impl<T> Closed<T> {
    /// The item that was not put.
    ///
    /// ```
    /// assert_eq!(green::Closed("kept").into_inner(), "kept");
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Closed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Closed(..)")
    }
}

impl<T> fmt::Display for Closed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue is closed")
    }
}

impl<T> std::error::Error for Closed<T> {}

/// The order in which a [`Queue`] gives its items: [`Fifo`], [`Lifo`] or
/// [`Priority`]. Sealed: the three are all there is.
///
/// ```
/// use green::{Lifo, Queue};
///
/// fn newest_first<T>(queue: &Queue<T, Lifo>) -> Option<T> {
///     queue.try_get().ok()
/// }
///
/// let stack = green::LifoQueue::new();
/// stack.try_put(1).unwrap();
/// stack.try_put(2).unwrap();
/// assert_eq!(newest_first(&stack), Some(2));
/// ```
pub trait Order<T>: order::Buffer<T> {}

/// First in, first out: [`Queue`] (gevent's `Queue`).
///
/// ```
/// let queue: green::Queue<u8, green::Fifo> = green::Queue::new();
/// assert!(queue.is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Fifo;

/// Last in, first out: [`LifoQueue`] (gevent's `LifoQueue`).
///
/// ```
/// let stack: &green::Queue<u8, green::Lifo> = &green::LifoQueue::new();
/// assert!(stack.is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Lifo;

/// Lowest first: [`PriorityQueue`] (gevent's `PriorityQueue`).
///
/// ```
/// let queue: &green::Queue<u8, green::Priority> = &green::PriorityQueue::new();
/// assert!(queue.is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Priority;

impl<T> Order<T> for Fifo {}
impl<T> Order<T> for Lifo {}
impl<T: Ord> Order<T> for Priority {}

/// The sealed workings of [`Order`].
mod order {
    use super::*;

    pub trait Buffer<T> {
        /// The queue's name, for `Debug` and panic messages.
        const NAME: &'static str;
        type Buffer: Default;
        fn push(buffer: &mut Self::Buffer, item: T);
        fn pop(buffer: &mut Self::Buffer) -> Option<T>;
        fn peek(buffer: &Self::Buffer) -> Option<&T>;
        fn len(buffer: &Self::Buffer) -> usize;
    }

    impl<T> Buffer<T> for Fifo {
        const NAME: &'static str = "Queue";
        type Buffer = VecDeque<T>;
        fn push(buffer: &mut VecDeque<T>, item: T) {
            buffer.push_back(item);
        }
        fn pop(buffer: &mut VecDeque<T>) -> Option<T> {
            buffer.pop_front()
        }
        fn peek(buffer: &VecDeque<T>) -> Option<&T> {
            buffer.front()
        }
        fn len(buffer: &VecDeque<T>) -> usize {
            buffer.len()
        }
    }

    impl<T> Buffer<T> for Lifo {
        const NAME: &'static str = "LifoQueue";
        type Buffer = Vec<T>;
        fn push(buffer: &mut Vec<T>, item: T) {
            buffer.push(item);
        }
        fn pop(buffer: &mut Vec<T>) -> Option<T> {
            buffer.pop()
        }
        fn peek(buffer: &Vec<T>) -> Option<&T> {
            buffer.last()
        }
        fn len(buffer: &Vec<T>) -> usize {
            buffer.len()
        }
    }

    impl<T: Ord> Buffer<T> for Priority {
        const NAME: &'static str = "PriorityQueue";
        type Buffer = BinaryHeap<Reverse<T>>;
        fn push(buffer: &mut Self::Buffer, item: T) {
            buffer.push(Reverse(item));
        }
        fn pop(buffer: &mut Self::Buffer) -> Option<T> {
            buffer.pop().map(|Reverse(item)| item)
        }
        fn peek(buffer: &Self::Buffer) -> Option<&T> {
            buffer.peek().map(|Reverse(item)| item)
        }
        fn len(buffer: &Self::Buffer) -> usize {
            buffer.len()
        }
    }
}

/// The state a [`Queue`] handle shares with its clones.
struct Core<T, O: Order<T>> {
    buffer: RefCell<O::Buffer>,
    capacity: usize,
    closed: Cell<bool>,
    getters: Line,
    putters: Line,
    /// Tasks in `peek`: woken by every put.
    peekers: Waiters,
    /// Items put and not yet marked done (`task_done`).
    unfinished: Cell<usize>,
    joiners: Waiters,
}

impl<T, O: Order<T>> Core<T, O> {
    fn new(capacity: usize) -> Self {
        Core {
            buffer: RefCell::new(O::Buffer::default()),
            capacity,
            closed: Cell::new(false),
            getters: Line::default(),
            putters: Line::default(),
            peekers: Waiters::new(),
            unfinished: Cell::new(0),
            joiners: Waiters::new(),
        }
    }

    fn len(&self) -> usize {
        O::len(&self.buffer.borrow())
    }

    fn push(&self, item: T) {
        O::push(&mut self.buffer.borrow_mut(), item);
        self.unfinished.set(self.unfinished.get() + 1);
        self.getters.wake_one();
        self.peekers.notify_all();
    }

    fn pop(&self) -> Option<T> {
        let item = O::pop(&mut self.buffer.borrow_mut());
        if item.is_some() {
            self.putters.wake_one();
        }
        item
    }

    /// Room for a newcomer beyond the places reserved for woken putters.
    fn has_room(&self, reserved: usize) -> bool {
        self.len().saturating_add(reserved) < self.capacity
    }

    fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        if self.closed.get() {
            return Err(PutError::Closed(item));
        }
        if !self.has_room(self.putters.reserved()) {
            return Err(PutError::Full(item));
        }
        self.push(item);
        Ok(())
    }

    fn try_get(&self) -> Result<T, GetError> {
        if self.len() > self.getters.reserved() {
            Ok(self.pop().expect("an item beyond the reserved ones"))
        } else if self.closed.get() && self.len() == 0 {
            Err(GetError::Closed)
        } else {
            Err(GetError::Empty)
        }
    }

    fn put_future(&self, item: T) -> PutFuture<'_, T, O> {
        PutFuture {
            core: self,
            item: Some(item),
            turn: self.putters.turn(),
        }
    }

    fn get_future(&self) -> GetFuture<'_, T, O> {
        GetFuture {
            core: self,
            turn: self.getters.turn(),
        }
    }

    fn close(&self) {
        if !self.closed.replace(true) {
            self.getters.wake_all();
            self.putters.wake_all();
            self.peekers.notify_all();
        }
    }

    fn task_done(&self) {
        let left = self.unfinished.get().saturating_sub(1);
        self.unfinished.set(left);
        if left == 0 {
            self.joiners.notify_all();
        }
    }

    fn join(&self) -> SignalWait<'_, impl Fn() -> bool + Unpin + '_> {
        SignalWait::new(&self.joiners, move || self.unfinished.get() == 0)
    }

    async fn peek(&self) -> Result<T, Closed>
    where
        T: Clone,
    {
        loop {
            if let Some(item) = O::peek(&self.buffer.borrow()) {
                return Ok(item.clone());
            }
            if self.closed.get() {
                return Err(Closed(()));
            }
            SignalWait::new(&self.peekers, || self.len() > 0 || self.closed.get()).await;
        }
    }

    async fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutError<T>> {
        let mut put = self.put_future(item);
        match poll_until_elapsed(timeout, &mut put).await {
            Ok(put) => Ok(put?),
            Err(_elapsed) => Err(PutError::Full(put.take_item())),
        }
    }

    async fn get_timeout(&self, timeout: Duration) -> Result<T, GetError> {
        let mut get = self.get_future();
        match poll_until_elapsed(timeout, &mut get).await {
            Ok(got) => Ok(got?),
            Err(_elapsed) => Err(GetError::Empty),
        }
    }
}
/// Future of `put`: waits for room, gives the item back if cancelled.
struct PutFuture<'a, T, O: Order<T>> {
    core: &'a Core<T, O>,
    item: Option<T>,
    turn: Turn<'a>,
}

impl<T, O: Order<T>> Unpin for PutFuture<'_, T, O> {}

impl<T, O: Order<T>> PutFuture<'_, T, O> {
    fn take_item(&mut self) -> T {
        self.item
            .take()
            .expect("put future polled after it finished")
    }
}

impl<T, O: Order<T>> Future for PutFuture<'_, T, O> {
    type Output = Result<(), Closed<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let core = this.core;
        loop {
            let go = match this
                .turn
                .poll(cx, |reserved| core.closed.get() || core.has_room(reserved))
            {
                Poll::Ready(go) => go,
                Poll::Pending => return Poll::Pending,
            };
            if core.closed.get() {
                return Poll::Ready(Err(Closed(this.take_item())));
            }
            let room = match go {
                Go::Fresh => true,
                Go::Woken => core.has_room(0),
            };
            if room {
                core.push(this.take_item());
                return Poll::Ready(Ok(()));
            }
        }
    }
}

/// Future of `get`: waits for an item.
struct GetFuture<'a, T, O: Order<T>> {
    core: &'a Core<T, O>,
    turn: Turn<'a>,
}

impl<T, O: Order<T>> Unpin for GetFuture<'_, T, O> {}

impl<T, O: Order<T>> Future for GetFuture<'_, T, O> {
    type Output = Result<T, Closed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let core = this.core;
        loop {
            let go = match this
                .turn
                .poll(cx, |reserved| core.closed.get() || core.len() > reserved)
            {
                Poll::Ready(go) => go,
                Poll::Pending => return Poll::Pending,
            };
            let item = match go {
                // A newcomer takes only an item nobody woken is owed.
                Go::Fresh if core.len() > core.getters.reserved() => core.pop(),
                Go::Fresh => None,
                Go::Woken => core.pop(),
            };
            if let Some(item) = item {
                return Poll::Ready(Ok(item));
            }
            if core.closed.get() {
                return Poll::Ready(Err(Closed(())));
            }
        }
    }
}

/// A queue between green tasks (gevent's `Queue`), unbounded
/// ([`new`](Self::new)) or bounded ([`bounded`](Self::bounded)), giving its
/// items in the order `O`: first in, first out by default; [`LifoQueue`]
/// and [`PriorityQueue`] are this type in the [`Lifo`] and [`Priority`]
/// orders. A cloneable handle: clones share the queue.
///
/// ```
/// use green::Queue;
///
/// #[green::main]
/// fn main() {
///     let queue = Queue::bounded(2);
///     let consumer = {
///         let queue = queue.clone();
///         green::spawn(move || async move {
///             let mut seen = Vec::new();
///             while let Ok(item) = queue.get().await {
///                 seen.push(item);
///             }
///             seen
///         })
///     };
///     for i in 0..5 {
///         queue.put(i).unwrap();
///     }
///     queue.close();
///     assert_eq!(consumer.join(), Ok(vec![0, 1, 2, 3, 4]));
/// }
/// ```
pub struct Queue<T, O: Order<T> = Fifo> {
    core: Rc<Core<T, O>>,
}

impl<T, O: Order<T>> Clone for Queue<T, O> {
    fn clone(&self) -> Self {
        Self {
            core: self.core.clone(),
        }
    }
}

impl<T, O: Order<T>> fmt::Debug for Queue<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(O::NAME)
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Queue<T> {
    /// A new unbounded first-in first-out queue.
    ///
    /// ```
    /// let queue = green::Queue::new();
    /// queue.try_put(1).unwrap();
    /// assert_eq!(queue.len(), 1);
    /// ```
    pub fn new() -> Self {
        Self::with_capacity(usize::MAX)
    }

    /// A first-in first-out queue that holds at most `capacity` items: `put`
    /// blocks while it is full.
    ///
    /// ```
    /// let queue = green::Queue::bounded(1);
    /// queue.try_put(1).unwrap();
    /// assert!(queue.is_full());
    /// assert!(queue.try_put(2).is_err());
    /// ```
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is zero; a queue where `put` waits for a getter
    /// is a [`Channel`].
    #[track_caller]
    pub fn bounded(capacity: usize) -> Self {
        Self::checked_bounded(capacity)
    }
}

impl<T, O: Order<T>> Queue<T, O> {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            core: Rc::new(Core::new(capacity)),
        }
    }

    #[track_caller]
    fn checked_bounded(capacity: usize) -> Self {
        assert!(
            capacity > 0,
            "{}::bounded(0): a zero-capacity queue is a green::Channel",
            O::NAME
        );
        Self::with_capacity(capacity)
    }

    /// Puts `item`, blocking while the queue is full. Putters waiting for
    /// room are served in arrival order. On a closed queue gives the item
    /// back in [`Closed`].
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::bounded(1);
    ///     queue.put(1).unwrap();
    ///     let getter = queue.clone();
    ///     green::spawn(move || async move { getter.get().await });
    ///     queue.put(2).unwrap(); // waits until the getter made room
    ///     assert_eq!(queue.len(), 1);
    /// }
    /// ```
    #[track_caller]
    pub fn put(&self, item: T) -> Green<impl Future<Output = Result<(), Closed<T>>> + '_> {
        crate::parked::green_wait(
            crate::parked::WaitKind::QueuePut,
            self.core.put_future(item),
        )
    }

    /// Puts `item` if there is room now (gevent's `put_nowait`); else gives
    /// it back in [`PutError::Full`], or [`PutError::Closed`] on a closed
    /// queue.
    ///
    /// ```
    /// use green::PutError;
    ///
    /// let queue = green::Queue::bounded(1);
    /// assert_eq!(queue.try_put(1), Ok(()));
    /// assert_eq!(queue.try_put(2), Err(PutError::Full(2)));
    /// ```
    pub fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        self.core.try_put(item)
    }

    /// Puts `item`, blocking at most `timeout` for room; gives it back in
    /// [`PutError::Full`] if there was none in time, or
    /// [`PutError::Closed`] if the queue is (or gets) closed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::PutError;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::bounded(1);
    ///     queue.put(1).unwrap();
    ///     assert_eq!(queue.put_timeout(2, Duration::from_millis(5)), Err(PutError::Full(2)));
    /// }
    /// ```
    #[track_caller]
    pub fn put_timeout(
        &self,
        item: T,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<(), PutError<T>>> + '_> {
        crate::parked::green_wait_timed(
            crate::parked::WaitKind::QueuePutTimeout,
            self.core.put_timeout(item, timeout),
        )
    }

    /// Takes the next item in the queue's order, blocking while the queue is
    /// empty. Getters are served in arrival order; a getter that is
    /// cancelled (timeout, kill) leaves its turn to the next one. On a
    /// closed queue the items left are still given, then [`Closed`].
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     let putter = queue.clone();
    ///     green::spawn(move || async move { putter.put(5).await });
    ///     assert_eq!(queue.get(), Ok(5));
    /// }
    /// ```
    #[track_caller]
    pub fn get(&self) -> Green<impl Future<Output = Result<T, Closed>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::QueueGet, self.core.get_future())
    }

    /// Takes the next item if one is there now (gevent's `get_nowait`);
    /// else [`GetError::Empty`], or [`GetError::Closed`] once the queue is
    /// closed and drained.
    ///
    /// ```
    /// use green::GetError;
    ///
    /// let queue = green::Queue::new();
    /// assert_eq!(queue.try_get(), Err(GetError::Empty));
    /// queue.try_put(1).unwrap();
    /// assert_eq!(queue.try_get(), Ok(1));
    /// ```
    pub fn try_get(&self) -> Result<T, GetError> {
        self.core.try_get()
    }

    /// Takes the next item, blocking at most `timeout`; [`GetError::Empty`]
    /// if none came in time, [`GetError::Closed`] once the queue is closed
    /// and drained.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::GetError;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let queue: green::Queue<u8> = green::Queue::new();
    ///     assert_eq!(queue.get_timeout(Duration::from_millis(5)), Err(GetError::Empty));
    /// }
    /// ```
    #[track_caller]
    pub fn get_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<T, GetError>> + '_> {
        crate::parked::green_wait_timed(
            crate::parked::WaitKind::QueueGetTimeout,
            self.core.get_timeout(timeout),
        )
    }

    /// Gives a copy of the next item without taking it, blocking while the
    /// queue is empty ([`Closed`] once closed and drained).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     queue.put(1).unwrap();
    ///     assert_eq!(queue.peek(), Ok(1));
    ///     assert_eq!(queue.len(), 1);
    /// }
    /// ```
    #[track_caller]
    pub fn peek(&self) -> Green<impl Future<Output = Result<T, Closed>> + '_>
    where
        T: Clone,
    {
        crate::parked::green_wait(crate::parked::WaitKind::QueuePeek, self.core.peek())
    }

    /// A copy of the next item if there is one, without taking it.
    ///
    /// ```
    /// let queue = green::Queue::new();
    /// assert_eq!(queue.try_peek(), None);
    /// queue.try_put(1).unwrap();
    /// assert_eq!(queue.try_peek(), Some(1));
    /// ```
    pub fn try_peek(&self) -> Option<T>
    where
        T: Clone,
    {
        O::peek(&self.core.buffer.borrow()).cloned()
    }

    /// Number of items in the queue.
    ///
    /// ```
    /// let queue = green::Queue::new();
    /// queue.try_put('a').unwrap();
    /// assert_eq!(queue.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.core.len()
    }

    /// True if the queue holds no item.
    ///
    /// ```
    /// let queue: green::Queue<u8> = green::Queue::new();
    /// assert!(queue.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.core.len() == 0
    }

    /// True if a bounded queue holds as many items as it can (never for an
    /// unbounded one).
    ///
    /// ```
    /// let queue = green::Queue::bounded(1);
    /// assert!(!queue.is_full());
    /// queue.try_put(1).unwrap();
    /// assert!(queue.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.core.len() >= self.core.capacity
    }

    /// The most items the queue holds; `None` if unbounded.
    ///
    /// ```
    /// let queue: green::Queue<u8> = green::Queue::bounded(3);
    /// assert_eq!(queue.capacity(), Some(3));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        (self.core.capacity != usize::MAX).then_some(self.core.capacity)
    }

    /// Marks one item taken earlier as processed (see [`join`](Self::join)).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     queue.put(1).unwrap();
    ///     queue.get().unwrap();
    ///     queue.task_done();
    ///     queue.join(); // returns at once: every item is done
    /// }
    /// ```
    pub fn task_done(&self) {
        self.core.task_done();
    }

    /// Blocks until every item ever put has been marked with
    /// [`task_done`](Self::task_done).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     let worker = queue.clone();
    ///     green::spawn(move || async move {
    ///         while let Ok(_item) = worker.get().await {
    ///             worker.task_done();
    ///         }
    ///     });
    ///     for i in 0..3 {
    ///         queue.put(i).unwrap();
    ///     }
    ///     queue.join();
    ///     assert!(queue.is_empty());
    /// }
    /// ```
    #[track_caller]
    pub fn join(&self) -> Green<impl Future<Output = ()> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::QueueJoin, self.core.join())
    }

    /// Closes the queue: puts fail with [`Closed`], gets drain the items
    /// left and then fail, iteration ends, and every waiting task wakes.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     queue.put(1).unwrap();
    ///     queue.close();
    ///     assert!(queue.is_closed());
    ///     assert_eq!(queue.get(), Ok(1));
    ///     assert!(queue.get().is_err());
    /// }
    /// ```
    pub fn close(&self) {
        self.core.close();
    }

    /// True once [`close`](Self::close) was called.
    ///
    /// ```
    /// let queue: green::Queue<u8> = green::Queue::new();
    /// queue.close();
    /// assert!(queue.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.core.closed.get()
    }

    /// The next item, as [`get`](Self::get) gives it, or `None` once the
    /// queue is closed and drained. This makes the queue itself a green
    /// iterator: `for item in &queue { .. }` in a green body.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     queue.put(1).unwrap();
    ///     queue.put(2).unwrap();
    ///     queue.close();
    ///     let mut total = 0;
    ///     for item in &queue {
    ///         total += item;
    ///     }
    ///     assert_eq!(total, 3);
    ///     assert_eq!(queue.next(), None);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&self) -> Green<impl Future<Output = Option<T>> + '_> {
        let get = self.core.get_future();
        crate::parked::green_wait(
            crate::parked::WaitKind::QueueNext,
            async move { get.await.ok() },
        )
    }

    /// A green iterator over the items: each step is a `get`, and it ends
    /// when the queue is closed and drained. Use it in a `for` loop of a
    /// green body, or call its `next` yourself.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     queue.put(1).unwrap();
    ///     queue.put(2).unwrap();
    ///     queue.close();
    ///     let mut total = 0;
    ///     let mut items = queue.iter();
    ///     while let Some(item) = items.next() {
    ///         total += item;
    ///     }
    ///     assert_eq!(total, 3);
    /// }
    /// ```
    pub fn iter(&self) -> QueueIter<T, O> {
        QueueIter {
            queue: self.clone(),
        }
    }
}

/// A green iterator over a [`Queue`] (of any order), from [`Queue::iter`].
///
/// ```
/// #[green::main]
/// fn main() {
///     let queue = green::Queue::new();
///     queue.put("only").unwrap();
///     queue.close();
///     let mut items = queue.iter();
///     assert_eq!(items.next(), Some("only"));
///     assert_eq!(items.next(), None);
/// }
/// ```
pub struct QueueIter<T, O: Order<T> = Fifo> {
    queue: Queue<T, O>,
}

/// A green iterator over a [`LifoQueue`]: newest item first.
///
/// ```
/// #[green::main]
/// fn main() {
///     let stack = green::LifoQueue::new();
///     stack.put(1).unwrap();
///     stack.put(2).unwrap();
///     stack.close();
///     let mut items: green::LifoQueueIter<u8> = stack.iter();
///     assert_eq!(items.next(), Some(2));
/// }
/// ```
pub type LifoQueueIter<T> = QueueIter<T, Lifo>;

/// A green iterator over a [`PriorityQueue`]: lowest item first.
///
/// ```
/// #[green::main]
/// fn main() {
///     let queue = green::PriorityQueue::new();
///     queue.put(2).unwrap();
///     queue.put(1).unwrap();
///     queue.close();
///     let mut items: green::PriorityQueueIter<u8> = queue.iter();
///     assert_eq!(items.next(), Some(1));
/// }
/// ```
pub type PriorityQueueIter<T> = QueueIter<T, Priority>;

impl<T, O: Order<T>> QueueIter<T, O> {
    /// The next item; `None` once the queue is closed and drained.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let queue = green::Queue::new();
    ///     queue.put(1).unwrap();
    ///     queue.close();
    ///     let mut items = queue.iter();
    ///     assert_eq!(items.next(), Some(1));
    ///     assert_eq!(items.next(), None);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        self.queue.next()
    }
}

impl<T, O: Order<T>> GreenIterator for QueueIter<T, O> {
    type Item = T;

    #[track_caller]
    fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        QueueIter::next(self)
    }
}

impl<T, O: Order<T>> fmt::Debug for QueueIter<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueIter")
            .field("queue", &self.queue)
            .finish()
    }
}

/// Gives a queue in another order its own `new` and `bounded`; every other
/// method is the [`Queue`]'s, reached through `Deref`.
macro_rules! ordered_queue {
    ($(#[$doc:meta])* $name:ident<T $(: $bound:path)?>, $order:ident, $what:literal) => {
        $(#[$doc])*
        pub struct $name<T $(: $bound)?>(Queue<T, $order>);

        impl<T $(: $bound)?> $name<T> {
            #[doc = concat!("A new unbounded ", $what, " queue.")]
            ///
            /// ```
            #[doc = concat!("let queue = green::", stringify!($name), "::new();")]
            /// queue.try_put(1).unwrap();
            /// assert_eq!(queue.len(), 1);
            /// ```
            pub fn new() -> Self {
                $name(Queue::with_capacity(usize::MAX))
            }

            #[doc = concat!("A ", $what, " queue that holds at most `capacity` items.")]
            ///
            /// ```
            #[doc = concat!("let queue = green::", stringify!($name), "::bounded(1);")]
            /// queue.try_put(1).unwrap();
            /// assert!(queue.is_full());
            /// ```
            ///
            /// # Panics
            ///
            /// Panics if `capacity` is zero; a queue where `put` waits for a
            /// getter is a [`Channel`].
            #[track_caller]
            pub fn bounded(capacity: usize) -> Self {
                $name(Queue::checked_bounded(capacity))
            }
        }

        impl<T $(: $bound)?> Deref for $name<T> {
            type Target = Queue<T, $order>;

            fn deref(&self) -> &Queue<T, $order> {
                &self.0
            }
        }

        impl<T $(: $bound)?> Clone for $name<T> {
            fn clone(&self) -> Self {
                $name(self.0.clone())
            }
        }

        impl<T $(: $bound)?> Default for $name<T> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<T $(: $bound)?> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

ordered_queue! {
    /// A last-in first-out queue (a stack) between green tasks (gevent's
    /// `LifoQueue`): a [`Queue`] in the [`Lifo`] order, with every method of
    /// `Queue`. A cloneable handle.
    ///
    /// ```
    /// let stack = green::LifoQueue::new();
    /// stack.try_put(1).unwrap();
    /// stack.try_put(2).unwrap();
    /// assert_eq!(stack.try_get(), Ok(2));
    /// ```
    LifoQueue<T>, Lifo, "last-in first-out"
}

ordered_queue! {
    /// A queue that gives its lowest item first (gevent's `PriorityQueue`,
    /// Python's `heapq` order; wrap items in [`Reverse`](core::cmp::Reverse)
    /// for the highest first): a [`Queue`] in the [`Priority`] order, with
    /// every method of `Queue`. Equal items come out in no set order. A
    /// cloneable handle.
    ///
    /// ```
    /// let queue = green::PriorityQueue::new();
    /// queue.try_put((2, "later")).unwrap();
    /// queue.try_put((1, "first")).unwrap();
    /// assert_eq!(queue.try_get(), Ok((1, "first")));
    /// ```
    PriorityQueue<T: Ord>, Priority, "lowest-first"
}

/// A rendezvous channel (gevent's `Channel`): `put` returns only once a
/// getter has taken the item, so the channel never holds items. A cloneable
/// handle: clones share the channel.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
///
/// #[green::main]
/// fn main() {
///     let channel = green::Channel::new();
///     let log = Rc::new(RefCell::new(Vec::new()));
///     let getter = {
///         let (channel, log) = (channel.clone(), log.clone());
///         green::spawn(move || async move {
///             let item = channel.get().await.unwrap();
///             log.borrow_mut().push(item);
///         })
///     };
///     log.borrow_mut().push("sending");
///     channel.put("hello").unwrap();
///     log.borrow_mut().push("sent");
///     assert_eq!(*log.borrow(), ["sending", "hello", "sent"]);
///     getter.join().unwrap();
/// }
/// ```
pub struct Channel<T> {
    inner: Rc<ChannelInner<T>>,
}

struct ChannelInner<T> {
    /// Items offered by putters, oldest first, not yet taken.
    offers: RefCell<VecDeque<Rc<Offer<T>>>>,
    getters: Line,
    closed: Cell<bool>,
}

struct Offer<T> {
    item: RefCell<Option<T>>,
    putter: RefCell<Option<core::task::Waker>>,
}

impl<T> ChannelInner<T> {
    fn take_offer(&self) -> Option<T> {
        let offer = self.offers.borrow_mut().pop_front()?;
        let item = offer.item.borrow_mut().take();
        if let Some(waker) = offer.putter.borrow_mut().take() {
            waker.wake();
        }
        item
    }

    fn withdraw(&self, offer: &Rc<Offer<T>>) -> Option<T> {
        let item = offer.item.borrow_mut().take()?;
        self.offers.borrow_mut().retain(|o| !Rc::ptr_eq(o, offer));
        Some(item)
    }

    fn offer(&self, item: T, putter: Option<core::task::Waker>) -> Rc<Offer<T>> {
        let offer = Rc::new(Offer {
            item: RefCell::new(Some(item)),
            putter: RefCell::new(putter),
        });
        self.offers.borrow_mut().push_back(offer.clone());
        self.getters.wake_one();
        offer
    }
}

/// Future of [`Channel::put`]: offers the item, waits until it is taken;
/// withdraws it if cancelled.
struct ChannelPut<'a, T> {
    inner: &'a ChannelInner<T>,
    item: Option<T>,
    offer: Option<Rc<Offer<T>>>,
}

impl<T> Unpin for ChannelPut<'_, T> {}

impl<T> ChannelPut<'_, T> {
    /// Takes the item back if no getter took it yet.
    fn withdraw(&mut self) -> Option<T> {
        match self.offer.take() {
            Some(offer) => self.inner.withdraw(&offer),
            None => self.item.take(),
        }
    }
}

impl<T> Future for ChannelPut<'_, T> {
    type Output = Result<(), Closed<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let inner = this.inner;
        match &this.offer {
            None => {
                let item = this
                    .item
                    .take()
                    .expect("channel put polled after it finished");
                if inner.closed.get() {
                    return Poll::Ready(Err(Closed(item)));
                }
                this.offer = Some(inner.offer(item, Some(cx.waker().clone())));
                Poll::Pending
            }
            Some(offer) => {
                if offer.item.borrow().is_none() {
                    this.offer = None;
                    return Poll::Ready(Ok(()));
                }
                if inner.closed.get() {
                    let item = this.withdraw().expect("an untaken offer has its item");
                    return Poll::Ready(Err(Closed(item)));
                }
                *offer.putter.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T> Drop for ChannelPut<'_, T> {
    fn drop(&mut self) {
        if let Some(offer) = self.offer.take() {
            self.inner.withdraw(&offer);
        }
    }
}

/// Future of [`Channel::get`].
struct ChannelGet<'a, T> {
    inner: &'a ChannelInner<T>,
    turn: Turn<'a>,
}

impl<T> Unpin for ChannelGet<'_, T> {}

impl<T> Future for ChannelGet<'_, T> {
    type Output = Result<T, Closed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let inner = this.inner;
        loop {
            let offered = || inner.offers.borrow().len();
            let go = match this
                .turn
                .poll(cx, |reserved| inner.closed.get() || offered() > reserved)
            {
                Poll::Ready(go) => go,
                Poll::Pending => return Poll::Pending,
            };
            let item = match go {
                Go::Fresh if offered() > inner.getters.reserved() => inner.take_offer(),
                Go::Fresh => None,
                Go::Woken => inner.take_offer(),
            };
            if let Some(item) = item {
                return Poll::Ready(Ok(item));
            }
            if inner.closed.get() {
                return Poll::Ready(Err(Closed(())));
            }
        }
    }
}

impl<T> Clone for Channel<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<T> Default for Channel<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Channel<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("putters", &self.inner.offers.borrow().len())
            .field("getters", &self.inner.getters.waiting())
            .field("closed", &self.inner.closed.get())
            .finish()
    }
}

impl<T> Channel<T> {
    /// A new channel.
    ///
    /// ```
    /// let channel: green::Channel<u8> = green::Channel::new();
    /// assert_eq!(channel.try_get(), Err(green::GetError::Empty));
    /// ```
    pub fn new() -> Self {
        Self {
            inner: Rc::new(ChannelInner {
                offers: RefCell::new(VecDeque::new()),
                getters: Line::default(),
                closed: Cell::new(false),
            }),
        }
    }

    fn put_future(&self, item: T) -> ChannelPut<'_, T> {
        ChannelPut {
            inner: &self.inner,
            item: Some(item),
            offer: None,
        }
    }

    fn get_future(&self) -> ChannelGet<'_, T> {
        ChannelGet {
            inner: &self.inner,
            turn: self.inner.getters.turn(),
        }
    }

    /// Hands `item` to a getter, blocking until one has taken it. Putters are
    /// served in arrival order. If the put is cancelled before a getter took
    /// the item, the item is withdrawn (no getter sees it). On a closed
    /// channel gives the item back in [`Closed`].
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel = green::Channel::new();
    ///     let getter = channel.clone();
    ///     let task = green::spawn(move || async move { getter.get().await });
    ///     channel.put(7).unwrap();
    ///     assert_eq!(task.join(), Ok(Ok(7)));
    /// }
    /// ```
    #[track_caller]
    pub fn put(&self, item: T) -> Green<impl Future<Output = Result<(), Closed<T>>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::ChannelPut, self.put_future(item))
    }

    /// Hands `item` to a getter that is waiting now; else gives it back in
    /// [`PutError::Full`], or [`PutError::Closed`] on a closed channel.
    ///
    /// ```
    /// let channel = green::Channel::new();
    /// assert_eq!(channel.try_put(1), Err(green::PutError::Full(1)));
    /// ```
    pub fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        let inner = &self.inner;
        if inner.closed.get() {
            return Err(PutError::Closed(item));
        }
        if inner.getters.waiting() == 0 {
            return Err(PutError::Full(item));
        }
        inner.offer(item, None);
        Ok(())
    }

    /// Hands `item` to a getter, blocking at most `timeout`; gives it back
    /// in [`PutError::Full`] if no getter took it in time, or
    /// [`PutError::Closed`] if the channel is (or gets) closed.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let channel = green::Channel::new();
    ///     let waited = channel.put_timeout(1, Duration::from_millis(5));
    ///     assert_eq!(waited, Err(green::PutError::Full(1)));
    /// }
    /// ```
    #[track_caller]
    pub fn put_timeout(
        &self,
        item: T,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<(), PutError<T>>> + '_> {
        crate::parked::green_wait_timed(crate::parked::WaitKind::ChannelPutTimeout, async move {
            let mut put = self.put_future(item);
            match poll_until_elapsed(timeout, &mut put).await {
                Ok(put) => Ok(put?),
                // Taken by a getter while the time ran out: it was put.
                Err(_elapsed) => put
                    .withdraw()
                    .map_or(Ok(()), |item| Err(PutError::Full(item))),
            }
        })
    }

    /// Takes an item from a putter, blocking until one comes. Getters are
    /// served in arrival order; [`Closed`] once the channel is closed.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel = green::Channel::new();
    ///     let putter = channel.clone();
    ///     green::spawn(move || async move { putter.put("hi").await });
    ///     assert_eq!(channel.get(), Ok("hi"));
    /// }
    /// ```
    #[track_caller]
    pub fn get(&self) -> Green<impl Future<Output = Result<T, Closed>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::ChannelGet, self.get_future())
    }

    /// Takes an item from a putter that is waiting now; else
    /// [`GetError::Empty`], or [`GetError::Closed`] on a closed channel.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel = green::Channel::new();
    ///     let putter = channel.clone();
    ///     green::spawn(move || async move { putter.put(1).await });
    ///     green::idle(); // the putter offers its item
    ///     assert_eq!(channel.try_get(), Ok(1));
    /// }
    /// ```
    pub fn try_get(&self) -> Result<T, GetError> {
        let inner = &self.inner;
        if inner.offers.borrow().len() > inner.getters.reserved() {
            if let Some(item) = inner.take_offer() {
                return Ok(item);
            }
        }
        if inner.closed.get() {
            Err(GetError::Closed)
        } else {
            Err(GetError::Empty)
        }
    }

    /// Takes an item, blocking at most `timeout`; [`GetError::Empty`] if
    /// none came in time, [`GetError::Closed`] once the channel is closed.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let channel: green::Channel<u8> = green::Channel::new();
    ///     let waited = channel.get_timeout(Duration::from_millis(5));
    ///     assert_eq!(waited, Err(green::GetError::Empty));
    /// }
    /// ```
    #[track_caller]
    pub fn get_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<T, GetError>> + '_> {
        crate::parked::green_wait_timed(crate::parked::WaitKind::ChannelGetTimeout, async move {
            let mut get = self.get_future();
            match poll_until_elapsed(timeout, &mut get).await {
                Ok(got) => Ok(got?),
                Err(_elapsed) => Err(GetError::Empty),
            }
        })
    }

    /// Closes the channel: waiting and later putters get their item back in
    /// [`Closed`], getters get [`Closed`], iteration ends.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel: green::Channel<u8> = green::Channel::new();
    ///     channel.close();
    ///     assert!(channel.is_closed());
    ///     assert_eq!(channel.get(), Err(green::Closed(())));
    /// }
    /// ```
    pub fn close(&self) {
        let inner = &self.inner;
        if !inner.closed.replace(true) {
            inner.getters.wake_all();
            let offers: Vec<_> = inner.offers.borrow().iter().cloned().collect();
            for offer in offers {
                if let Some(waker) = offer.putter.borrow_mut().take() {
                    waker.wake();
                }
            }
        }
    }

    /// True once [`close`](Self::close) was called.
    ///
    /// ```
    /// let channel: green::Channel<u8> = green::Channel::new();
    /// assert!(!channel.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.closed.get()
    }

    /// The next item, as [`get`](Self::get) gives it, or `None` once the
    /// channel is closed: `for item in &channel { .. }` in a green body.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel = green::Channel::new();
    ///     let putter = channel.clone();
    ///     green::spawn(move || async move {
    ///         putter.put("a").await.unwrap();
    ///         putter.close();
    ///     });
    ///     let mut seen = Vec::new();
    ///     for item in &channel {
    ///         seen.push(item);
    ///     }
    ///     assert_eq!(seen, ["a"]);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&self) -> Green<impl Future<Output = Option<T>> + '_> {
        let get = self.get_future();
        crate::parked::green_wait(crate::parked::WaitKind::ChannelNext, async move {
            get.await.ok()
        })
    }

    /// A green iterator over the items; it ends when the channel is closed.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel = green::Channel::new();
    ///     let putter = channel.clone();
    ///     green::spawn(move || async move {
    ///         for i in 0..3 {
    ///             putter.put(i).await.unwrap();
    ///         }
    ///         putter.close();
    ///     });
    ///     let mut items = channel.iter();
    ///     let mut seen = Vec::new();
    ///     while let Some(item) = items.next() {
    ///         seen.push(item);
    ///     }
    ///     assert_eq!(seen, [0, 1, 2]);
    /// }
    /// ```
    pub fn iter(&self) -> ChannelIter<T> {
        ChannelIter {
            channel: self.clone(),
        }
    }
}

/// A green iterator over a [`Channel`], from [`Channel::iter`].
///
/// ```
/// #[green::main]
/// fn main() {
///     let channel: green::Channel<u8> = green::Channel::new();
///     channel.close();
///     assert_eq!(channel.iter().next(), None);
/// }
/// ```
pub struct ChannelIter<T> {
    channel: Channel<T>,
}

impl<T> ChannelIter<T> {
    /// The next item; `None` once the channel is closed.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let channel: green::Channel<u8> = green::Channel::new();
    ///     channel.close();
    ///     let mut items = channel.iter();
    ///     assert_eq!(items.next(), None);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        let get = self.channel.get_future();
        crate::parked::green_wait(crate::parked::WaitKind::ChannelIterNext, async move {
            get.await.ok()
        })
    }
}

impl<T> GreenIterator for ChannelIter<T> {
    type Item = T;

    #[track_caller]
    fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        ChannelIter::next(self)
    }
}

impl<T> fmt::Debug for ChannelIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelIter")
            .field("channel", &self.channel)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{idle, run, spawn};

    fn drain<O: Order<u32>>(queue: &Queue<u32, O>) -> Vec<u32> {
        std::iter::from_fn(|| queue.try_get().ok()).collect()
    }

    #[test]
    fn each_order_gives_its_items_in_its_order() {
        let fifo = Queue::new();
        let lifo = LifoQueue::new();
        let lowest = PriorityQueue::new();
        for item in [3, 1, 2] {
            fifo.try_put(item).unwrap();
            lifo.try_put(item).unwrap();
            lowest.try_put(item).unwrap();
        }
        assert_eq!(fifo.try_peek(), Some(3));
        assert_eq!(lifo.try_peek(), Some(2));
        assert_eq!(lowest.try_peek(), Some(1));
        assert_eq!(drain(&fifo), [3, 1, 2]);
        assert_eq!(drain(&lifo), [2, 1, 3]);
        assert_eq!(drain(&lowest), [1, 2, 3]);
    }

    #[test]
    fn debug_and_panics_name_the_public_type() {
        let lifo: LifoQueue<u8> = LifoQueue::bounded(2);
        assert_eq!(
            format!("{lifo:?}"),
            "LifoQueue { len: 0, capacity: Some(2), closed: false }"
        );
        let zero = std::panic::catch_unwind(|| PriorityQueue::<u8>::bounded(0));
        let message = *zero.unwrap_err().downcast::<String>().unwrap();
        assert!(
            message.starts_with("PriorityQueue::bounded(0)"),
            "{message}"
        );
    }

    #[test]
    fn a_bounded_put_waits_for_a_get_and_keeps_its_turn() {
        run(async {
            let queue = Queue::bounded(1);
            queue.try_put(0).unwrap();
            let putters: Vec<_> = (1..=2)
                .map(|item| {
                    let queue = queue.clone();
                    spawn(move || async move { queue.put(item).await })
                })
                .collect();
            idle().await;
            assert_eq!(queue.len(), 1, "a put went past the capacity");
            // A newcomer does not take the place owed to the first putter.
            assert_eq!(queue.try_get(), Ok(0));
            assert_eq!(queue.try_put(9), Err(PutError::Full(9)));
            idle().await;
            assert_eq!(queue.try_get(), Ok(1));
            idle().await;
            assert_eq!(queue.try_get(), Ok(2));
            for putter in putters {
                assert_eq!(putter.join().await, Ok(Ok(())));
            }
        });
    }

    #[test]
    fn a_put_timed_out_gives_its_item_back_and_its_place_up() {
        run(async {
            let queue = Queue::bounded(1);
            queue.try_put("kept").unwrap();
            let waited = queue.put_timeout("late", Duration::ZERO).await;
            assert_eq!(waited, Err(PutError::Full("late")));
            assert_eq!(queue.try_get(), Ok("kept"));
            assert_eq!(queue.try_put("next"), Ok(()));
        });
    }

    #[test]
    fn close_drains_what_is_left_then_reports_closed() {
        run(async {
            let queue = Queue::new();
            queue.try_put(1).unwrap();
            queue.try_put(2).unwrap();
            let waiting = Queue::<u8>::new();
            let getter = {
                let waiting = waiting.clone();
                spawn(move || async move { waiting.get().await })
            };
            idle().await;
            queue.close();
            waiting.close();
            assert_eq!(queue.try_put(3), Err(PutError::Closed(3)));
            assert_eq!(queue.put(3).await, Err(Closed(3)));
            assert_eq!(queue.get().await, Ok(1));
            assert_eq!(queue.try_get(), Ok(2));
            assert_eq!(queue.try_get(), Err(GetError::Closed));
            assert_eq!(
                queue.get_timeout(Duration::MAX).await,
                Err(GetError::Closed)
            );
            assert_eq!(queue.peek().await, Err(Closed(())));
            assert_eq!(getter.join().await, Ok(Err(Closed(()))));
        });
    }

    #[test]
    fn errors_give_the_item_back_and_print_without_it() {
        struct NoDebug;
        let full: PutError<NoDebug> = PutError::Full(NoDebug);
        assert_eq!(format!("{full:?}: {full}"), "Full(..): queue is full");
        let closed = PutError::from(Closed(NoDebug));
        assert_eq!(
            format!("{closed:?}: {closed}"),
            "Closed(..): queue is closed"
        );
        assert!(closed.is_closed());
        let NoDebug = closed.into_inner();
        assert_eq!(GetError::from(Closed(())), GetError::Closed);
        assert_eq!(GetError::Empty.to_string(), "queue is empty");
    }
}
