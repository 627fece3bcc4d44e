//! `Condvar`: waiting for a condition on a [`Mutex`](super::Mutex), green.

use core::fmt;
use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::sync::PoisonError;

use green_runtime::__private::{Ticket, WaitList};
use green_runtime::Green;
use tokio::time::Instant;

use super::{LockResult, MutexGuard};

/// Green version of [`std::sync::Condvar`]: `wait`, `wait_while`,
/// `wait_timeout` and `wait_timeout_while` are green and take a compat
/// [`MutexGuard`](super::MutexGuard).
///
/// Waiters are woken in FIFO order. As in std, code should re-check its
/// condition after a wake-up (or use `wait_while`); this implementation has
/// no spurious wake-ups, and a `notify_*` with no waiter does nothing.
/// A wait that ends without its wake-up (its task killed, a timeout around
/// it) leaves at once and hands a `notify_one` it was given to the next
/// waiter; a `wait_timeout` woken by the time its deadline is seen reports
/// the wake-up, not a timeout (the runtime's one cancellation rule). Usable
/// from any thread: tasks of several hubs may wait on one `Condvar`.
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
    /// The waiting tasks, oldest first: the runtime's O(1) waiter list,
    /// behind a std lock since notifications may come from any thread.
    waiters: std::sync::Mutex<WaitList>,
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
            waiters: std::sync::Mutex::new(WaitList::new()),
        }
    }

    fn list(&self) -> std::sync::MutexGuard<'_, WaitList> {
        // The list is never left half-changed: no user code runs under it.
        self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues the caller now, before the lock is released, so that no
    /// notification between the release and the first poll is lost.
    fn enqueue(&self) -> Notified<'_> {
        let mut ticket = Ticket::new();
        // The task's own waker replaces this one at the first poll; a
        // notification before it leaves the entry notified, not lost.
        let _ = self
            .list()
            .poll_wait(&mut ticket, &mut Context::from_waker(Waker::noop()));
        Notified {
            condvar: self,
            ticket,
        }
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
            woken.await;
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
            let mut woken = self.enqueue();
            drop(guard);
            let timed_out = woken.until(Instant::now().checked_add(dur)).await;
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
        let waker = self.list().notify_one();
        // Woken outside the lock, as every waker here.
        if let Some(waker) = waker {
            waker.wake();
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
        let mut wakers = Vec::new();
        self.list().notify_all(|waker| wakers.push(waker));
        for waker in wakers {
            waker.wake();
        }
    }
}

/// A place in a [`Condvar`]'s list: ready once notified; dropped before,
/// it leaves the list and hands a `notify_one` it got to the next waiter.
struct Notified<'a> {
    condvar: &'a Condvar,
    ticket: Ticket,
}

impl Notified<'_> {
    /// Waits until notified or `deadline` (`None`: never): true if the time
    /// ran out first. A notification that came by the time the deadline is
    /// seen wins: it is taken, not handed on.
    async fn until(&mut self, deadline: Option<Instant>) -> bool {
        let mut sleep = pin!(deadline.map(tokio::time::sleep_until));
        poll_fn(|cx| {
            if Pin::new(&mut *self).poll(cx).is_ready() {
                return Poll::Ready(false);
            }
            let Some(sleep) = sleep.as_mut().as_pin_mut() else {
                return Poll::Pending;
            };
            if sleep.poll(cx).is_pending() {
                return Poll::Pending;
            }
            // Out of time: leave the list, unless notified meanwhile (from
            // another thread) — then the notification is this wait's.
            let notified = self.condvar.list().cancel(&mut self.ticket);
            Poll::Ready(!notified)
        })
        .await
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        this.condvar.list().poll_wait(&mut this.ticket, cx)
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        let notified = self.condvar.list().cancel(&mut self.ticket);
        if notified {
            self.condvar.notify_one();
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
        f.debug_struct("Condvar")
            .field("waiting", &self.list().waiting())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::sync::Mutex;

    #[test]
    fn timed_out_waits_leave_nothing_behind() {
        let pair = Rc::new((Mutex::new(()), Condvar::new()));
        let (tasks, waits) = (1_000, 200);
        green_runtime::run(async {
            let workers: Vec<_> = (0..tasks)
                .map(|_| {
                    let pair = pair.clone();
                    green_runtime::spawn(move || async move {
                        let (lock, cvar) = &*pair;
                        let mut guard = lock.lock().await.unwrap();
                        for _ in 0..waits {
                            let (back, result) =
                                cvar.wait_timeout(guard, Duration::ZERO).await.unwrap();
                            assert!(result.timed_out());
                            guard = back;
                        }
                    })
                })
                .collect();
            for result in green_runtime::joinall(workers).await {
                result.unwrap();
            }
        });
        let list = pair.1.list();
        assert_eq!((list.held(), list.waiting()), (0, 0));
        // At most one slot per task that waited at once, whatever the
        // number of waits (200,000 here).
        assert!(list.slots() <= tasks, "{} slots", list.slots());
    }

    #[test]
    fn a_notification_caught_by_the_deadline_is_taken_not_lost() {
        let cvar = Condvar::new();
        let mut woken = cvar.enqueue();
        cvar.notify_one();
        // Notified, then the deadline is seen: the wait reports the wake-up.
        let timed_out = green_runtime::run(woken.until(Some(Instant::now())));
        assert!(!timed_out);
        assert_eq!(cvar.list().held(), 0);
    }

    #[test]
    fn a_dropped_wait_hands_its_notify_one_to_the_next_waiter() {
        let cvar = Condvar::new();
        let first = cvar.enqueue();
        let mut second = cvar.enqueue();
        cvar.notify_one();
        drop(first);
        assert_eq!(cvar.list().waiting(), 0, "the second waiter was notified");
        let mut cx = Context::from_waker(Waker::noop());
        assert!(Pin::new(&mut second).poll(&mut cx).is_ready());
        assert_eq!(cvar.list().held(), 0);
    }
}
