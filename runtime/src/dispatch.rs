//! Auto-await by autoref dispatch: the support code that `#[green]` expands to.
//!
//! Every call in a green body is wrapped as
//! `(match Wrap(call) { w => (&w).green_kind().run(w) }).await`.
//! Method lookup on `&Wrap<T>` first tries the by-value step, where only
//! [`GreenKind`] (implemented for `Wrap<Green<F>>`) can match; failing that it
//! autorefs to `&&Wrap<T>`, where [`ValueKind`] matches every type. The green
//! branch yields the inner future, the value branch a ready future that the
//! optimiser removes. See research/AUTOAWAIT.md for the measurements.

use core::future::{Future, IntoFuture, Ready, ready};
use core::pin::Pin;

use crate::green::Green;

/// Holds one wrapped value while dispatch decides whether to await it.
#[derive(Debug)]
pub struct Wrap<T>(pub T);

/// Chosen for [`Green`] values: the value is awaited.
#[derive(Debug)]
pub struct AwaitTag;

/// Chosen for every other value: it passes through unchanged.
#[derive(Debug)]
pub struct ValueTag;

/// Chosen under `#[green(await_all)]` for every `IntoFuture` value.
#[derive(Debug)]
pub struct IntoFutureTag;

/// Dispatch step for green values (by-value probe).
#[diagnostic::on_unimplemented(message = "`{Self}` is not green work", label = "not a green value")]
pub trait GreenKind {
    /// Picks the awaiting branch.
    #[inline(always)]
    fn green_kind(&self) -> AwaitTag {
        AwaitTag
    }
}
impl<F: Future> GreenKind for Wrap<Green<F>> {}

/// Dispatch step for `#[green(await_all)]`: any `IntoFuture` is awaited.
pub trait AnyFutureKind {
    /// Picks the awaiting branch for any future.
    #[inline(always)]
    fn green_kind(&self) -> IntoFutureTag {
        IntoFutureTag
    }
}
impl<F: IntoFuture> AnyFutureKind for Wrap<F> {}

/// Dispatch step for plain values (autoref probe).
pub trait ValueKind {
    /// Picks the pass-through branch.
    #[inline(always)]
    fn green_kind(&self) -> ValueTag {
        ValueTag
    }
}
impl<T> ValueKind for &Wrap<T> {}

impl AwaitTag {
    /// Unwraps the green value into its future.
    #[inline(always)]
    pub fn run<F: Future>(self, wrapped: Wrap<Green<F>>) -> F {
        wrapped.0.into_inner()
    }
}

impl IntoFutureTag {
    /// Turns any future into its `IntoFuture` form.
    #[inline(always)]
    pub fn run<F: IntoFuture>(self, wrapped: Wrap<F>) -> F::IntoFuture {
        wrapped.0.into_future()
    }
}

impl ValueTag {
    /// Passes a plain value through a future that is ready at once.
    #[inline(always)]
    pub fn run<T>(self, wrapped: Wrap<T>) -> Ready<T> {
        ready(wrapped.0)
    }
}

// `for pat in expr` in a green body: a std `IntoIterator` is turned into its
// iterator, anything else (a green iterator with an inherent green `next`) is
// used as it is.

/// Chosen for `IntoIterator` values in a green `for` loop.
#[derive(Debug)]
pub struct StdIterTag;

/// Chosen for green iterators (values with a green `next` method).
#[derive(Debug)]
pub struct GreenIterTag;

/// `for` dispatch step for std iterables (by-value probe).
pub trait StdIterKind {
    /// Picks `IntoIterator::into_iter`.
    #[inline(always)]
    fn green_iter_kind(&self) -> StdIterTag {
        StdIterTag
    }
}
impl<I: IntoIterator> StdIterKind for Wrap<I> {}

/// `for` dispatch step for green iterators (autoref probe).
pub trait GreenIterKind {
    /// Picks the value itself.
    #[inline(always)]
    fn green_iter_kind(&self) -> GreenIterTag {
        GreenIterTag
    }
}
impl<T> GreenIterKind for &Wrap<T> {}

impl StdIterTag {
    /// `IntoIterator::into_iter`.
    #[inline(always)]
    pub fn iter<I: IntoIterator>(self, wrapped: Wrap<I>) -> I::IntoIter {
        wrapped.0.into_iter()
    }
}

impl GreenIterTag {
    /// The green iterator itself.
    #[inline(always)]
    pub fn iter<T>(self, wrapped: Wrap<T>) -> T {
        wrapped.0
    }
}

/// Lets an `impl Future` return type capture the lifetimes named in `T`
/// (edition 2021 does not capture them by itself).
pub trait Captures<T: ?Sized> {}
impl<T: ?Sized, U: ?Sized> Captures<U> for T {}

/// A boxed green future, used for direct self-recursion.
pub type BoxedGreen<'a, T> = Green<Pin<Box<dyn Future<Output = T> + 'a>>>;

/// Boxes a recursive green call so that the future has a finite size.
#[inline]
pub fn boxed<'a, F>(work: Green<F>) -> BoxedGreen<'a, F::Output>
where
    F: Future + 'a,
{
    Green::new(Box::pin(work.into_inner()))
}

/// The body of `#[green::main]` and `#[green::test]`: run on a fresh hub,
/// failing with a clear message once `timeout_ms` has passed.
#[track_caller]
pub fn run_main<F: Future>(name: &'static str, timeout_ms: Option<u64>, work: F) -> F::Output {
    match timeout_ms {
        None => crate::hub::run(work),
        Some(ms) => crate::hub::run(async move {
            match tokio::time::timeout(core::time::Duration::from_millis(ms), work).await {
                Ok(output) => output,
                Err(_) => panic!("green test `{name}` timed out after {ms} ms"),
            }
        }),
    }
}
