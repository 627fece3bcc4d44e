//! `use green::prelude::*;` brings the `#[green]` attribute and the common
//! types of green.
//!
//! ```
//! use green::prelude::*;
//!
//! #[green]
//! fn answer() -> u32 {
//!     42
//! }
//!
//! let task: Greenlet<u32> = green::run(async { green::spawn(|| answer()) });
//! # let _ = task;
//! ```

pub use crate::{
    AsyncResult, BoundedSemaphore, Channel, CurrentTask, Event, Green, GreenError, GreenIterator,
    Greenlet, Group, LifoQueue, Lock, Pile, Pool, PriorityQueue, Queue, RLock, Semaphore, TaskId,
    green,
};
