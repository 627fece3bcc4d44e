//! Waiting on many tasks at once: `joinall`, `joinall_timeout`, `iwait`,
//! `killall`.

use core::fmt;
use core::future::Future;
use core::pin::pin;
use core::time::Duration;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use crate::error::GreenError;
use crate::green::Green;
use crate::iter::GreenIterator;
use crate::line::SignalWait;
use crate::task::{Greenlet, TaskId};
use crate::timeout::poll_until_elapsed;
use crate::waiters::Waiters;

/// Waits for every task and gives their results in the order given
/// (gevent's `joinall`).
///
/// ```
/// #[green::main]
/// fn main() {
///     let tasks: Vec<_> = (1..=3).map(|i| green::spawn(move || async move { i * 10 })).collect();
///     let results = green::joinall(tasks);
///     assert_eq!(results, [Ok(10), Ok(20), Ok(30)]);
/// }
/// ```
#[track_caller]
pub fn joinall<T, I>(handles: I) -> Green<impl Future<Output = Vec<Result<T, GreenError>>>>
where
    T: 'static,
    I: IntoIterator<Item = Greenlet<T>>,
{
    let handles: Vec<Greenlet<T>> = handles.into_iter().collect();
    crate::parked::green_wait(crate::parked::WaitKind::Joinall, async move {
        let mut results = Vec::with_capacity(handles.len());
        for handle in handles {
            handle.wait_done().await;
            results.push(handle.take_result());
        }
        results
    })
}

/// Waits at most `timeout` for the tasks. Gives the results of the tasks that
/// ended (in the order given) and the handles of those still running, which
/// are left running (gevent's `joinall(timeout=t)`). Running out of time is
/// no error here: the handles still running are the answer.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let quick = green::spawn(|| async { "quick" });
///     let slow = green::spawn(|| async {
///         green::sleep(Duration::from_secs(60)).await;
///         "slow"
///     });
///     let (done, pending) = green::joinall_timeout([quick, slow], Duration::from_millis(20));
///     assert_eq!(done, [Ok("quick")]);
///     assert_eq!(pending.len(), 1);
///     green::killall(pending);
/// }
/// ```
#[allow(clippy::type_complexity)] // the (finished, pending) pair reads best spelled out
#[track_caller]
pub fn joinall_timeout<T, I>(
    handles: I,
    timeout: Duration,
) -> Green<impl Future<Output = (Vec<Result<T, GreenError>>, Vec<Greenlet<T>>)>>
where
    T: 'static,
    I: IntoIterator<Item = Greenlet<T>>,
{
    let handles: Vec<Greenlet<T>> = handles.into_iter().collect();
    crate::parked::green_wait_timed(crate::parked::WaitKind::JoinallTimeout, async move {
        {
            let mut all_done = pin!(async {
                for handle in &handles {
                    handle.wait_done().await;
                }
            });
            // Timed out or not, the split below tells which tasks ended.
            let _ = poll_until_elapsed(timeout, &mut all_done).await;
        }
        let mut finished = Vec::new();
        let mut pending = Vec::new();
        for handle in handles {
            if handle.is_ready() {
                finished.push(handle.take_result());
            } else {
                pending.push(handle);
            }
        }
        (finished, pending)
    })
}

/// Kills every task and returns once all of them are dead (gevent's `killall`).
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let tasks: Vec<_> = (0..3)
///         .map(|_| green::spawn(|| green::sleep(Duration::from_secs(60))))
///         .collect();
///     green::killall(&tasks);
///     assert!(tasks.iter().all(|t| t.is_ready()));
/// }
/// ```
#[track_caller]
pub fn killall<'a, T, I>(handles: I) -> Green<impl Future<Output = ()> + 'a>
where
    T: 'static,
    I: IntoIterator,
    I::Item: core::borrow::Borrow<Greenlet<T>> + 'a,
{
    let handles: Vec<I::Item> = handles.into_iter().collect();
    crate::parked::green_wait(crate::parked::WaitKind::Killall, async move {
        use core::borrow::Borrow;
        for handle in &handles {
            handle.borrow().kill_nowait();
        }
        for handle in &handles {
            handle.borrow().wait_done().await;
        }
    })
}

