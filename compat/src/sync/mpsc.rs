//! Green version of [`std::sync::mpsc`]: multi-producer, single-consumer
//! channels whose receiving (and bounded sending) is green.
//!
//! The same names and signatures as `std::sync::mpsc`, and std's error types
//! re-exported ([`SendError`] gives the value back, as in std). What differs:
//! - [`Receiver::recv`], [`Receiver::recv_timeout`] and [`SyncSender::send`]
//!   are green; [`Sender::send`] never blocks, as in std;
//! - [`Receiver`] is a *green iterator*, not a std [`IntoIterator`]: in a
//!   `#[green]` body `for msg in rx { .. }` and `for msg in rx.iter()` work
//!   (the loop is rewritten to call the green `next`); [`Receiver::try_iter`]
//!   is a plain std iterator;
//! - [`Sender`] and [`SyncSender`] are `Send`: a plain OS thread can feed green
//!   code ([`Sender::send`] and [`SyncSender::try_send`] need no hub;
//!   a bounded green `send` needs one).
//!
//! ```
//! use std::time::Duration;
//! use green::compat::sync::mpsc;
//!
//! #[green::main]
//! fn main() {
//!     let (tx, rx) = mpsc::channel();
//!     green::spawn(move || async move {
//!         for i in 0..3 {
//!             green::sleep(Duration::from_millis(1)).await;
//!             tx.send(i).unwrap();
//!         }
//!     });
//!     let mut got = Vec::new();
//!     for msg in rx {
//!         got.push(msg);
//!     }
//!     assert_eq!(got, [0, 1, 2]);
//! }
//! ```

use core::cell::Cell;
use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::time::Duration;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError};

use green_runtime::{Green, GreenIterator};
use tokio::sync::{mpsc, oneshot};

pub use std::sync::mpsc::{RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError};

/// Green version of [`std::sync::mpsc::channel`]: an unbounded channel.
///
/// ```
/// use green::compat::sync::mpsc;
///
/// #[green::main]
/// fn main() {
///     let (tx, rx) = mpsc::channel();
///     tx.send("hello").unwrap();
///     assert_eq!(rx.recv(), Ok("hello"));
/// }
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (Sender { inner: tx }, Receiver::new(Flavor::Unbounded(rx)))
}

/// Green version of [`std::sync::mpsc::sync_channel`]: a channel holding at
/// most `bound` messages; [`SyncSender::send`] waits (green) for room.
/// `sync_channel(0)` is a rendezvous, as in std: `send` returns once the
/// receiver took the message.
///
/// ```
/// use green::compat::sync::mpsc::{self, TrySendError};
///
/// #[green::main]
/// fn main() {
///     let (tx, rx) = mpsc::sync_channel(1);
///     tx.send(1).unwrap();
///     assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
///     assert_eq!(rx.recv(), Ok(1));
/// }
/// ```
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    if bound == 0 {
        let (tx, rx) = mpsc::channel(1);
        let waiting = Arc::new(AtomicUsize::new(0));
        let sender = SyncSender {
            inner: SyncFlavor::Rendezvous(tx, waiting.clone()),
        };
        let mut receiver = Receiver::new(Flavor::Rendezvous(rx));
        receiver.waiting = Some(waiting);
        (sender, receiver)
    } else {
        let (tx, rx) = mpsc::channel(bound);
        (
            SyncSender {
                inner: SyncFlavor::Bounded(tx),
            },
            Receiver::new(Flavor::Bounded(rx)),
        )
    }
}

/// A message of a rendezvous channel: the value stays in `slot` until the
/// receiver takes it, so that a sender whose receiver went away gets it back.
struct Handoff<T> {
    slot: Arc<std::sync::Mutex<Option<T>>>,
    taken: Option<oneshot::Sender<()>>,
}

impl<T> Handoff<T> {
    fn open(mut self) -> Option<T> {
        let value = self
            .slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(taken) = self.taken.take() {
            let _ = taken.send(());
        }
        value
    }
}

