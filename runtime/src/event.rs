//! Signals between green tasks: `Event` (a re-settable flag) and
//! `AsyncResult` (a one-shot value or error), as in gevent.event.

use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::green::Green;
use crate::line::{SignalWait, notify_all_counted};
use crate::timeout::{Elapsed, poll_until_elapsed};
use crate::waiters::Waiters;

/// A flag that green tasks wait on (gevent's `Event`): `set` wakes every
/// waiter, `clear` resets it. A cloneable handle: clones share the flag.
///
/// `set` followed at once by `clear` still wakes every task that was waiting
/// when `set` was called.
///
/// ```
/// use green::Event;
///
/// #[green::main]
/// fn main() {
///     let ready = Event::new();
///     let waiter = {
///         let ready = ready.clone();
///         green::spawn(move || async move {
///             ready.wait().await;
///             "woken"
///         })
///     };
///     green::idle();
///     assert!(!waiter.is_ready());
///     ready.set();
///     assert_eq!(waiter.join(), Ok("woken"));
/// }
/// ```
#[derive(Clone, Default)]
pub struct Event {
    inner: Rc<EventInner>,
}

#[derive(Default)]
struct EventInner {
    flag: Cell<bool>,
    waiters: Waiters,
    /// Waiters woken by `set` that have not run yet.
    pending: Cell<usize>,
}

impl Event {
    /// A new event, not set.
    ///
    /// ```
    /// let event = green::Event::new();
    /// assert!(!event.is_set());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the flag and wakes every waiting task. Tasks that wait while it
    /// is set return at once.
    ///
    /// ```
    /// let event = green::Event::new();
    /// event.set();
    /// assert!(event.is_set());
    /// ```
    pub fn set(&self) {
        self.inner.flag.set(true);
        notify_all_counted(&self.inner.waiters, &self.inner.pending);
    }

    /// Resets the flag: later waits block until the next `set`. Tasks
    /// already woken by a `set` stay woken.
    ///
    /// ```
    /// let event = green::Event::new();
    /// event.set();
    /// event.clear();
    /// assert!(!event.is_set());
    /// ```
    pub fn clear(&self) {
        self.inner.flag.set(false);
    }

    /// True while the flag is set.
    ///
    /// ```
    /// let event = green::Event::new();
    /// assert!(!event.is_set());
    /// ```
    pub fn is_set(&self) -> bool {
        self.inner.flag.get()
    }

    /// Blocks the task until the flag is set (returns at once if it is).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let event = green::Event::new();
    ///     let setter = event.clone();
    ///     green::spawn(move || async move { setter.set() });
    ///     event.wait();
    ///     assert!(event.is_set());
    /// }
    /// ```
    #[track_caller]
    pub fn wait(&self) -> Green<impl Future<Output = ()> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::EventWait, self.signal())
    }

    /// Blocks at most `timeout` for the flag: true if it was set (or a `set`
    /// woke this task), false if the time ran out.
    ///
    /// A `bool` rather than `Result<(), Elapsed>`, as gevent's
    /// `Event.wait(timeout)` gives the flag: the answer is the state of the
    /// flag, not a failure, and there is no value to give (see the crate
    /// docs' table of outcomes).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let event = green::Event::new();
    ///     assert!(!event.wait_timeout(Duration::from_millis(5)));
    ///     event.set();
    ///     assert!(event.wait_timeout(Duration::from_millis(5)));
    /// }
    /// ```
    #[track_caller]
    pub fn wait_timeout(&self, timeout: Duration) -> Green<impl Future<Output = bool> + '_> {
        crate::parked::green_wait_timed(crate::parked::WaitKind::EventWaitTimeout, async move {
            let mut wait = self.signal();
            poll_until_elapsed(timeout, &mut wait).await.is_ok()
        })
    }
}

impl Event {
    fn signal(&self) -> SignalWait<'_, impl Fn() -> bool + '_> {
        let inner = &*self.inner;
        SignalWait::new(&inner.waiters, move || inner.flag.get()).counted(&inner.pending)
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("is_set", &self.is_set())
            .field("waiting", &self.inner.waiters.waiting())
            .finish()
    }
}

/// A one-shot result that green tasks wait on (gevent's `AsyncResult`): set
/// once with a value or an error, read by any number of tasks. A cloneable
/// handle: clones share the result.
///
/// ```
/// use green::AsyncResult;
///
/// #[green::main]
/// fn main() {
///     let result: AsyncResult<u32, String> = AsyncResult::new();
///     let producer = result.clone();
///     green::spawn(move || async move { producer.set(42) });
///     assert_eq!(result.get(), Ok(42));
///     assert!(result.is_ready());
/// }
/// ```
pub struct AsyncResult<T, E> {
    inner: Rc<ResultInner<T, E>>,
}

struct ResultInner<T, E> {
    value: RefCell<Option<Result<T, E>>>,
    waiters: Waiters,
}

