//! Auto-await by autoref dispatch: the support code that `#[green]` expands to.
//!
//! Every call in a green body is wrapped as
//! `(match Wrap(call) { w => (&w).green_kind().run(w) }).await`.
//! Method lookup on `&Wrap<T>` first tries the by-value step, where only
//! [`GreenKind`] (implemented for `Wrap<Green<F>>`) can match; failing that it
//! autorefs to `&&Wrap<T>`, where [`ValueKind`] matches every type. The green
//! branch yields the inner future, the value branch a ready future that the
//! optimiser removes. See docs/autoawait.md for the design and its measurements.

use core::future::{Future, IntoFuture, Ready, ready};
use core::iter::{Product, Sum};

use crate::green::{BoxGreen, Green};
use crate::iter::GreenIterator;

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

/// Boxes a recursive green call so that the future has a finite size.
#[inline]
pub fn boxed<'a, F>(work: Green<F>) -> BoxGreen<'a, F::Output>
where
    F: Future + 'a,
{
    work.boxed()
}

// `collect()`, `sum()` and `product()` in a green body, with a turbofish or
// without: a green iterator's are green work, a std iterator of green items
// (`handles.into_iter().map(|h| h.join().unwrap())`: the plain closure makes
// green work) awaits its items, any other std iterator's are plain. Without
// a turbofish the result type comes from the `let` annotation after the
// dispatch; a turbofish is passed on, with `_` for the iterator.
// Before: let v: Vec<_> = it.collect();
// After:  let v: Vec<_> = (match Wrap(it) {
//             w => (&w).green_collect_kind().collect(w)
//         }).await;
// Before: it.sum::<u64>()
// After:  (match Wrap(it) {
//             w => (&w).green_collect_kind().sum::<u64, _>(w)
//         }).await
//
// Three kinds, three probe steps on the receiver `&Wrap<I>`: the by-value
// step (`GreenCollectKind`, `Self = Wrap<I>`, `&self`), the autoref step
// (`GreenItemsKind`, `Self = &Wrap<I>`, `&self`) and the mutable autoref
// step (`StdCollectKind`, `Self = &Wrap<I>`, `&mut self`), each tried only
// if the one before has no candidate. (A type is never both a green
// iterator and a std iterator of green items, but a receiver whose type
// holds an error, a closure that did not compile, meets every bound: on one
// step the two would be ambiguous, E0034, beside the real error.)
//
// So in a green body `let works: Vec<_> = (0..n).map(f).collect();` with a
// green `f` collects `f`'s values, not its works: to keep the works
// (`Vec<BoxGreen<..>>` for a job queue), write
// `green::nowait!((0..n).map(|i| f(i).boxed()).collect())`.

/// Chosen for green iterators: `collect`, `sum` and `product` are awaited.
#[derive(Debug)]
pub struct GreenCollectTag;

/// Chosen for std iterators of [`Green`] items: each item is awaited in
/// turn, then the std consumer runs on the values.
#[derive(Debug)]
pub struct GreenItemsTag;

/// Chosen for everything else (std iterators): the std consumer, made ready.
#[derive(Debug)]
pub struct StdCollectTag;

/// `collect` dispatch step for green iterators (by-value probe).
pub trait GreenCollectKind {
    /// Picks the green consumers.
    #[inline(always)]
    fn green_collect_kind(&self) -> GreenCollectTag {
        GreenCollectTag
    }
}
impl<I: GreenIterator> GreenCollectKind for Wrap<I> {}

/// `collect` dispatch step for std iterators whose items are [`Green`] work
/// (autoref probe). Only the `Green` marker counts, as in [`GreenKind`]: an
/// iterator of foreign futures is a std iterator.
pub trait GreenItemsKind {
    /// Picks the consumers that await each item.
    #[inline(always)]
    fn green_collect_kind(&self) -> GreenItemsTag {
        GreenItemsTag
    }
}
impl<I, F> GreenItemsKind for &Wrap<I>
where
    I: Iterator<Item = Green<F>>,
    F: Future,
{
}

/// `collect` dispatch step for std iterators (mutable autoref probe).
pub trait StdCollectKind {
    /// Picks the std consumers.
    #[inline(always)]
    fn green_collect_kind(&mut self) -> StdCollectTag {
        StdCollectTag
    }
}
impl<T> StdCollectKind for &Wrap<T> {}

