//! Locks between green tasks (gevent.lock): `Semaphore`, `BoundedSemaphore`,
//! `Lock`, `RLock`.
//!
//! Acquiring gives a guard that releases on drop, also when its task is
//! killed or times out. Waiting acquirers are served first come, first
//! served; one cancelled while a permit was on its way passes it on. Every
//! lock is a cloneable handle; guards own a handle, so they can be kept
//! across calls or moved into another task.
//!
//! gevent's unpaired style (`acquire` here, `release` there) is there too:
//! [`SemaphoreGuard::forget`] keeps the permit taken, `release` gives one back.

use core::fmt;
use core::future::Future;
use core::ops::Deref;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::cell::Cell;
use std::rc::Rc;

use crate::green::Green;
use crate::line::{Go, Line, Turn};
use crate::task::{TaskId, current};
use crate::timeout::{Elapsed, poll_until_elapsed};

/// The error of releasing a lock that is not held: a [`BoundedSemaphore`]
/// released more times than acquired, an unlocked [`Lock`], an [`RLock`]
/// released by a task that does not own it.
///
/// ```
/// let lock = green::Lock::new();
/// let error = lock.release().unwrap_err();
/// assert_eq!(error.to_string(), "lock released while not locked");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseError {
    message: &'static str,
}

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for ReleaseError {}

/// Permits and their waiting line.
pub(crate) struct Permits {
    available: Cell<usize>,
    /// `Some(n)` for a bounded semaphore: releasing above `n` is an error.
    bound: Option<usize>,
    line: Line,
}

impl Permits {
    pub(crate) fn new(permits: usize, bound: Option<usize>) -> Rc<Self> {
        Rc::new(Permits {
            available: Cell::new(permits),
            bound,
            line: Line::default(),
        })
    }

    pub(crate) fn try_take(&self) -> bool {
        let available = self.available.get();
        if available > self.line.reserved() {
            self.available.set(available - 1);
            true
        } else {
            false
        }
    }

    pub(crate) fn bound(&self) -> Option<usize> {
        self.bound
    }

    pub(crate) fn available(&self) -> usize {
        self.available.get()
    }

    pub(crate) fn release(&self) -> Result<(), ReleaseError> {
        let available = self.available.get();
        if self.bound.is_some_and(|bound| available >= bound) {
            return Err(ReleaseError {
                message: "semaphore released too many times",
            });
        }
        // An unbounded semaphore already at `usize::MAX` stays there: it
        // cannot count higher, and with that many free permits nobody waits.
        self.available.set(available.saturating_add(1));
        self.line.wake_one();
        Ok(())
    }

    fn take(&self) -> Take<'_> {
        Take {
            permits: self,
            turn: self.line.turn(),
        }
    }

    /// Waits for a permit and takes it.
    pub(crate) async fn acquire(self: &Rc<Self>) -> SemaphoreGuard {
        self.take().await;
        SemaphoreGuard::new(self.clone())
    }

    async fn acquire_timeout(
        self: &Rc<Self>,
        timeout: Duration,
    ) -> Result<SemaphoreGuard, Elapsed> {
        let mut take = self.take();
        poll_until_elapsed(timeout, &mut take).await?;
        Ok(SemaphoreGuard::new(self.clone()))
    }
}

/// Waits for a permit and takes it; cancelled, it leaves its turn to the next.
struct Take<'a> {
    permits: &'a Permits,
    turn: Turn<'a>,
}

impl Future for Take<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let permits = this.permits;
        loop {
            let go = match this
                .turn
                .poll(cx, |reserved| permits.available.get() > reserved)
            {
                Poll::Ready(go) => go,
                Poll::Pending => return Poll::Pending,
            };
            let available = permits.available.get();
            let ok = match go {
                Go::Fresh => available > permits.line.reserved(),
                Go::Woken => available > 0,
            };
            if ok {
                permits.available.set(available - 1);
                return Poll::Ready(());
            }
        }
    }
}

/// A permit of a [`Semaphore`] or [`BoundedSemaphore`]; released when
/// dropped.
///
/// ```
/// #[green::main]
/// fn main() {
///     let semaphore = green::Semaphore::new(1);
///     let guard = semaphore.acquire();
///     assert_eq!(semaphore.available(), 0);
///     drop(guard);
///     assert_eq!(semaphore.available(), 1);
/// }
/// ```
#[must_use = "the permit is released at once if the guard is not kept"]
pub struct SemaphoreGuard {
    permits: Option<Rc<Permits>>,
}