impl<T, E> Clone for AsyncResult<T, E> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<T, E> Default for AsyncResult<T, E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, E> AsyncResult<T, E> {
    /// A new result, not yet set.
    ///
    /// ```
    /// let result: green::AsyncResult<u8, ()> = green::AsyncResult::new();
    /// assert!(!result.is_ready());
    /// ```
    pub fn new() -> Self {
        Self {
            inner: Rc::new(ResultInner {
                value: RefCell::new(None),
                waiters: Waiters::new(),
            }),
        }
    }

    /// Sets the value and wakes every waiter. Only the first `set` or
    /// `set_error` counts: later ones are ignored (one-shot).
    ///
    /// ```
    /// let result: green::AsyncResult<u8, ()> = green::AsyncResult::new();
    /// result.set(1);
    /// result.set(2);
    /// assert_eq!(result.try_get(), Some(Ok(1)));
    /// ```
    pub fn set(&self, value: T) {
        self.fill(Ok(value));
    }

    /// Sets an error and wakes every waiter; ignored if already set.
    ///
    /// ```
    /// let result: green::AsyncResult<u8, &str> = green::AsyncResult::new();
    /// result.set_error("failed");
    /// assert_eq!(result.try_get(), Some(Err("failed")));
    /// ```
    pub fn set_error(&self, error: E) {
        self.fill(Err(error));
    }

    fn fill(&self, result: Result<T, E>) {
        let mut value = self.inner.value.borrow_mut();
        if value.is_none() {
            *value = Some(result);
            drop(value);
            self.inner.waiters.notify_all();
        }
    }

    /// True once a value or an error was set.
    ///
    /// ```
    /// let result: green::AsyncResult<u8, ()> = green::AsyncResult::new();
    /// result.set(1);
    /// assert!(result.is_ready());
    /// ```
    pub fn is_ready(&self) -> bool {
        self.inner.value.borrow().is_some()
    }

    /// Blocks until the result is set, without reading it.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let result: green::AsyncResult<(), ()> = green::AsyncResult::new();
    ///     let setter = result.clone();
    ///     green::spawn(move || async move { setter.set(()) });
    ///     result.wait();
    ///     assert!(result.is_ready());
    /// }
    /// ```
    #[track_caller]
    pub fn wait(&self) -> Green<impl Future<Output = ()> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::AsyncResultWait, self.ready())
    }

    fn ready(&self) -> SignalWait<'_, impl Fn() -> bool + '_> {
        let inner = &*self.inner;
        SignalWait::new(&inner.waiters, move || inner.value.borrow().is_some())
    }
}

impl<T: Clone, E: Clone> AsyncResult<T, E> {
    /// Blocks until the result is set and gives a copy of it.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let result: green::AsyncResult<&str, ()> = green::AsyncResult::new();
    ///     let setter = result.clone();
    ///     green::spawn(move || async move { setter.set("done") });
    ///     assert_eq!(result.get(), Ok("done"));
    /// }
    /// ```
    #[track_caller]
    pub fn get(&self) -> Green<impl Future<Output = Result<T, E>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::AsyncResultGet, async move {
            self.ready().await;
            self.try_get().expect("a ready result has a value")
        })
    }

    /// Blocks at most `timeout` for the result: the result as [`get`](Self::get)
    /// gives it, or [`Elapsed`] if it is still unset (gevent's
    /// `get(timeout=t)` raising `Timeout`).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let result: green::AsyncResult<u8, ()> = green::AsyncResult::new();
    ///     assert_eq!(result.get_timeout(Duration::from_millis(5)), Err(green::Elapsed));
    ///     result.set(3);
    ///     assert_eq!(result.get_timeout(Duration::from_millis(5)), Ok(Ok(3)));
    /// }
    /// ```
    #[track_caller]
    pub fn get_timeout(
        &self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<Result<T, E>, Elapsed>> + '_> {
        crate::parked::green_wait_timed(
            crate::parked::WaitKind::AsyncResultGetTimeout,
            async move {
                let mut ready = self.ready();
                poll_until_elapsed(timeout, &mut ready).await?;
                Ok(self.try_get().expect("a ready result has a value"))
            },
        )
    }

    /// The result if it is set, without blocking.
    ///
    /// ```
    /// let result: green::AsyncResult<u8, ()> = green::AsyncResult::new();
    /// assert_eq!(result.try_get(), None);
    /// result.set(7);
    /// assert_eq!(result.try_get(), Some(Ok(7)));
    /// ```
    pub fn try_get(&self) -> Option<Result<T, E>> {
        self.inner.value.borrow().clone()
    }
}

impl<T, E> fmt::Debug for AsyncResult<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &*self.inner.value.borrow() {
            None => "unset",
            Some(Ok(_)) => "value",
            Some(Err(_)) => "error",
        };
        f.debug_struct("AsyncResult")
            .field("state", &state)
            .finish()
    }
}