// Each consumer takes the result type first and the iterator second, so
// that `collect::<B, _>(w)` passes a user's turbofish on.

impl GreenCollectTag {
    /// [`GreenIterator::collect`], as a future.
    #[inline(always)]
    pub fn collect<B: FromIterator<I::Item>, I: GreenIterator>(
        self,
        wrapped: Wrap<I>,
    ) -> impl Future<Output = B> {
        wrapped.0.collect().into_inner()
    }

    /// [`GreenIterator::sum`], as a future.
    #[inline(always)]
    pub fn sum<S: Sum<I::Item>, I: GreenIterator>(
        self,
        wrapped: Wrap<I>,
    ) -> impl Future<Output = S> {
        wrapped.0.sum().into_inner()
    }

    /// [`GreenIterator::product`], as a future.
    #[inline(always)]
    pub fn product<P: Product<I::Item>, I: GreenIterator>(
        self,
        wrapped: Wrap<I>,
    ) -> impl Future<Output = P> {
        wrapped.0.product().into_inner()
    }
}

/// The values of `items`' green work, each awaited in turn (the order of
/// std's `map(|h| h.join().unwrap())`, where each join ends before the next
/// item is taken).
async fn await_each<I>(items: I) -> Vec<Awaited<I>>
where
    I: Iterator<Item: IntoFuture>,
{
    let mut values = Vec::with_capacity(items.size_hint().0);
    for work in items {
        values.push(work.await);
    }
    values
}

/// The value of an item of `I` once awaited. The tag's methods take any
/// `IntoFuture` items (the probe has already chosen [`Green`] ones) to keep
/// two generic parameters, as the other tags.
type Awaited<I> = <<I as Iterator>::Item as IntoFuture>::Output;

impl GreenItemsTag {
    /// Awaits every item in order, then [`Iterator::collect`]s the values.
    /// All items are awaited, even where std's `collect` into a `Result` or
    /// an `Option` would stop at the first `Err` or `None`.
    #[inline(always)]
    pub async fn collect<B, I>(self, wrapped: Wrap<I>) -> B
    where
        B: FromIterator<Awaited<I>>,
        I: Iterator<Item: IntoFuture>,
    {
        await_each(wrapped.0).await.into_iter().collect()
    }

    /// Awaits every item in order, then [`Iterator::sum`]s the values.
    #[inline(always)]
    pub async fn sum<S, I>(self, wrapped: Wrap<I>) -> S
    where
        S: Sum<Awaited<I>>,
        I: Iterator<Item: IntoFuture>,
    {
        await_each(wrapped.0).await.into_iter().sum()
    }

    /// Awaits every item in order, then [`Iterator::product`]s the values.
    #[inline(always)]
    pub async fn product<P, I>(self, wrapped: Wrap<I>) -> P
    where
        P: Product<Awaited<I>>,
        I: Iterator<Item: IntoFuture>,
    {
        await_each(wrapped.0).await.into_iter().product()
    }
}

impl StdCollectTag {
    /// [`Iterator::collect`], in a future that is ready at once.
    #[inline(always)]
    pub fn collect<B: FromIterator<I::Item>, I: Iterator>(self, wrapped: Wrap<I>) -> Ready<B> {
        ready(wrapped.0.collect())
    }

    /// [`Iterator::sum`], in a future that is ready at once.
    #[inline(always)]
    pub fn sum<S: Sum<I::Item>, I: Iterator>(self, wrapped: Wrap<I>) -> Ready<S> {
        ready(wrapped.0.sum())
    }

    /// [`Iterator::product`], in a future that is ready at once.
    #[inline(always)]
    pub fn product<P: Product<I::Item>, I: Iterator>(self, wrapped: Wrap<I>) -> Ready<P> {
        ready(wrapped.0.product())
    }
}

// The tests write the expansion exactly as `#[green]` generates it.
#[cfg(test)]
#[allow(clippy::match_single_binding, clippy::needless_borrow)]
mod tests {
    use super::{GreenCollectKind as _, GreenItemsKind as _, StdCollectKind as _, Wrap};
    use crate::green::Green;
    use crate::hub::run;
    // As `#[green]` injects it into green bodies.
    use crate::iter::GreenIterator as _;
    use crate::queue::Queue;

