//! `Condvar`: waiting for a condition on a [`Mutex`](super::Mutex), green.

use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::collections::VecDeque;
use std::sync::PoisonError;

use green_runtime::Green;
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::{LockResult, MutexGuard};

/// Green version of [`std::sync::Condvar`]: `wait`, `wait_while`,
/// `wait_timeout` and `wait_timeout_while` are green and take a compat
/// [`MutexGuard`](super::MutexGuard).
///
/// Waiters are woken in FIFO order. As in std, code should re-check its
/// condition after a wake-up (or use `wait_while`); this implementation has
/// no spurious wake-ups, and a `notify_*` with no waiter does nothing.
///
/// ```
/// use std::rc::Rc;
/// use green::compat::sync::{Condvar, Mutex};
///
/// #[green::main]
/// fn main() {
///     let pair = Rc::new((Mutex::new(false), Condvar::new()));
///     let setter = {
///         let pair = pair.clone();
///         green::spawn(move || async move {
///             let (ready, cvar) = &*pair;
///             *ready.lock().await.unwrap() = true;
///             cvar.notify_one();
///         })
///     };
///     let (ready, cvar) = &*pair;
///     let guard = cvar.wait_while(ready.lock().unwrap(), |ready| !*ready).unwrap();
///     assert!(*guard);
///     # drop(guard);
///     setter.join().unwrap();
/// }
/// ```
pub struct Condvar {
    /// One sender per waiting task, oldest first; a waiter that gave up
    /// (timeout, cancelled) has dropped its receiver and is skipped.
    waiters: std::sync::Mutex<VecDeque<oneshot::Sender<()>>>,
}

/// Green version of [`std::sync::WaitTimeoutResult`]: whether a timed wait
/// ended by its timeout.
///
/// ```
/// use std::time::Duration;
/// use green::compat::sync::{Condvar, Mutex};
///
/// #[green::main]
/// fn main() {
///     let (lock, cvar) = (Mutex::new(()), Condvar::new());
///     let (_guard, result) = cvar.wait_timeout(lock.lock().unwrap(), Duration::from_millis(5)).unwrap();
///     assert!(result.timed_out());
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitTimeoutResult(bool);

impl WaitTimeoutResult {
    /// As [`std::sync::WaitTimeoutResult::timed_out`]: `true` if the wait
    /// ended because its time was up.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::sync::{Condvar, Mutex};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (lock, cvar) = (Mutex::new(0), Condvar::new());
    ///     let guard = lock.lock().unwrap();
    ///     let (_, result) = cvar.wait_timeout_while(guard, Duration::from_millis(5), |n| *n == 0).unwrap();
    ///     assert!(result.timed_out());
    /// }
    /// ```
    pub fn timed_out(&self) -> bool {
        self.0
    }
}

impl Condvar {
    /// As [`std::sync::Condvar::new`]: a condition variable with no waiter.
    ///
    /// ```
    /// use green::compat::sync::Condvar;
    ///
    /// static CHANGED: Condvar = Condvar::new();
    /// CHANGED.notify_all();
    /// ```
    pub const fn new() -> Self {
        Condvar {
            waiters: std::sync::Mutex::new(VecDeque::new()),
        }
    }

