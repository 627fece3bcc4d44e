//! The `Green<F>` marker: the value a `#[green]` function returns.

use core::fmt;
use core::future::{Future, IntoFuture};

/// Green work: a future marked as belonging to green code.
///
/// Every `#[green]` function returns `Green<impl Future<Output = R>>`. Inside
/// another green body a value of this type is awaited automatically; async code
/// can `.await` it (it implements [`IntoFuture`]); plain code can run it to the
/// end with [`run`](crate::run). Only this marker is awaited automatically: a
/// foreign future (a tokio `JoinHandle`, a reqwest request) passes through
/// untouched unless it is awaited explicitly or marked with [`wait`].
///
/// ```
/// use green::Green;
///
/// fn answer() -> Green<impl std::future::Future<Output = u32>> {
///     Green::new(async { 42 })
/// }
///
/// assert_eq!(green::run(answer()), 42);
/// ```
#[must_use = "green work does nothing unless it is awaited, run or spawned"]
pub struct Green<F>(F);

impl<F: Future> Green<F> {
    /// Marks `future` as green work.
    ///
    /// ```
    /// let work = green::Green::new(async { "done" });
    /// assert_eq!(green::run(work), "done");
    /// ```
    #[inline(always)]
    pub const fn new(future: F) -> Self {
        Green(future)
    }

    /// Gives back the future inside.
    ///
    /// ```
    /// let work = green::Green::new(async { 1 + 1 });
    /// let future = work.into_inner();
    /// assert_eq!(green::run(future), 2);
    /// ```
    #[inline(always)]
    pub fn into_inner(self) -> F {
        self.0
    }
}

impl<F: Future> IntoFuture for Green<F> {
    type Output = F::Output;
    type IntoFuture = F;

    #[inline(always)]
    fn into_future(self) -> F {
        self.0
    }
}

impl<F> fmt::Debug for Green<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Green(..)")
    }
}

/// Marks a foreign future as green work, so that a green body awaits it.
///
/// Inside a `#[green]` body only [`Green`] values are awaited automatically; a
/// tokio or other async future is passed through as a value. `wait(fut)` says
/// "block here until `fut` is done", as gevent's `get()` on an async result.
///
/// ```
/// use std::time::Duration;
///
/// #[green::green]
/// fn nap() -> &'static str {
///     // A tokio future: awaited because it is wrapped in `green::wait`.
///     green::wait(tokio::time::sleep(Duration::from_millis(1)));
///     "rested"
/// }
///
/// assert_eq!(green::run(nap()), "rested");
/// ```
#[inline(always)]
pub fn wait<F: IntoFuture>(future: F) -> Green<F::IntoFuture> {
    Green(future.into_future())
}