impl SemaphoreGuard {
    pub(crate) fn new(permits: Rc<Permits>) -> Self {
        SemaphoreGuard {
            permits: Some(permits),
        }
    }

    /// Keeps the permit taken without a guard; give it back later with the
    /// semaphore's `release` (gevent's unpaired acquire/release).
    ///
    /// ```
    /// let semaphore = green::Semaphore::new(1);
    /// semaphore.try_acquire().unwrap().forget();
    /// assert_eq!(semaphore.available(), 0);
    /// semaphore.release();
    /// assert_eq!(semaphore.available(), 1);
    /// ```
    pub fn forget(mut self) {
        self.permits = None;
    }
}

impl Drop for SemaphoreGuard {
    fn drop(&mut self) {
        if let Some(permits) = self.permits.take() {
            // A bounded semaphore released by hand meanwhile is full already.
            let _ = permits.release();
        }
    }
}

impl fmt::Debug for SemaphoreGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SemaphoreGuard(..)")
    }
}

/// A counting semaphore (gevent's `Semaphore`): at most `permits` holders
/// at once, FIFO-fair. A cloneable handle.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let semaphore = green::Semaphore::new(2);
///     let (running, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
///     let tasks: Vec<_> = (0..6)
///         .map(|_| {
///             let (semaphore, running, most) = (semaphore.clone(), running.clone(), most.clone());
///             green::spawn(move || async move {
///                 let _permit = semaphore.acquire().await;
///                 running.set(running.get() + 1);
///                 most.set(most.get().max(running.get()));
///                 green::sleep(Duration::from_millis(2)).await;
///                 running.set(running.get() - 1);
///             })
///         })
///         .collect();
///     green::joinall(tasks);
///     assert_eq!(most.get(), 2);
/// }
/// ```
#[derive(Clone)]
pub struct Semaphore {
    permits: Rc<Permits>,
}

impl Semaphore {
    /// A semaphore with `permits` free permits.
    ///
    /// ```
    /// let semaphore = green::Semaphore::new(3);
    /// assert_eq!(semaphore.available(), 3);
    /// ```
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Permits::new(permits, None),
        }
    }

    /// Adds a permit, waking the oldest waiter (gevent's `release`); a
    /// `Semaphore` may grow above its initial count, up to `usize::MAX`
    /// (a release there changes nothing).
    ///
    /// ```
    /// let semaphore = green::Semaphore::new(0);
    /// semaphore.release();
    /// assert_eq!(semaphore.available(), 1);
    /// ```
    pub fn release(&self) {
        let _ = self.permits.release();
    }

    /// Takes a permit, blocking while there is none. Waiters are served in
    /// arrival order.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let semaphore = green::Semaphore::new(1);
    ///     let guard = semaphore.acquire();
    ///     assert!(semaphore.is_locked());
    ///     drop(guard);
    ///     assert!(!semaphore.is_locked());
    /// }
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> Green<impl Future<Output = SemaphoreGuard> + '_> {
        crate::parked::green_wait(
            crate::parked::WaitKind::SemaphoreAcquire,
            self.permits.acquire(),
        )
    }

    /// Takes a permit if one is free now.
    ///
    /// ```
    /// let semaphore = green::Semaphore::new(1);
    /// let guard = semaphore.try_acquire();
    /// assert!(guard.is_some());
    /// assert!(semaphore.try_acquire().is_none());
    /// ```
    pub fn try_acquire(&self) -> Option<SemaphoreGuard> {
        self.permits
            .try_take()
            .then(|| SemaphoreGuard::new(self.permits.clone()))
    }

    /// Takes a permit, blocking at most `timeout`; [`Elapsed`] if none came
    /// in time (gevent's `acquire(timeout=t)` giving `False`).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let semaphore = green::Semaphore::new(0);
    ///     let waited = semaphore.acquire_timeout(Duration::from_millis(5));
    ///     assert_eq!(waited.unwrap_err(), green::Elapsed);
    /// }
    /// ```
    #[track_caller]
    pub fn acquire_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<SemaphoreGuard, Elapsed>> + '_> {
        crate::parked::green_wait_timed(
            crate::parked::WaitKind::SemaphoreAcquireTimeout,
            self.permits.acquire_timeout(timeout),
        )
    }

    /// Free permits now (gevent's `counter`).
    ///
    /// ```
    /// let semaphore = green::Semaphore::new(2);
    /// assert_eq!(semaphore.available(), 2);
    /// ```
    pub fn available(&self) -> usize {
        self.permits.available.get()
    }

    /// True if no permit is free (gevent's `locked()`).
    ///
    /// ```
    /// let semaphore = green::Semaphore::new(0);
    /// assert!(semaphore.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.permits.available.get() == 0
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available", &self.permits.available.get())
            .field("waiting", &self.permits.line.waiting())
            .finish()
    }
}

