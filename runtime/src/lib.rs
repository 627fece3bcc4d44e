//! The runtime behind [green](https://docs.rs/green): the hub, green tasks and
//! the `Green<F>` marker. Use it through the `green` facade crate.
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![forbid(unsafe_code)]

mod blocking;
mod dispatch;
mod error;
mod event;
mod green;
mod hub;
pub mod iter;
mod line;
mod local;
mod lock;
mod misuse;
pub mod outcome;
mod panic_report;

/// The bound that makes green work used as a plain value a compile error
/// that names the fix; public so that the message names it by a public path.
#[doc(inline)]
pub use crate::misuse::MarkTheCallerGreenOrUseGreenRun;
mod pool;
mod queue;
mod sleep;
mod task;
mod timeout;
mod wait;
mod waiters;
mod work;

pub use crate::blocking::spawn_blocking;
pub use crate::error::GreenError;
pub use crate::event::{AsyncResult, Event};
pub use crate::green::{BoxGreen, Green, wait};
pub use crate::hub::run;
pub use crate::iter::GreenIterator;
pub use crate::local::LocalKey;
pub use crate::lock::{
    BoundedSemaphore, Lock, LockGuard, RLock, RLockGuard, ReleaseError, Semaphore, SemaphoreGuard,
};
pub use crate::pool::{Group, IMap, Pile, Pool, PoolFull};
pub use crate::queue::{
    Channel, ChannelIter, Closed, Empty, Full, LifoQueue, LifoQueueIter, PriorityQueue,
    PriorityQueueIter, Queue, QueueIter,
};
pub use crate::sleep::{Idle, Sleep, idle, sleep};
pub use crate::task::{CurrentTask, Greenlet, TaskId, current, spawn, spawn_later};
pub use crate::timeout::{Elapsed, timeout, with_timeout};
pub use crate::wait::{IWait, iwait, joinall, joinall_timeout, killall};
pub use crate::work::Work;

/// Support code named by the expansion of `#[green]`; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::dispatch::*;
    pub use crate::green::{BoxGreen, Green};
    pub use crate::hub::run;
    pub use crate::iter::GreenIterator;
    pub use crate::misuse::MarkTheCallerGreenOrUseGreenRun;
}
