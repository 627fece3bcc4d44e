//! Green version of [`std::thread`]: "threads" that are green tasks.
//!
//! [`spawn`] starts a green task on the current hub (not an OS thread) and
//! gives a [`JoinHandle`] whose [`join`](JoinHandle::join) is green and
//! gives [`std::thread::Result`], as std's. [`sleep`], [`yield_now`],
//! [`park`] and [`park_timeout`] block the task, not the thread;
//! [`current`] describes the running task and [`Thread::unpark`] hands it
//! its park token. [`scope`] runs green work that borrows from its caller.
//!
//! What differs from std:
//!
//! - the closure given to `spawn` returns green work (a call of a
//!   `#[green]` fn, a `#[green]` closure or an async block), as
//!   `green::spawn` takes, and needs neither `Send` nor a result that is
//!   `Send`: tasks of one hub share `Rc` and `RefCell`;
//! - [`Thread`] and [`ThreadId`] are ours, describing the green task (std's
//!   cannot be built outside std);
//! - a task still running when the hub's main work ends is dropped, as std
//!   threads are when `main` returns;
//! - [`park`] never returns spuriously (std's may); a [`Thread`] is `Send`,
//!   so an OS thread can [`unpark`](Thread::unpark) a green task;
//! - [`scope`] takes an async closure (`async |s| { .. }`), and its scoped
//!   work is not a task of the hub but runs inside the calling task, which
//!   owns it: `green::spawn` needs `'static` work (a hub task may outlive
//!   the frame that spawned it, and a leaked handle could not stop it), so
//!   borrowing work can only be sound where its owner polls it. It still
//!   runs concurrently with the scope's body and with other tasks.
//!
//! ```
//! use green::compat::thread;
//! use green::compat::time::Duration;
//!
//! #[green::green]
//! fn work(id: u32) -> u32 {
//!     thread::sleep(Duration::from_millis(5));
//!     id * 10
//! }
//!
//! #[green::main]
//! fn main() {
//!     let handles: Vec<_> = (0..4).map(|id| thread::spawn(move || work(id))).collect();
//!     let mut total = 0;
//!     for handle in handles {
//!         total += handle.join().unwrap();
//!     }
//!     assert_eq!(total, 60);
//! }
//! ```

mod builder;
mod current;
mod join_handle;
mod park;
mod scoped;

pub use std::thread::{Result, available_parallelism, panicking};

use core::future::IntoFuture;

use green_runtime::{Green, Idle, Sleep, Work};

pub use self::builder::Builder;
pub use self::current::{Thread, ThreadId, current};
pub use self::join_handle::JoinHandle;
pub use self::park::{park, park_timeout};
pub use self::scoped::{Scope, ScopedJoinHandle, scope};

/// Starts `f` as a new green task on the current hub and gives its handle.
/// The green version of [`std::thread::spawn`].
///
/// `f` is green work as [`green::spawn`](https://docs.rs/green) takes it: a
/// closure returning a `#[green]` call, a `#[green]` closure or an async
/// block. It needs `'static` but not `Send`. A panic in the task ends only
/// that task; [`JoinHandle::join`] gives it as an `Err`.
///
/// ```
/// use std::rc::Rc;
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let shared = Rc::new(21); // not Send: fine for a green task
///     let handle = thread::spawn(move || async move { *shared * 2 });
///     assert_eq!(handle.join().unwrap(), 42);
/// }
/// ```
///
/// # Panics
///
/// Panics if called outside a hub (outside `green::run`, `#[green::main]`
/// or `#[green::test]`), as `green::spawn`.
#[track_caller]
pub fn spawn<F, G>(f: F) -> JoinHandle<G::Output>
where
    F: Work<G> + 'static,
    G: IntoFuture + 'static,
    G::Output: 'static,
{
    JoinHandle::spawn(f, None)
}

/// Suspends the current green task for at least `dur`; other tasks run
/// meanwhile. The green version of [`std::thread::sleep`] (the same as
/// `green::sleep`).
///
/// ```
/// use std::time::{Duration, Instant};
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let start = Instant::now();
///     thread::sleep(Duration::from_millis(10));
///     assert!(start.elapsed() >= Duration::from_millis(10));
/// }
/// ```
#[track_caller]
pub fn sleep(dur: core::time::Duration) -> Green<Sleep> {
    green_runtime::sleep(dur)
}

/// Lets every other ready green task run once before the current one goes
/// on. The green version of [`std::thread::yield_now`] (the same as
/// `green::idle`): two tasks that alternate with it interleave.
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use green::compat::thread;
///
/// #[green::green]
/// fn steps(name: &'static str, log: Rc<RefCell<Vec<String>>>) {
///     for step in 1..=2 {
///         log.borrow_mut().push(format!("{name}{step}"));
///         thread::yield_now();
///     }
/// }
///
/// #[green::main]
/// fn main() {
///     let log = Rc::new(RefCell::new(Vec::new()));
///     let a = { let log = log.clone(); thread::spawn(move || steps("a", log)) };
///     let b = { let log = log.clone(); thread::spawn(move || steps("b", log)) };
///     a.join().unwrap();
///     b.join().unwrap();
///     assert_eq!(*log.borrow(), ["a1", "b1", "a2", "b2"]);
/// }
/// ```
pub fn yield_now() -> Green<Idle> {
    green_runtime::idle()
}
