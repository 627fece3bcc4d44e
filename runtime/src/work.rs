//! What `spawn`, `timeout` and the pools accept: a closure that returns green work.

use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};

use pin_project_lite::pin_project;

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

pin_project! {
    /// A task's work, started when the task first runs: the closure until
    /// then, the future it made after, one or the other.
    ///
    /// Not an `async` block awaiting `work.start()`: such a block keeps
    /// what the closure captured beside the future made from it for the
    /// task's whole life, so a task whose closure moves a large future in
    /// (a server's connection) took that future's size twice.
    #[project = StartedProj]
    pub(crate) enum Started<W, G: IntoFuture> {
        Waiting { work: Option<W> },
        Running { #[pin] future: G::IntoFuture },
    }
}

impl<W, G: IntoFuture> Started<W, G> {
    pub(crate) fn new(work: W) -> Self {
        Started::Waiting { work: Some(work) }
    }
}

impl<W: Work<G>, G: IntoFuture> Future for Started<W, G> {
    type Output = G::Output;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<G::Output> {
        loop {
            match self.as_mut().project() {
                StartedProj::Running { future } => return future.poll(cx),
                StartedProj::Waiting { work } => {
                    // Taken only here, and replaced at once: empty only if
                    // starting it panicked, which ended the task.
                    let Some(work) = work.take() else {
                        return Poll::Pending;
                    };
                    let future = work.start();
                    self.set(Started::Running { future });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_closure_or_its_future_not_both() {
        let big = [7u8; 1024];
        let work = move || async move { big.iter().map(|&b| u32::from(b)).sum::<u32>() };
        let closure = core::mem::size_of_val(&work);
        let started = Started::<_, _>::new(work);
        assert!(
            core::mem::size_of_val(&started) < closure + 1024,
            "{} bytes for a {closure}-byte closure",
            core::mem::size_of_val(&started)
        );
        let mut started = core::pin::pin!(started);
        let mut cx = Context::from_waker(core::task::Waker::noop());
        assert_eq!(started.as_mut().poll(&mut cx), Poll::Ready(7 * 1024));
    }
}