/// Green version of [`std::sync::mpsc::Sender`]: the sending half of
/// [`channel`]; `send` never blocks. Cloneable and `Send`.
///
/// ```
/// use green::compat::sync::mpsc;
///
/// let (tx, rx) = mpsc::channel();
/// let thread_tx = tx.clone();
/// std::thread::spawn(move || thread_tx.send("from a plain thread").unwrap());
/// green::run(async move {
///     assert_eq!(rx.recv().await, Ok("from a plain thread"));
/// });
/// # drop(tx);
/// ```
pub struct Sender<T> {
    inner: mpsc::UnboundedSender<T>,
}

impl<T> Sender<T> {
    /// As [`std::sync::mpsc::Sender::send`]: queues `t`, or gives it back in
    /// a [`SendError`] if the receiver is gone. Never blocks.
    ///
    /// ```
    /// use green::compat::sync::mpsc::{self, SendError};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// drop(rx);
    /// assert_eq!(tx.send(5), Err(SendError(5)));
    /// ```
    pub fn send(&self, t: T) -> Result<(), SendError<T>> {
        self.inner.send(t).map_err(|err| SendError(err.0))
    }
}

impl<T> Clone for Sender<T> {
    /// Another sender into the same channel.
    ///
    /// ```
    /// let (tx, _rx) = green::compat::sync::mpsc::channel::<u8>();
    /// let tx2 = tx.clone();
    /// # let _ = tx2;
    /// ```
    fn clone(&self) -> Self {
        Sender {
            inner: self.inner.clone(),
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

enum SyncFlavor<T> {
    Bounded(mpsc::Sender<T>),
    /// The sender, and how many receivers are waiting in `recv` now.
    Rendezvous(mpsc::Sender<Handoff<T>>, Arc<AtomicUsize>),
}

/// Green version of [`std::sync::mpsc::SyncSender`]: the sending half of
/// [`sync_channel`]; `send` is green. Cloneable and `Send`.
///
/// ```
/// use green::compat::sync::mpsc;
///
/// #[green::main]
/// fn main() {
///     let (tx, rx) = mpsc::sync_channel(0);
///     let producer = green::spawn(move || async move { tx.send("handed over").await.unwrap() });
///     assert_eq!(rx.recv(), Ok("handed over"));
///     producer.join().unwrap();
/// }
/// ```
pub struct SyncSender<T> {
    inner: SyncFlavor<T>,
}

impl<T> SyncSender<T> {
    /// Green version of [`std::sync::mpsc::SyncSender::send`]: waits (green)
    /// for room (for a rendezvous channel: until the receiver took `t`);
    /// gives `t` back in a [`SendError`] if the receiver is gone.
    ///
    /// ```
    /// use green::compat::sync::mpsc::{self, SendError};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (tx, rx) = mpsc::sync_channel(2);
    ///     tx.send(1).unwrap();
    ///     assert_eq!(rx.recv(), Ok(1));
    ///     drop(rx);
    ///     assert_eq!(tx.send(2), Err(SendError(2)));
    /// }
    /// ```
    pub fn send(&self, t: T) -> Green<impl Future<Output = Result<(), SendError<T>>>> {
        Green::new(async move {
            match &self.inner {
                SyncFlavor::Bounded(tx) => tx.send(t).await.map_err(|err| SendError(err.0)),
                SyncFlavor::Rendezvous(tx, _) => {
                    let slot = Arc::new(std::sync::Mutex::new(Some(t)));
                    let (taken_tx, taken_rx) = oneshot::channel();
                    let handoff = Handoff {
                        slot: slot.clone(),
                        taken: Some(taken_tx),
                    };
                    let sent = tx.send(handoff).await;
                    let taken = match sent {
                        Ok(()) => taken_rx.await.is_ok(),
                        Err(_) => false,
                    };
                    if taken {
                        return Ok(());
                    }
                    let back = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
                    match back {
                        Some(t) => Err(SendError(t)),
                        None => Ok(()),
                    }
                }
            }
        })
    }

    /// As [`std::sync::mpsc::SyncSender::try_send`]: queues `t` if there is
    /// room now (for a rendezvous channel: if the receiver is waiting in
    /// `recv`), else `TrySendError::Full(t)`; `Disconnected(t)` if the
    /// receiver is gone. Never blocks.
    ///
    /// ```
    /// use green::compat::sync::mpsc::{self, TrySendError};
    ///
    /// let (tx, rx) = mpsc::sync_channel(1);
    /// assert_eq!(tx.try_send('a'), Ok(()));
    /// assert_eq!(tx.try_send('b'), Err(TrySendError::Full('b')));
    /// drop(rx);
    /// assert_eq!(tx.try_send('c'), Err(TrySendError::Disconnected('c')));
    /// ```
    pub fn try_send(&self, t: T) -> Result<(), TrySendError<T>> {
        match &self.inner {
            SyncFlavor::Bounded(tx) => tx.try_send(t).map_err(|err| match err {
                mpsc::error::TrySendError::Full(t) => TrySendError::Full(t),
                mpsc::error::TrySendError::Closed(t) => TrySendError::Disconnected(t),
            }),
            SyncFlavor::Rendezvous(tx, waiting) => {
                if tx.is_closed() {
                    return Err(TrySendError::Disconnected(t));
                }
                if waiting.load(Ordering::Acquire) == 0 {
                    return Err(TrySendError::Full(t));
                }
                let handoff = Handoff {
                    slot: Arc::new(std::sync::Mutex::new(Some(t))),
                    taken: None,
                };
                tx.try_send(handoff).map_err(|err| match err {
                    mpsc::error::TrySendError::Full(h) => TrySendError::Full(h.open_back()),
                    mpsc::error::TrySendError::Closed(h) => {
                        TrySendError::Disconnected(h.open_back())
                    }
                })
            }
        }
    }
}

impl<T> Handoff<T> {
    /// The value of a handoff that never reached the receiver.
    fn open_back(self) -> T {
        self.open()
            .expect("a handoff that was not received still holds its value")
    }
}

impl<T> Clone for SyncSender<T> {
    /// Another sender into the same channel.
    ///
    /// ```
    /// let (tx, _rx) = green::compat::sync::mpsc::sync_channel::<u8>(1);
    /// let tx2 = tx.clone();
    /// # let _ = tx2;
    /// ```
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            SyncFlavor::Bounded(tx) => SyncFlavor::Bounded(tx.clone()),
            SyncFlavor::Rendezvous(tx, waiting) => {
                SyncFlavor::Rendezvous(tx.clone(), waiting.clone())
            }
        };
        SyncSender { inner }
    }
}

impl<T> fmt::Debug for SyncSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncSender").finish_non_exhaustive()
    }
}