/// A semaphore that cannot be released above its initial count (gevent's
/// `BoundedSemaphore`): an extra `release` is a [`ReleaseError`]. A cloneable
/// handle.
///
/// It is a [`Semaphore`] with a checked `release`, as in gevent where
/// `BoundedSemaphore` subclasses `Semaphore`: every other method
/// (`acquire`, `try_acquire`, `acquire_timeout`, `available`, `is_locked`)
/// is the semaphore's, reached through `Deref`.
///
/// ```
/// #[green::main]
/// fn main() {
///     let semaphore = green::BoundedSemaphore::new(1);
///     semaphore.acquire().forget();
///     assert!(semaphore.release().is_ok());
///     assert!(semaphore.release().is_err());
/// }
/// ```
#[derive(Clone)]
pub struct BoundedSemaphore {
    semaphore: Semaphore,
}

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` free permits, at most `permits`.
    ///
    /// ```
    /// let semaphore = green::BoundedSemaphore::new(2);
    /// assert_eq!(semaphore.available(), 2);
    /// ```
    pub fn new(permits: usize) -> Self {
        BoundedSemaphore {
            semaphore: Semaphore {
                permits: Permits::new(permits, Some(permits)),
            },
        }
    }

    /// Gives back a permit taken with [`SemaphoreGuard::forget`]; an error
    /// if every permit is already free.
    ///
    /// ```
    /// let semaphore = green::BoundedSemaphore::new(1);
    /// assert!(semaphore.release().is_err());
    /// ```
    pub fn release(&self) -> Result<(), ReleaseError> {
        self.semaphore.permits.release()
    }
}

impl Deref for BoundedSemaphore {
    type Target = Semaphore;

    fn deref(&self) -> &Semaphore {
        &self.semaphore
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let permits = &self.semaphore.permits;
        f.debug_struct("BoundedSemaphore")
            .field("available", &permits.available.get())
            .field("waiting", &permits.line.waiting())
            .finish()
    }
}

/// A mutual-exclusion lock (gevent's `Lock`, a bounded semaphore of one):
/// it guards no data (green tasks share `RefCell`s), only a critical section
/// that blocks. A cloneable handle.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let lock = green::Lock::new();
///     let guard = lock.acquire();
///     let other = {
///         let lock = lock.clone();
///         green::spawn(move || async move { lock.acquire_timeout(Duration::from_millis(5)).await.is_ok() })
///     };
///     assert_eq!(other.join(), Ok(false));
///     drop(guard);
///     assert!(!lock.is_locked());
/// }
/// ```
#[derive(Clone)]
pub struct Lock {
    permits: Rc<Permits>,
}

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

impl Lock {
    /// A new, unlocked lock.
    ///
    /// ```
    /// assert!(!green::Lock::new().is_locked());
    /// ```
    pub fn new() -> Self {
        Lock {
            permits: Permits::new(1, Some(1)),
        }
    }

