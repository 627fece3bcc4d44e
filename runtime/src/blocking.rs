//! `spawn_blocking`: blocking or CPU-heavy code on an OS thread pool
//! (gevent's threadpool, eventlet's tpool), so that the hub never stalls.

use std::panic::{Location, resume_unwind};

use crate::task::{Greenlet, spawn_at};

/// Runs the blocking closure `f` on tokio's bounded pool of OS threads (at
/// most 512 threads; more calls wait for a free thread) and gives a green
/// handle to its result. The hub and its other green tasks go on meanwhile.
///
/// A panic in `f` makes the handle's `join` give
/// [`GreenError::Panicked`](crate::GreenError::Panicked). Killing the
/// handle returns at once and abandons the result, but cannot stop `f`
/// itself: an OS thread is not cancellable; `f` runs to its end in the
/// background.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let hashed = green::spawn_blocking(|| {
///         std::thread::sleep(Duration::from_millis(20)); // blocks a pool thread, not the hub
///         "digest"
///     });
///     let ticker = green::spawn(|| async { green::sleep(Duration::from_millis(1)).await; "tick" });
///     assert_eq!(ticker.join(), Ok("tick")); // ran while the thread blocked
///     assert_eq!(hashed.join(), Ok("digest"));
/// }
/// ```
///
/// # Panics
///
/// Panics if called outside a hub, as [`spawn`](crate::spawn).
#[track_caller]
pub fn spawn_blocking<F, T>(f: F) -> Greenlet<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let work = move || async move {
        match tokio::task::spawn_blocking(f).await {
            Ok(value) => value,
            // The thread already reported the panic; end this task with it.
            Err(error) => match error.try_into_panic() {
                Ok(payload) => resume_unwind(payload),
                Err(_) => panic!("green::spawn_blocking: the blocking task was cancelled"),
            },
        }
    };
    spawn_at(work, Location::caller())
}