    /// A closed queue holding `items`: a green iterator source.
    async fn queue_of(items: &[u32]) -> Queue<u32> {
        let queue = Queue::new();
        for &item in items {
            queue.put(item).await.unwrap();
        }
        queue.close();
        queue
    }

    // The expansions below are what `#[green]` writes for `it.collect()`,
    // `it.sum()` and `it.product()` without a turbofish: the result type is
    // known only from the `let` after the `.await`.

    #[test]
    fn collect_infers_for_a_green_and_a_std_iterator() {
        run(async {
            let queue = queue_of(&[1, 2, 3]).await;
            let green: Vec<_> = (match Wrap(queue.iter()) {
                w => (&w).green_collect_kind().collect(w),
            })
            .await;
            assert_eq!(green, [1, 2, 3]);

            let plain: Vec<_> = (match Wrap((0..3).map(|x| x * 2)) {
                w => (&w).green_collect_kind().collect(w),
            })
            .await;
            assert_eq!(plain, [0, 2, 4]);

            let text: String = (match Wrap(crate::iter::from_std(["a", "b"])) {
                w => (&w).green_collect_kind().collect(w),
            })
            .await;
            assert_eq!(text, "ab");
        });
    }

    #[test]
    fn sum_and_product_infer_for_a_green_and_a_std_iterator() {
        run(async {
            let queue = queue_of(&[1, 2, 3, 4]).await;
            let green: u32 = (match Wrap(queue.iter()) {
                w => (&w).green_collect_kind().sum(w),
            })
            .await;
            assert_eq!(green, 10);

            let plain: u32 = (match Wrap([1u32, 2, 3].into_iter()) {
                w => (&w).green_collect_kind().sum(w),
            })
            .await;
            assert_eq!(plain, 6);

            let queue = queue_of(&[2, 3, 4]).await;
            let green: u64 = (match Wrap(queue.iter().map(u64::from)) {
                w => (&w).green_collect_kind().product(w),
            })
            .await;
            assert_eq!(green, 24);

            let plain: u64 = (match Wrap(1..=5u64) {
                w => (&w).green_collect_kind().product(w),
            })
            .await;
            assert_eq!(plain, 120);
        });
    }

    /// Green work giving `value` after a suspension.
    fn later(value: u64) -> Green<impl core::future::Future<Output = u64>> {
        Green::new(async move {
            crate::sleep::idle().into_inner().await;
            value
        })
    }

    #[test]
    fn std_iterators_of_green_items_await_each_item_in_order() {
        run(async {
            let seen = std::cell::RefCell::new(Vec::new());
            let works = (1..=3u64).map(|i| {
                seen.borrow_mut().push(i);
                later(i * 10)
            });
            let values: Vec<u64> = (match Wrap(works) {
                w => (&w).green_collect_kind().collect(w),
            })
            .await;
            assert_eq!(values, [10, 20, 30]);
            assert_eq!(*seen.borrow(), [1, 2, 3]);

            let total: u64 = (match Wrap((1..=4u64).map(later)) {
                w => (&w).green_collect_kind().sum(w),
            })
            .await;
            assert_eq!(total, 10);

            let product: u64 = (match Wrap((1..=4u64).map(later)) {
                w => (&w).green_collect_kind().product(w),
            })
            .await;
            assert_eq!(product, 24);

            // An iterator of foreign futures is a std iterator.
            let futures: Vec<core::future::Ready<u8>> =
                (match Wrap([1u8].map(core::future::ready).into_iter()) {
                    w => (&w).green_collect_kind().collect(w),
                })
                .await;
            assert_eq!(futures.len(), 1);
        });
    }

    // A turbofish is passed on, with `_` for the iterator.
    #[test]
    fn turbofish_consumers_for_each_kind() {
        run(async {
            let green = (match Wrap((1..=3u64).map(later)) {
                w => (&w).green_collect_kind().collect::<Vec<_>, _>(w),
            })
            .await;
            assert_eq!(green, [1, 2, 3]);

            let plain = (match Wrap(1..=3u64) {
                w => (&w).green_collect_kind().sum::<u64, _>(w),
            })
            .await;
            assert_eq!(plain, 6);

            let queue = queue_of(&[2, 5]).await;
            let from_queue = (match Wrap(queue.iter()) {
                w => (&w).green_collect_kind().product::<u32, _>(w),
            })
            .await;
            assert_eq!(from_queue, 10);
        });
    }
}
