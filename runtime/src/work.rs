//! What `spawn`, `timeout` and the pools accept: a closure that returns green work.

use core::future::IntoFuture;

/// Work for a green task: a closure returning green work, as gevent takes a
/// callable. Implemented for every `FnOnce() -> G` where `G` is a future or a
/// [`Green`](crate::Green) value, so `|| f(x)` (with `f` a `#[green]` fn),
/// `move || async move { .. }` and `#[green] || { .. }` closures all qualify.
///
/// `FnOnce() -> G` is a supertrait so that the compiler infers a closure
/// passed as work to be `FnOnce`: `timeout(d, || stream.read(&mut buf))`
/// may return a future that borrows what the closure captured.
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
pub trait Work<G>: FnOnce() -> G {
    /// Starts the work: calls the closure and turns its result into a future.
    #[inline(always)]
    fn start(self) -> G::IntoFuture
    where
        G: IntoFuture,
        Self: Sized,
    {
        self().into_future()
    }
}

impl<C, G> Work<G> for C where C: FnOnce() -> G {}