    /// Takes the lock, blocking while another holder has it; FIFO-fair.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let lock = green::Lock::new();
    ///     let guard = lock.acquire();
    ///     assert!(lock.is_locked());
    ///     drop(guard);
    /// }
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> Green<impl Future<Output = LockGuard> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::LockAcquire, async move {
            LockGuard(self.permits.acquire().await)
        })
    }

    /// Takes the lock if it is free now.
    ///
    /// ```
    /// let lock = green::Lock::new();
    /// let guard = lock.try_acquire().unwrap();
    /// assert!(lock.try_acquire().is_none());
    /// drop(guard);
    /// ```
    pub fn try_acquire(&self) -> Option<LockGuard> {
        self.permits
            .try_take()
            .then(|| LockGuard(SemaphoreGuard::new(self.permits.clone())))
    }

    /// Takes the lock, blocking at most `timeout`; [`Elapsed`] if it is
    /// still held.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let lock = green::Lock::new();
    ///     let _guard = lock.acquire();
    ///     assert!(lock.acquire_timeout(Duration::from_millis(5)).is_err());
    /// }
    /// ```
    #[track_caller]
    pub fn acquire_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<LockGuard, Elapsed>> + '_> {
        crate::parked::green_wait_timed(crate::parked::WaitKind::LockAcquireTimeout, async move {
            self.permits.acquire_timeout(timeout).await.map(LockGuard)
        })
    }

    /// Unlocks a lock kept with [`LockGuard::forget`]; an error if it is not
    /// locked.
    ///
    /// ```
    /// let lock = green::Lock::new();
    /// lock.try_acquire().unwrap().forget();
    /// assert!(lock.release().is_ok());
    /// assert!(lock.release().is_err());
    /// ```
    pub fn release(&self) -> Result<(), ReleaseError> {
        self.permits.release().map_err(|_| ReleaseError {
            message: "lock released while not locked",
        })
    }

    /// True while some task holds the lock.
    ///
    /// ```
    /// let lock = green::Lock::new();
    /// let _guard = lock.try_acquire();
    /// assert!(lock.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.permits.available.get() == 0
    }
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.is_locked())
            .field("waiting", &self.permits.line.waiting())
            .finish()
    }
}

/// A held [`Lock`]; unlocks when dropped.
///
/// ```
/// let lock = green::Lock::new();
/// {
///     let _guard = lock.try_acquire().unwrap();
///     assert!(lock.is_locked());
/// }
/// assert!(!lock.is_locked());
/// ```
#[must_use = "the lock is released at once if the guard is not kept"]
#[derive(Debug)]
pub struct LockGuard(SemaphoreGuard);

impl LockGuard {
    /// Keeps the lock locked without a guard; unlock it with
    /// [`Lock::release`].
    ///
    /// ```
    /// let lock = green::Lock::new();
    /// lock.try_acquire().unwrap().forget();
    /// assert!(lock.is_locked());
    /// lock.release().unwrap();
    /// ```
    pub fn forget(self) {
        self.0.forget();
    }
}

/// A re-entrant lock (gevent's `RLock`): the task holding it may acquire it
/// again; it is free once every acquisition was released. A cloneable
/// handle.
///
/// ```
/// #[green::main]
/// fn main() {
///     let lock = green::RLock::new();
///     let outer = lock.acquire();
///     let inner = lock.acquire(); // same task: does not block
///     drop(inner);
///     assert!(lock.is_locked());
///     drop(outer);
///     assert!(!lock.is_locked());
/// }
/// ```
#[derive(Clone)]
pub struct RLock {
    inner: Rc<RLockInner>,
}

struct RLockInner {
    permits: Rc<Permits>,
    owner: Cell<Option<TaskId>>,
    count: Cell<usize>,
}

impl RLockInner {
    fn enter(self: &Rc<Self>, permit: SemaphoreGuard) -> RLockGuard {
        permit.forget();
        self.owner.set(Some(current().id()));
        self.count.set(1);
        RLockGuard {
            inner: Some(self.clone()),
        }
    }

    fn reenter(self: &Rc<Self>) -> Option<RLockGuard> {
        if self.owner.get() == Some(current().id()) {
            self.count.set(self.count.get() + 1);
            Some(RLockGuard {
                inner: Some(self.clone()),
            })
        } else {
            None
        }
    }

    fn exit(&self) {
        let count = self.count.get().saturating_sub(1);
        self.count.set(count);
        if count == 0 && self.owner.take().is_some() {
            let _ = self.permits.release();
        }
    }
}

impl Default for RLock {
    fn default() -> Self {
        Self::new()
    }
}

impl RLock {
    /// A new, unlocked re-entrant lock.
    ///
    /// ```
    /// assert!(!green::RLock::new().is_locked());
    /// ```
    pub fn new() -> Self {
        RLock {
            inner: Rc::new(RLockInner {
                permits: Permits::new(1, Some(1)),
                owner: Cell::new(None),
                count: Cell::new(0),
            }),
        }
    }

