//! The runtime behind [green](https://docs.rs/green): the hub, green tasks and
//! the `Green<F>` marker. Use it through the `green` facade crate.
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![forbid(unsafe_code)]

mod dispatch;
mod error;
mod green;
mod hub;
mod sleep;
mod task;
mod wait;
mod waiters;
mod work;

pub use crate::error::GreenError;
pub use crate::green::{Green, wait};
pub use crate::hub::run;
pub use crate::sleep::{Idle, Sleep, idle, sleep};
pub use crate::task::{CurrentTask, Greenlet, TaskId, current, spawn};
pub use crate::wait::{joinall, joinall_timeout, killall};
pub use crate::work::Work;

/// Support code named by the expansion of `#[green]`; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::dispatch::*;
    pub use crate::green::Green;
    pub use crate::hub::run;
}