enum Flavor<T> {
    Unbounded(mpsc::UnboundedReceiver<T>),
    Bounded(mpsc::Receiver<T>),
    Rendezvous(mpsc::Receiver<Handoff<T>>),
}

impl<T> Flavor<T> {
    async fn recv(&mut self) -> Option<T> {
        match self {
            Flavor::Unbounded(rx) => rx.recv().await,
            Flavor::Bounded(rx) => rx.recv().await,
            Flavor::Rendezvous(rx) => loop {
                // A handoff whose sender gave up (cancelled) is empty: skip it.
                if let Some(value) = rx.recv().await?.open() {
                    return Some(value);
                }
            },
        }
    }

    fn try_recv(&mut self) -> Result<T, TryRecvError> {
        fn map(err: mpsc::error::TryRecvError) -> TryRecvError {
            match err {
                mpsc::error::TryRecvError::Empty => TryRecvError::Empty,
                mpsc::error::TryRecvError::Disconnected => TryRecvError::Disconnected,
            }
        }
        match self {
            Flavor::Unbounded(rx) => rx.try_recv().map_err(map),
            Flavor::Bounded(rx) => rx.try_recv().map_err(map),
            Flavor::Rendezvous(rx) => loop {
                if let Some(value) = rx.try_recv().map_err(map)?.open() {
                    return Ok(value);
                }
            },
        }
    }
}

/// Green version of [`std::sync::mpsc::Receiver`]: the receiving half of a
/// channel. `recv` and `recv_timeout` are green; in a `#[green]` body the
/// receiver itself, `&receiver` and [`iter`](Receiver::iter) can be iterated
/// with `for` (a green iterator). It is `Send`; receiving from several tasks
/// at once is allowed (they take turns).
///
/// ```
/// use green::compat::sync::mpsc;
///
/// #[green::main]
/// fn main() {
///     let (tx, rx) = mpsc::channel();
///     for i in 0..3 {
///         tx.send(i).unwrap();
///     }
///     drop(tx);
///     let mut sum = 0;
///     for n in rx {
///         sum += n;
///     }
///     assert_eq!(sum, 3);
/// }
/// ```
pub struct Receiver<T> {
    inner: tokio::sync::Mutex<Flavor<T>>,
    /// For a rendezvous channel: shared with the senders, counts `recv`s in progress.
    waiting: Option<Arc<AtomicUsize>>,
    /// `Send` but not `Sync`, as std's: one receiver, owned by one thread.
    not_sync: PhantomData<Cell<()>>,
}

