//! What `spawn`, `timeout` and the pools accept: a closure that returns green work.

use core::future::{Future, IntoFuture};

/// Work for a green task: a closure returning green work, as gevent takes a
/// callable. Implemented for every `FnOnce() -> G` where `G` is a future or a
/// [`Green`](crate::Green) value, so `|| f(x)` (with `f` a `#[green]` fn),
/// `move || async move { .. }` and `#[green] || { .. }` closures all qualify.
///
/// ```
/// #[green::green]
/// fn double(x: u32) -> u32 {
///     x * 2
/// }
///
/// green::run(async {
///     let task = green::spawn(|| double(21));
///     assert_eq!(task.join().await, Ok(42));
/// });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not green work: pass a closure that returns it",
    label = "expected a closure such as `|| f(x)` or `move || f(x)`",
    note = "green takes work as a closure, like gevent.spawn takes a callable: write `spawn(|| f(x))`, not `spawn(f(x))`"
)]
pub trait Work {
    /// What the work produces.
    type Output;
    /// The future that runs the work.
    type Future: Future<Output = Self::Output>;
    /// Starts the work.
    fn start(self) -> Self::Future;
}

impl<C, G> Work for C
where
    C: FnOnce() -> G,
    G: IntoFuture,
{
    type Output = G::Output;
    type Future = G::IntoFuture;

    #[inline(always)]
    fn start(self) -> Self::Future {
        self().into_future()
    }
}
