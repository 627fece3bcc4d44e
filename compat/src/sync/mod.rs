//! Green version of [`std::sync`]: locks, condition variables, barriers,
//! channels and one-time initialisation ([`Once`], [`OnceLock`]) whose waits
//! are green.
//!
//! The same names and signatures as `std::sync`, except that every call that
//! blocks in std (`lock`, `read`, `write`, `wait`, `recv`, a bounded `send`,
//! `get_or_init`) returns green work: a `#[green]` body awaits it for you,
//! async code `.await`s it, and while a task waits the hub runs the others.
//! A guard may be held across green calls (another task that wants the lock
//! waits, the hub does not). std's [`Arc`], [`Weak`], [`atomic`],
//! [`LockResult`], [`TryLockResult`], [`TryLockError`] and [`PoisonError`]
//! are re-exported.
//!
//! # Poisoning
//!
//! The locks keep std's signatures (`lock()` gives a [`LockResult`]) but are
//! **never poisoned**: a green task that panics while holding a guard drops
//! it on unwind, the lock is released, and the next `lock()` gives `Ok`.
//! `is_poisoned()` is always `false`. (A panicking green task does not take
//! down the hub, so poisoning would mostly turn one task's bug into every
//! later task's `unwrap` panic; tokio's locks make the same choice.) Code
//! written for std, `lock().unwrap()`, works unchanged.
//!
//! ```
//! use std::rc::Rc;
//! use green::compat::sync::Mutex;
//!
//! #[green::green]
//! fn add(total: Rc<Mutex<u32>>, n: u32) {
//!     let mut guard = total.lock().unwrap();
//!     green::idle(); // the guard is held across a green call
//!     *guard += n;
//! }
//!
//! #[green::main]
//! fn main() {
//!     let total = Rc::new(Mutex::new(0));
//!     let tasks: Vec<_> = (1..=10).map(|n| {
//!         let total = total.clone();
//!         green::spawn(move || add(total, n))
//!     }).collect();
//!     green::joinall(tasks);
//!     assert_eq!(*total.lock().unwrap(), 55);
//! }
//! ```

mod barrier;
mod condvar;
pub mod mpsc;
mod mutex;
mod once;
mod once_lock;
mod rwlock;

pub use std::sync::{Arc, LockResult, PoisonError, TryLockError, TryLockResult, Weak, atomic};

pub use self::barrier::{Barrier, BarrierWaitResult};
pub use self::condvar::{Condvar, WaitTimeoutResult};
pub use self::mutex::{Mutex, MutexGuard};
pub use self::once::Once;
pub use self::once_lock::OnceLock;
pub use self::rwlock::{RwLock, RwLockReadGuard, RwLockWriteGuard};