/// Decrements the rendezvous waiting count when a `recv` ends or is cancelled.
struct Waiting<'a>(Option<&'a AtomicUsize>);

impl<'a> Waiting<'a> {
    fn enter(count: Option<&'a AtomicUsize>) -> Self {
        if let Some(count) = count {
            count.fetch_add(1, Ordering::AcqRel);
        }
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(count) = self.0 {
            count.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl<T> Receiver<T> {
    fn new(flavor: Flavor<T>) -> Self {
        Receiver {
            inner: tokio::sync::Mutex::new(flavor),
            waiting: None,
            not_sync: PhantomData,
        }
    }

    async fn recv_now(&self) -> Option<T> {
        let mut flavor = self.inner.lock().await;
        let _waiting = Waiting::enter(self.waiting.as_deref());
        flavor.recv().await
    }

    /// Green version of [`std::sync::mpsc::Receiver::recv`]: waits (green)
    /// for a message; [`RecvError`] once every sender is gone and the
    /// channel is empty.
    ///
    /// ```
    /// use green::compat::sync::mpsc::{self, RecvError};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (tx, rx) = mpsc::channel();
    ///     tx.send(1).unwrap();
    ///     drop(tx);
    ///     assert_eq!(rx.recv(), Ok(1));
    ///     assert_eq!(rx.recv(), Err(RecvError));
    /// }
    /// ```
    pub fn recv(&self) -> Green<impl Future<Output = Result<T, RecvError>>> {
        Green::new(async move { self.recv_now().await.ok_or(RecvError) })
    }

    /// As [`std::sync::mpsc::Receiver::try_recv`]: a message if one is
    /// there now. Never blocks (while another task is inside `recv` on this
    /// receiver it gives `Empty`).
    ///
    /// ```
    /// use green::compat::sync::mpsc::{self, TryRecvError};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// drop(tx);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    /// ```
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        match self.inner.try_lock() {
            Ok(mut flavor) => flavor.try_recv(),
            Err(_) => Err(TryRecvError::Empty),
        }
    }

    /// Green version of [`std::sync::mpsc::Receiver::recv_timeout`]: as
    /// [`recv`](Receiver::recv), but gives up after `timeout` with
    /// [`RecvTimeoutError::Timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::sync::mpsc::{self, RecvTimeoutError};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (tx, rx) = mpsc::channel::<u8>();
    ///     let waited = rx.recv_timeout(Duration::from_millis(10));
    ///     assert_eq!(waited, Err(RecvTimeoutError::Timeout));
    ///     drop(tx);
    ///     let closed = rx.recv_timeout(Duration::from_millis(10));
    ///     assert_eq!(closed, Err(RecvTimeoutError::Disconnected));
    /// }
    /// ```
    pub fn recv_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<T, RecvTimeoutError>>> {
        Green::new(async move {
            match tokio::time::timeout(timeout, self.recv_now()).await {
                Ok(Some(t)) => Ok(t),
                Ok(None) => Err(RecvTimeoutError::Disconnected),
                Err(_) => Err(RecvTimeoutError::Timeout),
            }
        })
    }

    /// The next message, `None` once the channel is closed and empty: the
    /// green counterpart of [`Iterator::next`], called by `for msg in rx` in
    /// a `#[green]` body.
    ///
    /// ```
    /// use green::compat::sync::mpsc;
    ///
    /// green::run(async {
    ///     let (tx, rx) = mpsc::channel();
    ///     tx.send('x').unwrap();
    ///     drop(tx);
    ///     assert_eq!(rx.next().await, Some('x'));
    ///     assert_eq!(rx.next().await, None);
    /// });
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&self) -> Green<impl Future<Output = Option<T>>> {
        Green::new(self.recv_now())
    }

    /// Green version of [`std::sync::mpsc::Receiver::iter`]: a green iterator
    /// over the messages, ending when every sender is gone.
    ///
    /// ```
    /// use green::compat::sync::mpsc;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (tx, rx) = mpsc::channel();
    ///     tx.send(1).unwrap();
    ///     tx.send(2).unwrap();
    ///     drop(tx);
    ///     let mut got = Vec::new();
    ///     for n in rx.iter() {
    ///         got.push(n);
    ///     }
    ///     assert_eq!(got, [1, 2]);
    /// }
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { rx: self }
    }

