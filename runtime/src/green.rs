//! The `Green<F>` marker: the value a `#[green]` function returns.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::pin::Pin;

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
#[must_use = "green work does nothing until it is awaited: mark the enclosing fn `#[green]` \
              (green calls in it are awaited for you), or run it with `green::run(..)`, \
              or spawn it with `green::spawn(|| ..)`"]
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

impl<'a, F: Future + 'a> Green<F> {
    /// Boxes the work: a [`BoxGreen`] has one type whatever the future, so
    /// that green work can be stored (a job queue, a `Vec` of different
    /// works, a trait object's method) and recursion has a finite size.
    ///
    /// ```
    /// use green::BoxGreen;
    ///
    /// #[green::green]
    /// fn add(a: u32, b: u32) -> u32 {
    ///     a + b
    /// }
    ///
    /// #[green::green]
    /// fn twice(a: u32) -> u32 {
    ///     a * 2
    /// }
    ///
    /// #[green::main]
    /// fn main() {
    ///     // Two different futures, one type. In a green body a green call is
    ///     // awaited: `nowait!` keeps the work itself, to box it.
    ///     let jobs: Vec<BoxGreen<'static, u32>> =
    ///         vec![green::nowait!(add(1, 2).boxed()), green::nowait!(twice(5).boxed())];
    ///     let mut results = Vec::new();
    ///     for job in jobs {
    ///         results.push(green::wait(job)); // a green value: `wait` awaits it
    ///     }
    ///     assert_eq!(results, [3, 10]);
    /// }
    /// ```
    #[inline]
    pub fn boxed(self) -> BoxGreen<'a, F::Output> {
        Green(Box::pin(self.0))
    }
}

/// Boxed green work: a `Green` whose future is a pinned trait object, with
/// one type for any work of output `T`, as futures' `BoxFuture` (without
/// `Send`: green work runs on its hub). Made by [`Green::boxed`].
///
/// The way to keep green work in a job queue, as std programs keep
/// `Box<dyn FnOnce() + Send>` closures:
///
/// ```
/// use green::BoxGreen;
/// use green::compat::sync::mpsc;
///
/// type Job = Box<dyn FnOnce() -> BoxGreen<'static, ()> + Send + 'static>;
///
/// #[green::green]
/// fn greet(name: String, out: mpsc::Sender<String>) {
///     green::idle();
///     out.send(format!("hello {name}")).unwrap();
/// }
///
/// #[green::main]
/// fn main() {
///     let (jobs, queue) = mpsc::channel::<Job>();
///     let (out, results) = mpsc::channel();
///     for name in ["ann", "bob"] {
///         let out = out.clone();
///         jobs.send(Box::new(move || greet(name.to_owned(), out).boxed())).unwrap();
///     }
///     drop(jobs);
///     drop(out);
///     for job in queue {
///         job(); // green work: awaited in a green body
///     }
///     let got: Vec<String> = results.iter().collect();
///     assert_eq!(got, ["hello ann", "hello bob"]);
/// }
/// ```
pub type BoxGreen<'a, T> = Green<Pin<Box<dyn Future<Output = T> + 'a>>>;

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
