//! The adapters that take one green iterator: each mirrors its std namesake
//! in `core::iter`, down to which items it pulls.

use core::fmt;
use core::future::Future;

use super::{GreenIterator, debug_adapter};
use crate::green::Green;

/// As [`core::iter::Map`]: made by [`GreenIterator::map`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let doubled: green::iter::Map<_, _> = green::iter::from_std([1, 2]).map(|x| x * 2);
///     assert_eq!(doubled.collect::<Vec<_>>().await, [2, 4]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Map<I, F> {
    iter: I,
    f: F,
}

impl<I, F> Map<I, F> {
    pub(super) fn new(iter: I, f: F) -> Self {
        Map { iter, f }
    }
}

impl<B, I: GreenIterator, F: FnMut(I::Item) -> B> GreenIterator for Map<I, F> {
    type Item = B;

    fn next(&mut self) -> Green<impl Future<Output = Option<B>> + '_> {
        Green::new(async move { self.iter.next().await.map(&mut self.f) })
    }
}

impl<I: fmt::Debug, F> fmt::Debug for Map<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "Map", &self.iter)
    }
}

/// As [`core::iter::Filter`]: made by [`GreenIterator::filter`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let odd: green::iter::Filter<_, _> = green::iter::from_std(1..=4).filter(|x| x % 2 == 1);
///     assert_eq!(odd.collect::<Vec<_>>().await, [1, 3]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Filter<I, P> {
    iter: I,
    predicate: P,
}

impl<I, P> Filter<I, P> {
    pub(super) fn new(iter: I, predicate: P) -> Self {
        Filter { iter, predicate }
    }
}

impl<I: GreenIterator, P: FnMut(&I::Item) -> bool> GreenIterator for Filter<I, P> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        self.iter.find(&mut self.predicate)
    }
}

impl<I: fmt::Debug, P> fmt::Debug for Filter<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "Filter", &self.iter)
    }
}

/// As [`core::iter::FilterMap`]: made by [`GreenIterator::filter_map`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let halves: green::iter::FilterMap<_, _> =
///         green::iter::from_std(1..=4).filter_map(|x| (x % 2 == 0).then_some(x / 2));
///     assert_eq!(halves.collect::<Vec<_>>().await, [1, 2]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct FilterMap<I, F> {
    iter: I,
    f: F,
}

impl<I, F> FilterMap<I, F> {
    pub(super) fn new(iter: I, f: F) -> Self {
        FilterMap { iter, f }
    }
}

impl<B, I: GreenIterator, F: FnMut(I::Item) -> Option<B>> GreenIterator for FilterMap<I, F> {
    type Item = B;

    fn next(&mut self) -> Green<impl Future<Output = Option<B>> + '_> {
        // Awaited in a block of its own: `find_map`'s future names `B`, which
        // need not outlive the borrow of `self` that `next` promises.
        Green::new(async move { self.iter.find_map(&mut self.f).await })
    }
}

impl<I: fmt::Debug, F> fmt::Debug for FilterMap<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "FilterMap", &self.iter)
    }
}

/// As [`core::iter::Take`]: made by [`GreenIterator::take`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let two: green::iter::Take<_> = green::iter::from_std(1..).take(2);
///     assert_eq!(two.collect::<Vec<_>>().await, [1, 2]);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Take<I> {
    iter: I,
    n: usize,
}

impl<I> Take<I> {
    pub(super) fn new(iter: I, n: usize) -> Self {
        Take { iter, n }
    }
}

impl<I: GreenIterator> GreenIterator for Take<I> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        Green::new(async move {
            if self.n == 0 {
                return None;
            }
            self.n -= 1;
            self.iter.next().await
        })
    }
}

/// As [`core::iter::TakeWhile`]: made by [`GreenIterator::take_while`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let small: green::iter::TakeWhile<_, _> = green::iter::from_std([1, 5, 2]).take_while(|x| *x < 3);
///     assert_eq!(small.collect::<Vec<_>>().await, [1]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct TakeWhile<I, P> {
    iter: I,
    done: bool,
    predicate: P,
}

impl<I, P> TakeWhile<I, P> {
    pub(super) fn new(iter: I, predicate: P) -> Self {
        TakeWhile {
            iter,
            done: false,
            predicate,
        }
    }
}

impl<I: GreenIterator, P: FnMut(&I::Item) -> bool> GreenIterator for TakeWhile<I, P> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        Green::new(async move {
            if self.done {
                return None;
            }
            let item = self.iter.next().await?;
            if (self.predicate)(&item) {
                Some(item)
            } else {
                self.done = true;
                None
            }
        })
    }
}

impl<I: fmt::Debug, P> fmt::Debug for TakeWhile<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "TakeWhile", &self.iter)
    }
}

/// As [`core::iter::Skip`]: made by [`GreenIterator::skip`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let rest: green::iter::Skip<_> = green::iter::from_std(1..=3).skip(1);
///     assert_eq!(rest.collect::<Vec<_>>().await, [2, 3]);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Skip<I> {
    iter: I,
    n: usize,
}

impl<I> Skip<I> {
    pub(super) fn new(iter: I, n: usize) -> Self {
        Skip { iter, n }
    }
}

impl<I: GreenIterator> GreenIterator for Skip<I> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        // The first call skips `n` items and takes the next, as std.
        let n = core::mem::take(&mut self.n);
        self.iter.nth(n)
    }
}

/// As [`core::iter::SkipWhile`]: made by [`GreenIterator::skip_while`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let rest: green::iter::SkipWhile<_, _> = green::iter::from_std([0, 0, 3, 0]).skip_while(|x| *x == 0);
///     assert_eq!(rest.collect::<Vec<_>>().await, [3, 0]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct SkipWhile<I, P> {
    iter: I,
    done: bool,
    predicate: P,
}

