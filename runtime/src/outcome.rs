//! `unwrap`, `expect`, `unwrap_or`, .. on green work whose output is a
//! `Result` or an `Option`, for plain code.
//!
//! A plain closure is not a green body: in
//! `handles.into_iter().map(|h| h.join().unwrap())` the closure's
//! `h.join()` is green work, not its `Result`. [`Green`] therefore has std's
//! unwrapping methods itself, lazily: `h.join().unwrap()` is green work whose
//! output is the unwrapped value, and it panics as std's `Result::unwrap`
//! does (std's own method runs once the work is awaited). The iterator of
//! green items is then awaited item by item, in order, by `collect()`,
//! `sum()` or `product()` in a green body:
//!
//! ```
//! use green::compat::thread;
//!
//! #[green::main]
//! fn main() {
//!     let handles: Vec<_> = (1..=3u64).map(|i| thread::spawn(move || i * 10)).collect();
//!     let results: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
//!     assert_eq!(results, [10, 20, 30]);
//! }
//! ```
//!
//! In a green body nothing changes: there `h.join()` is awaited first, and
//! `.unwrap()` is `Result::unwrap` on its value.
//!
//! The traits here only name what a [`Result`] or an [`Option`] output
//! unwraps to; they are sealed (implemented for `Result<T, E>` and
//! `Option<T>` only).

use core::fmt::Debug;
use core::future::Future;

use crate::green::Green;

mod sealed {
    pub trait Sealed {}
    impl<T, E> Sealed for Result<T, E> {}
    impl<T> Sealed for Option<T> {}
}

/// The output of green work that [`Green::unwrap_or`] and its kin unwrap:
/// `Result<T, E>` or `Option<T>`, whose value is `T`.
#[diagnostic::on_unimplemented(
    message = "this green work's output is `{Self}`, not a `Result` or an `Option`: there is nothing to unwrap",
    label = "green work whose output is not a `Result` or an `Option`",
    note = "in a `#[green]` fn a green call is awaited for you: mark the enclosing fn `#[green]`",
    note = "from plain code run it to the end: `green::run(f(x))`; from async code: `f(x).await`"
)]
pub trait Outcome: sealed::Sealed {
    /// What the output unwraps to: `T` of `Result<T, E>` or `Option<T>`.
    type Value;

    /// `Result::unwrap_or` or `Option::unwrap_or`.
    fn unwrap_or(self, default: Self::Value) -> Self::Value;

    /// `Result::unwrap_or_default` or `Option::unwrap_or_default`.
    fn unwrap_or_default(self) -> Self::Value
    where
        Self::Value: Default;
}

impl<T, E> Outcome for Result<T, E> {
    type Value = T;

    #[inline]
    fn unwrap_or(self, default: T) -> T {
        Result::unwrap_or(self, default)
    }

    #[inline]
    fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        Result::unwrap_or_default(self)
    }
}

impl<T> Outcome for Option<T> {
    type Value = T;

    #[inline]
    fn unwrap_or(self, default: T) -> T {
        Option::unwrap_or(self, default)
    }

    #[inline]
    fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        Option::unwrap_or_default(self)
    }
}

/// An [`Outcome`] that [`Green::unwrap`] and [`Green::expect`] unwrap: an
/// `Option<T>`, or a `Result<T, E>` whose error is `Debug` (as std requires,
/// to print it in the panic message).
#[diagnostic::on_unimplemented(
    message = "green work with output `{Self}` cannot be unwrapped: it is not an `Option`, or a `Result` whose error is `Debug`",
    label = "`unwrap`/`expect` need an `Option`, or a `Result` with a `Debug` error",
    note = "in a `#[green]` fn a green call is awaited for you: mark the enclosing fn `#[green]`",
    note = "from plain code run it to the end: `green::run(f(x))`; from async code: `f(x).await`"
)]
pub trait Unwrap: Outcome {
    /// `Result::unwrap` or `Option::unwrap`.
    fn unwrap(self) -> Self::Value;

    /// `Result::expect` or `Option::expect`.
    fn expect(self, message: &str) -> Self::Value;
}

impl<T, E: Debug> Unwrap for Result<T, E> {
    #[inline]
    fn unwrap(self) -> T {
        Result::unwrap(self)
    }

    #[inline]
    fn expect(self, message: &str) -> T {
        Result::expect(self, message)
    }
}

impl<T> Unwrap for Option<T> {
    #[inline]
    fn unwrap(self) -> T {
        Option::unwrap(self)
    }

    #[inline]
    fn expect(self, message: &str) -> T {
        Option::expect(self, message)
    }
}

/// An [`Outcome`] whose fallback `G` computes the value: for
/// `Result<T, E>` a `FnOnce(E) -> T`, for `Option<T>` a `FnOnce() -> T`, as
/// std's `unwrap_or_else`.
#[diagnostic::on_unimplemented(
    message = "`unwrap_or_else` on green work with output `{Self}` needs a `Result` (closure `|e| ..`) or an `Option` (closure `|| ..`)",
    label = "not a fallback for this output",
    note = "in a `#[green]` fn a green call is awaited for you: mark the enclosing fn `#[green]`"
)]
pub trait UnwrapOrElse<G>: Outcome {
    /// `Result::unwrap_or_else` or `Option::unwrap_or_else`.
    fn unwrap_or_else(self, fallback: G) -> Self::Value;
}

impl<T, E, G: FnOnce(E) -> T> UnwrapOrElse<G> for Result<T, E> {
    #[inline]
    fn unwrap_or_else(self, fallback: G) -> T {
        Result::unwrap_or_else(self, fallback)
    }
}