    /// Takes the lock: at once if the running task holds it already, else
    /// blocking while another task holds it (FIFO-fair).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let lock = green::RLock::new();
    ///     let a = lock.acquire();
    ///     let b = lock.acquire();
    ///     drop((a, b));
    ///     assert!(!lock.is_locked());
    /// }
    /// ```
    #[track_caller]
    pub fn acquire(&self) -> Green<impl Future<Output = RLockGuard> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::RLockAcquire, async move {
            if let Some(guard) = self.inner.reenter() {
                return guard;
            }
            let permit = self.inner.permits.acquire().await;
            self.inner.enter(permit)
        })
    }

    /// Takes the lock if the running task holds it or it is free now.
    ///
    /// ```
    /// let lock = green::RLock::new();
    /// let a = lock.try_acquire().unwrap();
    /// let b = lock.try_acquire().unwrap();
    /// drop((a, b));
    /// ```
    pub fn try_acquire(&self) -> Option<RLockGuard> {
        if let Some(guard) = self.inner.reenter() {
            return Some(guard);
        }
        self.inner.permits.try_take().then(|| {
            self.inner
                .enter(SemaphoreGuard::new(self.inner.permits.clone()))
        })
    }

    /// Takes the lock, blocking at most `timeout`; [`Elapsed`] if another
    /// task still holds it.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let lock = green::RLock::new();
    ///     let _held = lock.acquire();
    ///     let other = {
    ///         let lock = lock.clone();
    ///         green::spawn(move || async move { lock.acquire_timeout(Duration::from_millis(5)).await.is_ok() })
    ///     };
    ///     assert_eq!(other.join(), Ok(false));
    /// }
    /// ```
    #[track_caller]
    pub fn acquire_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<RLockGuard, Elapsed>> + '_> {
        crate::parked::green_wait_timed(crate::parked::WaitKind::RLockAcquireTimeout, async move {
            if let Some(guard) = self.inner.reenter() {
                return Ok(guard);
            }
            let permit = self.inner.permits.acquire_timeout(timeout).await?;
            Ok(self.inner.enter(permit))
        })
    }

    /// Releases one acquisition kept with [`RLockGuard::forget`]. An error
    /// if the running task does not hold the lock (as gevent's
    /// `RuntimeError: cannot release un-acquired lock`).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let lock = green::RLock::new();
    ///     lock.acquire().forget();
    ///     let other = {
    ///         let lock = lock.clone();
    ///         green::spawn(move || async move { lock.release() })
    ///     };
    ///     assert!(other.join().unwrap().is_err());
    ///     assert!(lock.release().is_ok());
    ///     assert!(!lock.is_locked());
    /// }
    /// ```
    pub fn release(&self) -> Result<(), ReleaseError> {
        if self.inner.owner.get() != Some(current().id()) {
            return Err(ReleaseError {
                message: "cannot release an rlock not held by this task",
            });
        }
        self.inner.exit();
        Ok(())
    }

    /// True while some task holds the lock.
    ///
    /// ```
    /// let lock = green::RLock::new();
    /// assert!(!lock.is_locked());
    /// ```
    pub fn is_locked(&self) -> bool {
        self.inner.owner.get().is_some()
    }

    /// True if the running task holds the lock.
    ///
    /// ```
    /// let lock = green::RLock::new();
    /// let _guard = lock.try_acquire();
    /// assert!(lock.is_owned());
    /// ```
    pub fn is_owned(&self) -> bool {
        self.inner.owner.get() == Some(current().id())
    }
}

impl fmt::Debug for RLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLock")
            .field("owner", &self.inner.owner.get())
            .field("count", &self.inner.count.get())
            .finish()
    }
}

/// One acquisition of an [`RLock`]; released when dropped. A guard moved to
/// another task and dropped there still releases (it is the proof of the
/// acquisition); it is [`RLock::release`] by a task that holds nothing that
/// is an error.
///
/// ```
/// let lock = green::RLock::new();
/// let guard = lock.try_acquire().unwrap();
/// drop(guard);
/// assert!(!lock.is_locked());
/// ```
#[must_use = "the lock is released at once if the guard is not kept"]
pub struct RLockGuard {
    inner: Option<Rc<RLockInner>>,
}

impl RLockGuard {
    /// Keeps this acquisition without a guard; release it later with
    /// [`RLock::release`] from the same task.
    ///
    /// ```
    /// let lock = green::RLock::new();
    /// lock.try_acquire().unwrap().forget();
    /// assert!(lock.is_locked());
    /// lock.release().unwrap();
    /// assert!(!lock.is_locked());
    /// ```
    pub fn forget(mut self) {
        self.inner = None;
    }
}

impl Drop for RLockGuard {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            inner.exit();
        }
    }
}

impl fmt::Debug for RLockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RLockGuard(..)")
    }
}