impl<I, P> SkipWhile<I, P> {
    pub(super) fn new(iter: I, predicate: P) -> Self {
        SkipWhile {
            iter,
            done: false,
            predicate,
        }
    }
}

impl<I: GreenIterator, P: FnMut(&I::Item) -> bool> GreenIterator for SkipWhile<I, P> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        let done = &mut self.done;
        let predicate = &mut self.predicate;
        self.iter.find(move |item| {
            if *done || !predicate(item) {
                *done = true;
                true
            } else {
                false
            }
        })
    }
}

impl<I: fmt::Debug, P> fmt::Debug for SkipWhile<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "SkipWhile", &self.iter)
    }
}

/// As [`core::iter::MapWhile`]: made by [`GreenIterator::map_while`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let numbers: green::iter::MapWhile<_, _> =
///         green::iter::from_std(["1", "2", "x", "3"]).map_while(|w| w.parse::<u8>().ok());
///     assert_eq!(numbers.collect::<Vec<_>>().await, [1, 2]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct MapWhile<I, P> {
    iter: I,
    predicate: P,
}

impl<I, P> MapWhile<I, P> {
    pub(super) fn new(iter: I, predicate: P) -> Self {
        MapWhile { iter, predicate }
    }
}

impl<B, I: GreenIterator, P: FnMut(I::Item) -> Option<B>> GreenIterator for MapWhile<I, P> {
    type Item = B;

    fn next(&mut self) -> Green<impl Future<Output = Option<B>> + '_> {
        // Not fused, as std: a later call asks the inner iterator again.
        Green::new(async move { (self.predicate)(self.iter.next().await?) })
    }
}

impl<I: fmt::Debug, P> fmt::Debug for MapWhile<I, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "MapWhile", &self.iter)
    }
}

/// As [`core::iter::Enumerate`]: made by [`GreenIterator::enumerate`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let mut numbered: green::iter::Enumerate<_> = green::iter::from_std(['x']).enumerate();
///     assert_eq!(GreenIterator::next(&mut numbered).await, Some((0, 'x')));
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Enumerate<I> {
    iter: I,
    count: usize,
}

impl<I> Enumerate<I> {
    pub(super) fn new(iter: I) -> Self {
        Enumerate { iter, count: 0 }
    }
}

impl<I: GreenIterator> GreenIterator for Enumerate<I> {
    type Item = (usize, I::Item);

    fn next(&mut self) -> Green<impl Future<Output = Option<(usize, I::Item)>> + '_> {
        Green::new(async move {
            let item = self.iter.next().await?;
            let index = self.count;
            self.count += 1;
            Some((index, item))
        })
    }
}

/// As [`core::iter::Inspect`]: made by [`GreenIterator::inspect`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let mut log = Vec::new();
///     let logged: green::iter::Inspect<_, _> = green::iter::from_std([1, 2]).inspect(|x| log.push(*x));
///     logged.for_each(drop).await;
///     assert_eq!(log, [1, 2]);
/// });
/// ```
#[derive(Clone)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Inspect<I, F> {
    iter: I,
    f: F,
}

impl<I, F> Inspect<I, F> {
    pub(super) fn new(iter: I, f: F) -> Self {
        Inspect { iter, f }
    }
}

impl<I: GreenIterator, F: FnMut(&I::Item)> GreenIterator for Inspect<I, F> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        Green::new(async move {
            let item = self.iter.next().await;
            if let Some(item) = &item {
                (self.f)(item);
            }
            item
        })
    }
}

impl<I: fmt::Debug, F> fmt::Debug for Inspect<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_adapter(f, "Inspect", &self.iter)
    }
}

/// As [`core::iter::StepBy`]: made by [`GreenIterator::step_by`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let every_third: green::iter::StepBy<_> = green::iter::from_std(1..=7).step_by(3);
///     assert_eq!(every_third.collect::<Vec<_>>().await, [1, 4, 7]);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct StepBy<I> {
    iter: I,
    /// The step minus one: the items skipped between two given.
    skip: usize,
    first_take: bool,
}

impl<I> StepBy<I> {
    #[track_caller]
    pub(super) fn new(iter: I, step: usize) -> Self {
        assert!(step != 0);
        StepBy {
            iter,
            skip: step - 1,
            first_take: true,
        }
    }
}

impl<I: GreenIterator> GreenIterator for StepBy<I> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        let skip = if self.first_take { 0 } else { self.skip };
        self.first_take = false;
        self.iter.nth(skip)
    }
}

/// As [`core::iter::Fuse`]: made by [`GreenIterator::fuse`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let mut once: green::iter::Fuse<_> = green::iter::from_std(None::<u8>).fuse();
///     assert_eq!(GreenIterator::next(&mut once).await, None);
///     assert_eq!(GreenIterator::next(&mut once).await, None);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Fuse<I> {
    /// `None` once the iterator ended.
    iter: Option<I>,
}

impl<I> Fuse<I> {
    pub(super) fn new(iter: I) -> Self {
        Fuse { iter: Some(iter) }
    }
}

impl<I: GreenIterator> GreenIterator for Fuse<I> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        Green::new(next_or_clear(&mut self.iter))
    }
}

/// The next item of `slot`'s iterator; drops the iterator at its end, so that
/// it is never asked again (std's `and_then_or_clear`).
pub(super) async fn next_or_clear<I: GreenIterator>(slot: &mut Option<I>) -> Option<I::Item> {
    let item = slot.as_mut()?.next().await;
    if item.is_none() {
        *slot = None;
    }
    item
}