/// Gives the tasks back one by one as they end, in completion order
/// (gevent's `iwait`): a green iterator, for a `for` loop in green code or
/// `while let Some(task) = tasks.next()`. Each task given has ended; its
/// `join` returns at once.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let tasks: Vec<_> = [30u64, 1, 15]
///         .into_iter()
///         .map(|ms| green::spawn(move || async move {
///             green::sleep(Duration::from_millis(ms)).await;
///             ms
///         }))
///         .collect();
///     let mut done = green::iwait(tasks);
///     let mut order = Vec::new();
///     while let Some(task) = done.next() {
///         order.push(task.join().unwrap());
///     }
///     assert_eq!(order, [1, 15, 30]);
/// }
/// ```
pub fn iwait<T, I>(handles: I) -> IWait<T>
where
    T: 'static,
    I: IntoIterator<Item = Greenlet<T>>,
{
    let state = Rc::new(IWaitState {
        running: RefCell::new(HashMap::new()),
        ended: RefCell::new(VecDeque::new()),
        changed: Waiters::new(),
    });
    for handle in handles {
        let id = handle.id();
        let task = handle.as_any();
        state.running.borrow_mut().insert(id, handle);
        let weak = Rc::downgrade(&state);
        task.header().on_end(Box::new(move || {
            if let Some(state) = weak.upgrade() {
                let handle = state.running.borrow_mut().remove(&id);
                if let Some(handle) = handle {
                    state.ended.borrow_mut().push_back(handle);
                    state.changed.notify_all();
                }
            }
        }));
    }
    IWait { state }
}

struct IWaitState<T> {
    running: RefCell<HashMap<TaskId, Greenlet<T>>>,
    ended: RefCell<VecDeque<Greenlet<T>>>,
    changed: Waiters,
}

/// The green iterator of [`iwait`]: tasks in the order they end.
///
/// ```
/// #[green::main]
/// fn main() {
///     let mut done = green::iwait([green::spawn(|| async { 1 })]);
///     assert_eq!(done.len(), 1);
///     assert_eq!(done.next().unwrap().join(), Ok(1));
///     assert!(done.next().is_none());
/// }
/// ```
pub struct IWait<T> {
    state: Rc<IWaitState<T>>,
}

impl<T: 'static> IWait<T> {
    /// The next task to end, waiting for it; `None` once every task was
    /// given.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let mut done = green::iwait([green::spawn(|| async { "x" })]);
    ///     let task = done.next().unwrap();
    ///     assert!(task.is_ready());
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<Greenlet<T>>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::IWaitNext, async move {
            let state = &*self.state;
            loop {
                if let Some(handle) = state.ended.borrow_mut().pop_front() {
                    return Some(handle);
                }
                if state.running.borrow().is_empty() {
                    return None;
                }
                SignalWait::new(&state.changed, || !state.ended.borrow().is_empty()).await;
            }
        })
    }

    /// Number of tasks not yet given.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let done = green::iwait([green::spawn(|| async {}), green::spawn(|| async {})]);
    ///     assert_eq!(done.len(), 2);
    /// }
    /// ```
    pub fn len(&self) -> usize {
        self.state.running.borrow().len() + self.state.ended.borrow().len()
    }

    /// True once every task was given.
    ///
    /// ```
    /// let done = green::iwait(Vec::<green::Greenlet<()>>::new());
    /// assert!(done.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: 'static> GreenIterator for IWait<T> {
    type Item = Greenlet<T>;

    #[track_caller]
    fn next(&mut self) -> Green<impl Future<Output = Option<Greenlet<T>>> + '_> {
        IWait::next(self)
    }
}

impl<T> fmt::Debug for IWait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IWait")
            .field("running", &self.state.running.borrow().len())
            .field("ended", &self.state.ended.borrow().len())
            .finish()
    }
}
