//! The runtime behind [green](https://docs.rs/green): the hub, green tasks and
//! the `Green<F>` marker. Use it through the `green` facade crate.
//!
//! # Types and their strategies
//!
//! Types that share their methods are one generic type with a strategy
//! parameter: [`Pool`] is `Tracker<Bounded>` and [`Group`] is
//! `Tracker<Unbounded>` ([`Tracker`], [`Slots`]); [`Queue<T>`](Queue) is
//! `Queue<T, Fifo>`, and [`LifoQueue`] and [`PriorityQueue`] wrap
//! `Queue<T, Lifo>` and `Queue<T, Priority>` ([`Order`]); a
//! [`BoundedSemaphore`] is a [`Semaphore`] with a checked `release`.
//!
//! # One shape per outcome
//!
//! Every way an operation can fail has one type, the same wherever it
//! happens, in place of the gevent exception:
//!
//! | outcome | green | gevent |
//! |---|---|---|
//! | work or a wait that gives a value ran out of time: [`timeout`], `acquire_timeout`, [`AsyncResult::get_timeout`] | `Err(`[`Elapsed`]`)` | `gevent.Timeout`, `acquire(timeout=t)` → `False` |
//! | a wait for a condition ran out of time: [`Event::wait_timeout`], [`Pool::join_timeout`](Tracker::join_timeout) | `false` (the state, not a failure) | `Event.wait(t)` / `Group.join(t)` → `False` |
//! | no room for an item, now or in time: `try_put`, `put_timeout` | `Err(`[`PutError::Full`]`(item))` | `gevent.queue.Full` |
//! | no item, now or in time: `try_get`, `get_timeout` | `Err(`[`GetError::Empty`]`)` | `gevent.queue.Empty` |
//! | the queue is closed: `try_put`, `put_timeout` / `try_get`, `get_timeout` | `Err(`[`PutError::Closed`]`(item))` / `Err(`[`GetError::Closed`]`)` | `ShutDown` (Python 3.13 `queue`), gevent's `StopIteration` |
//! | the queue is closed, the only failure: `put`, `get`, `peek` | `Err(`[`Closed`]`(item))` / `Err(Closed(()))` | as above |
//! | every slot of a pool is taken: [`Pool::try_spawn`](Tracker::try_spawn) | `Err(`[`PoolFull`]`(work))` | `gevent.pool.PoolFull` |
//! | a task ended without a value: `join`, `map`, .. | `Err(`[`GreenError`]`)` | the greenlet's exception, `GreenletExit` |
//! | a lock released while not held | `Err(`[`ReleaseError`]`)` | `ValueError`, `RuntimeError` |
//! | every task of the hub, main included, waits on another (a deadlock) | main's wait panics: "this would block forever" and the list of tasks (see [`tasks`]) | `gevent.exceptions.LoopExit` |
//!
//! An error that carries the value back has `into_inner`; none needs
//! `T: Debug` to be printed; each displays lower-case, without a period.
//! [`joinall_timeout`] has no error: the handles still running are its
//! answer.
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
// The exceptions, fenced in `atomic_location` and `current_slot`.
#![deny(unsafe_code)]

#[allow(unsafe_code)]
mod atomic_location;
mod blocking;
#[allow(unsafe_code)]
mod current_slot;
mod deadlock;
mod dispatch;
mod error;
mod event;
mod green;
mod hub;
mod hub_task;
mod hubs;
pub mod iter;
mod line;
mod local;
mod lock;
mod misuse;
mod monitor;
pub mod outcome;
mod panic_report;
mod parked;

/// The bound that makes green work used as a plain value a compile error
/// that names the fix; public so that the message names it by a public path.
#[doc(inline)]
pub use crate::misuse::MarkTheCallerGreenOrUseGreenRun;
mod pool;
mod queue;
mod run_info;
pub mod signal;
mod sleep;
mod task;
mod timeout;
mod wait;
mod waiters;
mod work;
mod workers;

pub use crate::blocking::spawn_blocking;
pub use crate::error::GreenError;
pub use crate::event::{AsyncResult, Event};
pub use crate::green::{BoxGreen, Green, wait};
pub use crate::hub::{hub_index, run};
pub use crate::hub_task::HubTask;
pub use crate::hubs::{Hubs, hubs};
pub use crate::iter::GreenIterator;
pub use crate::local::LocalKey;
pub use crate::lock::{
    BoundedSemaphore, Lock, LockGuard, RLock, RLockGuard, ReleaseError, Semaphore, SemaphoreGuard,
};
pub use crate::pool::{Bounded, Group, IMap, Pile, Pool, PoolFull, Slots, Tracker, Unbounded};
pub use crate::queue::{
    Channel, ChannelIter, Closed, Fifo, GetError, Lifo, LifoQueue, LifoQueueIter, Order, Priority,
    PriorityQueue, PriorityQueueIter, PutError, Queue, QueueIter,
};
pub use crate::run_info::{TaskInfo, TaskState, WaitingOn, print_run_info, tasks};
pub use crate::sleep::{Idle, Sleep, idle, sleep};
pub use crate::task::{CurrentTask, Greenlet, TaskId, current, spawn, spawn_later};
pub use crate::timeout::{Elapsed, timeout, with_timeout};
pub use crate::wait::{IWait, iwait, joinall, joinall_timeout, killall};
pub use crate::work::Work;
pub use crate::workers::{Worker, worker};

/// Support code named by the expansion of `#[green]`; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::dispatch::*;
    pub use crate::green::{BoxGreen, Green};
    pub use crate::hub::{run, run_main};
    pub use crate::iter::GreenIterator;
    pub use crate::misuse::MarkTheCallerGreenOrUseGreenRun;
    pub use crate::task::panic_message;
    pub use crate::timeout::{CancelMark, cancel_mark};
    pub use crate::waiters::{Ticket, WaitList};
    pub use crate::workers::{SharedBind, WorkerOutcome, run_workers, shared_bind};
}