    /// As std's `IntoIterator for Receiver`: a green iterator that owns the
    /// receiver, ending when every sender is gone. (`Receiver` cannot be a
    /// std [`IntoIterator`]: a `for` loop in a green body would then iterate
    /// it without waiting.)
    ///
    /// ```
    /// use green::GreenIterator;
    /// use green::compat::sync::mpsc;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (tx, rx) = mpsc::channel();
    ///     for n in 1..=3 {
    ///         tx.send(n).unwrap();
    ///     }
    ///     drop(tx);
    ///     assert_eq!(rx.into_iter().sum::<u32>(), 6);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn into_iter(self) -> IntoIter<T> {
        IntoIter { rx: self }
    }

    /// As [`std::sync::mpsc::Receiver::try_iter`]: a std iterator over the
    /// messages there now; never blocks.
    ///
    /// ```
    /// use green::compat::sync::mpsc;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap();
    /// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { rx: self }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// Green version of [`std::sync::mpsc::Iter`]: the green iterator of
/// [`Receiver::iter`].
///
/// ```
/// use green::compat::sync::mpsc;
///
/// green::run(async {
///     let (tx, rx) = mpsc::channel();
///     tx.send(1).unwrap();
///     drop(tx);
///     let mut iter = rx.iter();
///     assert_eq!(iter.next().await, Some(1));
///     assert_eq!(iter.next().await, None);
/// });
/// ```
pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<'a, T> Iter<'a, T> {
    /// The next message (green), `None` once every sender is gone.
    ///
    /// ```
    /// use green::compat::sync::mpsc;
    ///
    /// green::run(async {
    ///     let (tx, rx) = mpsc::channel::<u8>();
    ///     drop(tx);
    ///     assert_eq!(rx.iter().next().await, None);
    /// });
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<T>> + 'a> {
        Green::new(self.rx.recv_now())
    }
}

impl<T> GreenIterator for Iter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        Iter::next(self)
    }
}

impl<T> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

/// Green version of [`std::sync::mpsc::IntoIter`]: the green iterator of
/// [`Receiver::into_iter`], which owns the receiver.
///
/// ```
/// use green::compat::sync::mpsc;
///
/// green::run(async {
///     let (tx, rx) = mpsc::channel();
///     tx.send(1).unwrap();
///     drop(tx);
///     let mut messages = rx.into_iter();
///     assert_eq!(messages.next().await, Some(1));
///     assert_eq!(messages.next().await, None);
/// });
/// ```
pub struct IntoIter<T> {
    rx: Receiver<T>,
}

impl<T> IntoIter<T> {
    /// The next message (green), `None` once every sender is gone.
    ///
    /// ```
    /// use green::compat::sync::mpsc;
    ///
    /// green::run(async {
    ///     let (tx, rx) = mpsc::channel();
    ///     tx.send("hi").unwrap();
    ///     assert_eq!(rx.into_iter().next().await, Some("hi"));
    /// });
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        self.rx.next()
    }
}

impl<T> GreenIterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Green<impl Future<Output = Option<T>> + '_> {
        IntoIter::next(self)
    }
}

impl<T> fmt::Debug for IntoIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IntoIter").finish_non_exhaustive()
    }
}

/// Green version of [`std::sync::mpsc::TryIter`]: the std iterator of
/// [`Receiver::try_iter`] (never blocks).
///
/// ```
/// let (tx, rx) = green::compat::sync::mpsc::channel();
/// tx.send(3).unwrap();
/// let mut iter = rx.try_iter();
/// assert_eq!(iter.next(), Some(3));
/// assert_eq!(iter.next(), None);
/// ```
pub struct TryIter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }
}

impl<T> fmt::Debug for TryIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryIter").finish_non_exhaustive()
    }
}