    fn enqueue(&self) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        self.waiters
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(tx);
        rx
    }

    /// Green version of [`std::sync::Condvar::wait`]: releases the lock,
    /// waits (green) for a notification, takes the lock again.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use green::compat::sync::{Condvar, Mutex};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pair = Rc::new((Mutex::new(0), Condvar::new()));
    ///     let producer = {
    ///         let pair = pair.clone();
    ///         green::spawn(move || async move {
    ///             *pair.0.lock().await.unwrap() = 42;
    ///             pair.1.notify_all();
    ///         })
    ///     };
    ///     let mut value = pair.0.lock().unwrap();
    ///     while *value == 0 {
    ///         value = pair.1.wait(value).unwrap();
    ///     }
    ///     assert_eq!(*value, 42);
    ///     # drop(value);
    ///     producer.join().unwrap();
    /// }
    /// ```
    pub fn wait<'a, T: ?Sized>(
        &self,
        guard: MutexGuard<'a, T>,
    ) -> Green<impl Future<Output = LockResult<MutexGuard<'a, T>>>> {
        Green::new(async move {
            let mutex = guard.mutex;
            // Registered before the lock is released: no notification is lost.
            let woken = self.enqueue();
            drop(guard);
            let _ = woken.await;
            Ok(mutex.lock_now().await)
        })
    }

    /// Green version of [`std::sync::Condvar::wait_while`]: waits while
    /// `condition` holds on the guarded value, returning the guard once it
    /// does not.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use green::compat::sync::{Condvar, Mutex};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pair = Rc::new((Mutex::new(Vec::new()), Condvar::new()));
    ///     for i in 0..3 {
    ///         let pair = pair.clone();
    ///         green::spawn(move || async move {
    ///             pair.0.lock().await.unwrap().push(i);
    ///             pair.1.notify_one();
    ///         });
    ///     }
    ///     let items = pair.1.wait_while(pair.0.lock().unwrap(), |items| items.len() < 3).unwrap();
    ///     assert_eq!(items.len(), 3);
    /// }
    /// ```
    pub fn wait_while<'a, T: ?Sized, F>(
        &self,
        guard: MutexGuard<'a, T>,
        mut condition: F,
    ) -> Green<impl Future<Output = LockResult<MutexGuard<'a, T>>>>
    where
        F: FnMut(&mut T) -> bool,
    {
        Green::new(async move {
            let mut guard = guard;
            while condition(&mut *guard) {
                guard = self.wait(guard).await?;
            }
            Ok(guard)
        })
    }

    /// Green version of [`std::sync::Condvar::wait_timeout`]: as
    /// [`wait`](Condvar::wait), but gives up after `dur`; the result tells
    /// whether the time ran out.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::sync::{Condvar, Mutex};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let (lock, cvar) = (Mutex::new(()), Condvar::new());
    ///     let (_guard, result) = cvar.wait_timeout(lock.lock().unwrap(), Duration::from_millis(10)).unwrap();
    ///     assert!(result.timed_out());
    /// }
    /// ```
    pub fn wait_timeout<'a, T: ?Sized>(
        &self,
        guard: MutexGuard<'a, T>,
        dur: Duration,
    ) -> Green<impl Future<Output = LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>>> {
        Green::new(async move {
            let mutex = guard.mutex;
            let woken = self.enqueue();
            drop(guard);
            let timed_out = tokio::time::timeout(dur, woken).await.is_err();
            Ok((mutex.lock_now().await, WaitTimeoutResult(timed_out)))
        })
    }

    /// Green version of [`std::sync::Condvar::wait_timeout_while`]: waits
    /// while `condition` holds, at most `dur` in all.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use std::time::Duration;
    /// use green::compat::sync::{Condvar, Mutex};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pair = Rc::new((Mutex::new(false), Condvar::new()));
    ///     {
    ///         let pair = pair.clone();
    ///         green::spawn(move || async move {
    ///             *pair.0.lock().await.unwrap() = true;
    ///             pair.1.notify_one();
    ///         });
    ///     }
    ///     let guard = pair.0.lock().unwrap();
    ///     let (guard, result) = pair.1.wait_timeout_while(guard, Duration::from_secs(5), |done| !*done).unwrap();
    ///     assert!(*guard && !result.timed_out());
    /// }
    /// ```
    pub fn wait_timeout_while<'a, T: ?Sized, F>(
        &self,
        guard: MutexGuard<'a, T>,
        dur: Duration,
        mut condition: F,
    ) -> Green<impl Future<Output = LockResult<(MutexGuard<'a, T>, WaitTimeoutResult)>>>
    where
        F: FnMut(&mut T) -> bool,
    {
        Green::new(async move {
            let deadline = Instant::now().checked_add(dur);
            let mut guard = guard;
            while condition(&mut *guard) {
                let left = match deadline {
                    Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                    None => Duration::MAX,
                };
                if left.is_zero() {
                    return Ok((guard, WaitTimeoutResult(true)));
                }
                guard = self.wait_timeout(guard, left).await?.0;
            }
            Ok((guard, WaitTimeoutResult(false)))
        })
    }

    /// As [`std::sync::Condvar::notify_one`]: wakes the longest-waiting task,
    /// if any. Callable from any thread.
    ///
    /// ```
    /// let cvar = green::compat::sync::Condvar::new();
    /// cvar.notify_one(); // no waiter: nothing happens
    /// ```
    pub fn notify_one(&self) {
        let mut waiters = self.waiters.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(waiter) = waiters.pop_front() {
            if waiter.send(()).is_ok() {
                return;
            }
        }
    }

    /// As [`std::sync::Condvar::notify_all`]: wakes every waiting task.
    /// Callable from any thread.
    ///
    /// ```
    /// let cvar = green::compat::sync::Condvar::new();
    /// cvar.notify_all();
    /// ```
    pub fn notify_all(&self) {
        let waiters =
            std::mem::take(&mut *self.waiters.lock().unwrap_or_else(PoisonError::into_inner));
        for waiter in waiters {
            let _ = waiter.send(());
        }
    }
}

impl Default for Condvar {
    /// As [`Condvar::new`].
    ///
    /// ```
    /// let cvar: green::compat::sync::Condvar = Default::default();
    /// # let _ = cvar;
    /// ```
    fn default() -> Self {
        Condvar::new()
    }
}

impl fmt::Debug for Condvar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condvar").finish_non_exhaustive()
    }
}