impl<T, G: FnOnce() -> T> UnwrapOrElse<G> for Option<T> {
    #[inline]
    fn unwrap_or_else(self, fallback: G) -> T {
        Option::unwrap_or_else(self, fallback)
    }
}

// The methods name the unwrapped value `T` (not `<F::Output as
// Outcome>::Value`) so that rustc's messages show `Green<impl Future<Output =
// usize>>`.

impl<F: Future> Green<F> {
    /// Green work giving the value of this work's `Result` or `Option`, and
    /// panicking as std's `Result::unwrap` / `Option::unwrap` otherwise (with
    /// std's message). For plain code, a plain closure mostly: in a green
    /// body the call is awaited first and std's `unwrap` runs on its value.
    ///
    /// ```
    /// let work = green::Green::new(async { Ok::<u32, String>(7) });
    /// assert_eq!(green::run(work.unwrap()), 7);
    ///
    /// let none = green::Green::new(async { None::<u32> });
    /// let task = green::run(async { green::spawn(move || none.unwrap()).join().await });
    /// assert!(matches!(task, Err(green::GreenError::Panicked(m)) if m.contains("`Option::unwrap()`")));
    /// ```
    #[inline]
    pub fn unwrap<T>(self) -> Green<impl Future<Output = T>>
    where
        F::Output: Unwrap<Value = T>,
    {
        let work = self.into_inner();
        Green::new(async move { work.await.unwrap() })
    }

    /// Green work giving the value of this work's `Result` or `Option`, and
    /// panicking with `message` otherwise, as std's `expect`.
    ///
    /// ```
    /// let work = green::Green::new(async { Some("ready") });
    /// assert_eq!(green::run(work.expect("a value")), "ready");
    ///
    /// let failing = green::Green::new(async { Err::<u32, &str>("down") });
    /// let task = green::run(async { green::spawn(move || failing.expect("the server")).join().await });
    /// assert_eq!(task, Err(green::GreenError::Panicked("the server: \"down\"".into())));
    /// ```
    #[inline]
    pub fn expect<T>(self, message: &str) -> Green<impl Future<Output = T>>
    where
        F::Output: Unwrap<Value = T>,
    {
        let work = self.into_inner();
        Green::new(async move { work.await.expect(message) })
    }

    /// Green work giving the value of this work's `Result` or `Option`, or
    /// `default`, as std's `unwrap_or`.
    ///
    /// ```
    /// let failing = green::Green::new(async { Err::<u32, String>("no".into()) });
    /// assert_eq!(green::run(failing.unwrap_or(0)), 0);
    /// ```
    #[inline]
    pub fn unwrap_or<T>(self, default: T) -> Green<impl Future<Output = T>>
    where
        F::Output: Outcome<Value = T>,
    {
        let work = self.into_inner();
        Green::new(async move { work.await.unwrap_or(default) })
    }

    /// Green work giving the value of this work's `Result` or `Option`, or
    /// the value's `Default`, as std's `unwrap_or_default`.
    ///
    /// ```
    /// let none = green::Green::new(async { None::<String> });
    /// assert_eq!(green::run(none.unwrap_or_default()), "");
    /// ```
    #[inline]
    pub fn unwrap_or_default<T: Default>(self) -> Green<impl Future<Output = T>>
    where
        F::Output: Outcome<Value = T>,
    {
        let work = self.into_inner();
        Green::new(async move { work.await.unwrap_or_default() })
    }

    /// Green work giving the value of this work's `Result` or `Option`, or
    /// what `fallback` computes (from the error for a `Result`: `|e| ..`;
    /// from nothing for an `Option`: `|| ..`), as std's `unwrap_or_else`.
    ///
    /// ```
    /// let failing = green::Green::new(async { Err::<usize, String>("four".into()) });
    /// assert_eq!(green::run(failing.unwrap_or_else(|e| e.len())), 4);
    ///
    /// let none = green::Green::new(async { None::<u32> });
    /// assert_eq!(green::run(none.unwrap_or_else(|| 9)), 9);
    /// ```
    #[inline]
    pub fn unwrap_or_else<T, G>(self, fallback: G) -> Green<impl Future<Output = T>>
    where
        F::Output: UnwrapOrElse<G, Value = T>,
    {
        let work = self.into_inner();
        Green::new(async move { work.await.unwrap_or_else(fallback) })
    }
}

impl<T, E, F: Future<Output = Result<T, E>>> Green<F> {
    /// Green work whose `Result` has its error mapped by `op`, as std's
    /// `Result::map_err`.
    ///
    /// ```
    /// let failing = green::Green::new(async { Err::<u32, &str>("four") });
    /// assert_eq!(green::run(failing.map_err(str::len)), Err(4));
    /// ```
    #[inline]
    pub fn map_err<O, Op: FnOnce(E) -> O>(
        self,
        op: Op,
    ) -> Green<impl Future<Output = Result<T, O>>> {
        let work = self.into_inner();
        Green::new(async move { work.await.map_err(op) })
    }

    /// Green work whose `Result` becomes an `Option` of its value, as std's
    /// `Result::ok`.
    ///
    /// ```
    /// let work = green::Green::new(async { Ok::<u32, String>(3) });
    /// assert_eq!(green::run(work.ok()), Some(3));
    /// ```
    #[inline]
    pub fn ok(self) -> Green<impl Future<Output = Option<T>>> {
        let work = self.into_inner();
        Green::new(async move { work.await.ok() })
    }
}
