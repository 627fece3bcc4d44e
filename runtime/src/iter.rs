//! Green iterators: [`GreenIterator`], std's [`Iterator`] for sequences whose
//! `next` is green work, and its adapters.
//!
//! `Lines`, `Incoming`, `ReadDir`, mpsc's `Iter`, [`IWait`](crate::IWait),
//! [`IMap`](crate::IMap), the queue iterators, .. wait for each item, so
//! their `next` returns [`Green`] instead of an `Option`. `GreenIterator`
//! gives them std's adapter chains with std's names, argument shapes and
//! semantics: adapters (`map`, `filter`, `take`, ..) are plain and lazy and
//! return the structs of this module; consumers (`collect`, `count`, `nth`,
//! `fold`, ..) are green work, awaited in a `#[green]` body and with `.await`
//! in async code.
//!
//! ```
//! use green::GreenIterator;
//! use green::compat::io::{BufRead, Cursor};
//!
//! #[green::main]
//! fn main() {
//!     let request = Cursor::new("GET / HTTP/1.1\r\nHost: x\r\n\r\nbody");
//!     let head = request
//!         .lines()
//!         .map(|line| line.unwrap())
//!         .take_while(|line| !line.is_empty())
//!         .collect::<Vec<_>>();
//!     assert_eq!(head, ["GET / HTTP/1.1", "Host: x"]);
//! }
//! ```

use core::fmt;
use core::future::Future;
use core::iter::{Product, Sum};
use core::ops::ControlFlow;

use crate::green::Green;

mod adapters;
mod combine;

pub use self::adapters::{
    Enumerate, Filter, FilterMap, Fuse, Inspect, Map, MapWhile, Skip, SkipWhile, StepBy, Take,
    TakeWhile,
};
pub use self::combine::{Chain, FlatMap, Flatten, Peekable, Zip};

/// std's [`Iterator`] for green iterators: a sequence whose
/// [`next`](GreenIterator::next) is green work.
///
/// Only `next` is required. The adapters are plain and lazy, as std's: they
/// take plain `FnMut` closures and return the structs of [`green::iter`](self),
/// which are green iterators themselves. The consumers return [`Green`]
/// work: a `#[green]` body awaits them by itself, async code writes `.await`.
/// Each method pulls exactly the items its std namesake pulls: `take(n)` stops
/// after `n` without asking for one more, `take_while` consumes the first
/// item that fails, `nth(n)` consumes `n + 1`, `any` stops at the first match.
///
/// `collect`, `sum` and `product` are the exception: a [`FromIterator`],
/// [`Sum`] or [`Product`] builds its value from a std iterator, which cannot
/// wait, so these pull every item first and then build. Collecting into a
/// `Result` or an `Option` gives std's value, but the items after the first
/// `Err` or `None` are pulled too; use [`map_while`](GreenIterator::map_while)
/// or [`find`](GreenIterator::find) to stop there.
///
/// ```
/// use green::GreenIterator;
///
/// #[green::main]
/// fn main() {
///     let queue = green::Queue::new();
///     for n in 1..=6 {
///         queue.put(n).unwrap();
///     }
///     queue.close();
///     let evens = queue.iter().filter(|n| n % 2 == 0).collect::<Vec<_>>();
///     assert_eq!(evens, [2, 4, 6]);
/// }
/// ```
///
/// A green iterator of your own implements `next` and gets the rest:
///
/// ```
/// use std::future::Future;
/// use std::time::Duration;
/// use green::{Green, GreenIterator};
///
/// /// Counts down from `left`, a millisecond per step.
/// struct Countdown {
///     left: u32,
/// }
///
/// impl GreenIterator for Countdown {
///     type Item = u32;
///
///     fn next(&mut self) -> Green<impl Future<Output = Option<u32>> + '_> {
///         Green::new(async move {
///             if self.left == 0 {
///                 return None;
///             }
///             green::sleep(Duration::from_millis(1)).await;
///             self.left -= 1;
///             Some(self.left)
///         })
///     }
/// }
///
/// #[green::main]
/// fn main() {
///     assert_eq!(Countdown { left: 3 }.collect::<Vec<_>>(), [2, 1, 0]);
///     assert_eq!(Countdown { left: 5 }.step_by(2).count(), 3);
/// }
/// ```
pub trait GreenIterator {
    /// The type of the items.
    type Item;

    /// The next item, `None` at the end. Green: waits until the item is
    /// there.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std(["a"]);
    ///     assert_eq!(GreenIterator::next(&mut items).await, Some("a"));
    ///     assert_eq!(GreenIterator::next(&mut items).await, None);
    /// });
    /// ```
    fn next(&mut self) -> Green<impl Future<Output = Option<Self::Item>> + '_>;

    /// As [`Iterator::map`]: each item passed through `f`.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let v: Vec<_> = green::iter::from_std(1..=3).map(|x| x * 10).collect().await;
    ///     assert_eq!(v, [10, 20, 30]);
    /// });
    /// ```
    fn map<B, F>(self, f: F) -> Map<Self, F>
    where
        Self: Sized,
        F: FnMut(Self::Item) -> B,
    {
        Map::new(self, f)
    }

    /// As [`Iterator::filter`]: the items for which `predicate` is true.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let v: Vec<_> = green::iter::from_std(1..=6).filter(|x| x % 3 == 0).collect().await;
    ///     assert_eq!(v, [3, 6]);
    /// });
    /// ```
    fn filter<P>(self, predicate: P) -> Filter<Self, P>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        Filter::new(self, predicate)
    }

    /// As [`Iterator::filter_map`]: the `Some` values that `f` gives.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let words = green::iter::from_std(["1", "x", "3"]);
    ///     let v: Vec<u32> = words.filter_map(|w| w.parse().ok()).collect().await;
    ///     assert_eq!(v, [1, 3]);
    /// });
    /// ```
    fn filter_map<B, F>(self, f: F) -> FilterMap<Self, F>
    where
        Self: Sized,
        F: FnMut(Self::Item) -> Option<B>,
    {
        FilterMap::new(self, f)
    }

    /// As [`Iterator::take`]: the first `n` items; the `n + 1`th is never
    /// asked for.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std(1..=5);
    ///     let v: Vec<_> = items.by_ref().take(2).collect().await;
    ///     assert_eq!(v, [1, 2]);
    ///     assert_eq!(GreenIterator::next(&mut items).await, Some(3));
    /// });
    /// ```
    fn take(self, n: usize) -> Take<Self>
    where
        Self: Sized,
    {
        Take::new(self, n)
    }

    /// As [`Iterator::take_while`]: the items up to the first for which
    /// `predicate` is false; that item is consumed and dropped.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std([1, 2, 9, 3]);
    ///     let v: Vec<_> = items.by_ref().take_while(|x| *x < 5).collect().await;
    ///     assert_eq!(v, [1, 2]);
    ///     assert_eq!(GreenIterator::next(&mut items).await, Some(3));
    /// });
    /// ```
    fn take_while<P>(self, predicate: P) -> TakeWhile<Self, P>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        TakeWhile::new(self, predicate)
    }

    /// As [`Iterator::skip`]: all but the first `n` items.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let v: Vec<_> = green::iter::from_std(1..=4).skip(2).collect().await;
    ///     assert_eq!(v, [3, 4]);
    /// });
    /// ```
    fn skip(self, n: usize) -> Skip<Self>
    where
        Self: Sized,
    {
        Skip::new(self, n)
    }

    /// As [`Iterator::skip_while`]: the items from the first for which
    /// `predicate` is false on.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let v: Vec<_> = green::iter::from_std([1, 2, 7, 1]).skip_while(|x| *x < 5).collect().await;
    ///     assert_eq!(v, [7, 1]);
    /// });
    /// ```
    fn skip_while<P>(self, predicate: P) -> SkipWhile<Self, P>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        SkipWhile::new(self, predicate)
    }

    /// As [`Iterator::map_while`]: the values `predicate` gives, up to its
    /// first `None`.
    ///
    /// ```
    /// use green::GreenIterator;
    /// use green::compat::io::{BufRead, Cursor};
    ///
    /// green::run(async {
    ///     let lines = Cursor::new("a\nb\n").lines();
    ///     let v: Vec<String> = lines.map_while(Result::ok).collect().await;
    ///     assert_eq!(v, ["a", "b"]);
    /// });
    /// ```
    fn map_while<B, P>(self, predicate: P) -> MapWhile<Self, P>
    where
        Self: Sized,
        P: FnMut(Self::Item) -> Option<B>,
    {
        MapWhile::new(self, predicate)
    }

    /// As [`Iterator::enumerate`]: each item with its index, from 0.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let v: Vec<_> = green::iter::from_std(['a', 'b']).enumerate().collect().await;
    ///     assert_eq!(v, [(0, 'a'), (1, 'b')]);
    /// });
    /// ```
    fn enumerate(self) -> Enumerate<Self>
    where
        Self: Sized,
    {
        Enumerate::new(self)
    }

    /// As [`Iterator::inspect`]: calls `f` on each item as it passes.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut seen = Vec::new();
    ///     let n = green::iter::from_std(1..=3).inspect(|x| seen.push(*x)).count().await;
    ///     assert_eq!((n, seen), (3, vec![1, 2, 3]));
    /// });
    /// ```
    fn inspect<F>(self, f: F) -> Inspect<Self, F>
    where
        Self: Sized,
        F: FnMut(&Self::Item),
    {
        Inspect::new(self, f)
    }

    /// As [`Iterator::step_by`]: the first item, then every `step`th.
    ///
    /// # Panics
    ///
    /// If `step` is 0, as std.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let v: Vec<_> = green::iter::from_std(0..10).step_by(4).collect().await;
    ///     assert_eq!(v, [0, 4, 8]);
    /// });
    /// ```
    #[track_caller]
    fn step_by(self, step: usize) -> StepBy<Self>
    where
        Self: Sized,
    {
        StepBy::new(self, step)
    }

    /// As [`Iterator::chain`]: the items of `self`, then those of `other`
    /// (another green iterator).
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let both = green::iter::from_std([1, 2]).chain(green::iter::from_std([3]));
    ///     assert_eq!(both.collect::<Vec<_>>().await, [1, 2, 3]);
    /// });
    /// ```
    fn chain<U>(self, other: U) -> Chain<Self, U>
    where
        Self: Sized,
        U: GreenIterator<Item = Self::Item>,
    {
        Chain::new(self, other)
    }

    /// As [`Iterator::zip`]: pairs of an item of `self` and one of `other`
    /// (another green iterator), ending with the shorter. When `self` ends
    /// first, `other` is not asked for one more item.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let pairs = green::iter::from_std([1, 2, 3]).zip(green::iter::from_std("ab".chars()));
    ///     assert_eq!(pairs.collect::<Vec<_>>().await, [(1, 'a'), (2, 'b')]);
    /// });
    /// ```
    fn zip<U>(self, other: U) -> Zip<Self, U>
    where
        Self: Sized,
        U: GreenIterator,
    {
        Zip::new(self, other)
    }

    /// As [`Iterator::flat_map`]: the items of the std iterables that `f`
    /// gives, one after the other.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let words = green::iter::from_std(["ab", "c"]);
    ///     let v: String = words.flat_map(|w| w.chars()).collect().await;
    ///     assert_eq!(v, "abc");
    /// });
    /// ```
    fn flat_map<U, F>(self, f: F) -> FlatMap<Self, U, F>
    where
        Self: Sized,
        U: IntoIterator,
        F: FnMut(Self::Item) -> U,
    {
        FlatMap::new(self, f)
    }

    /// As [`Iterator::flatten`]: the items of each item, a std iterable.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let nested = green::iter::from_std([vec![1], vec![], vec![2, 3]]);
    ///     assert_eq!(nested.flatten().collect::<Vec<_>>().await, [1, 2, 3]);
    /// });
    /// ```
    fn flatten(self) -> Flatten<Self>
    where
        Self: Sized,
        Self::Item: IntoIterator,
    {
        Flatten::new(self)
    }

    /// As [`Iterator::peekable`]: adds a green [`peek`](Peekable::peek).
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std([1, 2]).peekable();
    ///     assert_eq!(items.peek().await, Some(&1));
    ///     assert_eq!(GreenIterator::next(&mut items).await, Some(1));
    /// });
    /// ```
    fn peekable(self) -> Peekable<Self>
    where
        Self: Sized,
    {
        Peekable::new(self)
    }

    /// As [`Iterator::fuse`]: `None` for ever once `self` gave `None`.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std([1]).fuse();
    ///     assert_eq!(GreenIterator::next(&mut items).await, Some(1));
    ///     assert_eq!(GreenIterator::next(&mut items).await, None);
    ///     assert_eq!(GreenIterator::next(&mut items).await, None);
    /// });
    /// ```
    fn fuse(self) -> Fuse<Self>
    where
        Self: Sized,
    {
        Fuse::new(self)
    }

    /// As [`Iterator::by_ref`]: borrows the iterator, so that an adapter or
    /// consumer can use part of it and the rest stays.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std(1..=4);
    ///     let first: Vec<_> = items.by_ref().take(1).collect().await;
    ///     let rest: Vec<_> = items.collect().await;
    ///     assert_eq!((first, rest), (vec![1], vec![2, 3, 4]));
    /// });
    /// ```
    fn by_ref(&mut self) -> &mut Self
    where
        Self: Sized,
    {
        self
    }

    /// As [`Iterator::collect`] (green): every item, gathered into a `B`.
    /// The items are all pulled before `B` is built; see the trait's docs.
    ///
    /// ```
    /// use std::collections::BTreeSet;
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let set: BTreeSet<_> = green::iter::from_std([3, 1, 3]).collect().await;
    ///     assert_eq!(set.into_iter().collect::<Vec<_>>(), [1, 3]);
    /// });
    /// ```
    fn collect<B>(self) -> Green<impl Future<Output = B>>
    where
        Self: Sized,
        B: FromIterator<Self::Item>,
    {
        Green::new(async move { B::from_iter(gather(self).await) })
    }

    /// As [`Iterator::count`] (green): the number of items, all consumed.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert_eq!(green::iter::from_std(0..7).count().await, 7);
    /// });
    /// ```
    fn count(self) -> Green<impl Future<Output = usize>>
    where
        Self: Sized,
    {
        self.fold(0, |n, _| n + 1)
    }

    /// As [`Iterator::last`] (green): the last item, all consumed.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert_eq!(green::iter::from_std(0..7).last().await, Some(6));
    /// });
    /// ```
    fn last(self) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
    {
        self.fold(None, |_, item| Some(item))
    }

    /// As [`Iterator::nth`] (green): the item at index `n`; that item and
    /// the `n` before it are consumed.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std(0..5);
    ///     assert_eq!(items.nth(1).await, Some(1));
    ///     assert_eq!(items.nth(1).await, Some(3));
    ///     assert_eq!(items.nth(1).await, None);
    /// });
    /// ```
    fn nth(&mut self, n: usize) -> Green<impl Future<Output = Option<Self::Item>>> {
        let mut left = n;
        self.search(move |item| {
            if left == 0 {
                ControlFlow::Break(item)
            } else {
                left -= 1;
                ControlFlow::Continue(())
            }
        })
    }

    /// As [`Iterator::for_each`] (green): calls `f` on every item.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut total = 0;
    ///     green::iter::from_std(1..=4).for_each(|x| total += x).await;
    ///     assert_eq!(total, 10);
    /// });
    /// ```
    fn for_each<F>(self, mut f: F) -> Green<impl Future<Output = ()>>
    where
        Self: Sized,
        F: FnMut(Self::Item),
    {
        self.fold((), move |(), item| f(item))
    }

    /// As [`Iterator::fold`] (green): `f` applied to an accumulator, from
    /// `init`, and each item in turn.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let s = green::iter::from_std(1..=3).fold(String::new(), |s, x| s + &x.to_string()).await;
    ///     assert_eq!(s, "123");
    /// });
    /// ```
    fn fold<B, F>(mut self, init: B, mut f: F) -> Green<impl Future<Output = B>>
    where
        Self: Sized,
        F: FnMut(B, Self::Item) -> B,
    {
        Green::new(async move {
            let mut accumulator = init;
            while let Some(item) = self.next().await {
                accumulator = f(accumulator, item);
            }
            accumulator
        })
    }

    /// As [`Iterator::any`] (green): whether `f` is true for an item; stops
    /// at the first.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std(1..=5);
    ///     assert!(items.any(|x| x == 2).await);
    ///     assert_eq!(GreenIterator::next(&mut items).await, Some(3));
    /// });
    /// ```
    fn any<F>(&mut self, mut f: F) -> Green<impl Future<Output = bool>>
    where
        Self: Sized,
        F: FnMut(Self::Item) -> bool,
    {
        let found = self.search(move |item| break_if(f(item), ()));
        Green::new(async move { found.await.is_some() })
    }

    /// As [`Iterator::all`] (green): whether `f` is true for every item;
    /// stops at the first for which it is false.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert!(green::iter::from_std([2, 4]).all(|x| x % 2 == 0).await);
    ///     assert!(!green::iter::from_std([2, 5]).all(|x| x % 2 == 0).await);
    /// });
    /// ```
    fn all<F>(&mut self, mut f: F) -> Green<impl Future<Output = bool>>
    where
        Self: Sized,
        F: FnMut(Self::Item) -> bool,
    {
        let failed = self.search(move |item| break_if(!f(item), ()));
        Green::new(async move { failed.await.is_none() })
    }

    /// As [`Iterator::find`] (green): the first item for which `predicate`
    /// is true; the items up to it are consumed.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert_eq!(green::iter::from_std(1..10).find(|x| x * x > 10).await, Some(4));
    /// });
    /// ```
    fn find<P>(&mut self, mut predicate: P) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        P: FnMut(&Self::Item) -> bool,
    {
        self.search(move |item| break_if(predicate(&item), item))
    }

    /// As [`Iterator::find_map`] (green): the first `Some` value that `f`
    /// gives.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut words = green::iter::from_std(["x", "7", "8"]);
    ///     assert_eq!(words.find_map(|w| w.parse::<u8>().ok()).await, Some(7));
    /// });
    /// ```
    fn find_map<B, F>(&mut self, mut f: F) -> Green<impl Future<Output = Option<B>>>
    where
        Self: Sized,
        F: FnMut(Self::Item) -> Option<B>,
    {
        self.search(move |item| match f(item) {
            Some(value) => ControlFlow::Break(value),
            None => ControlFlow::Continue(()),
        })
    }

    /// As [`Iterator::position`] (green): the index of the first item for
    /// which `predicate` is true.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert_eq!(green::iter::from_std("abc".chars()).position(|c| c == 'c').await, Some(2));
    /// });
    /// ```
    fn position<P>(&mut self, mut predicate: P) -> Green<impl Future<Output = Option<usize>>>
    where
        Self: Sized,
        P: FnMut(Self::Item) -> bool,
    {
        let mut index = 0;
        self.search(move |item| {
            let found = break_if(predicate(item), index);
            index += 1;
            found
        })
    }

    /// As [`Iterator::max`] (green): the largest item, the last of them if
    /// several are equal.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert_eq!(green::iter::from_std([3, 9, 4]).max().await, Some(9));
    /// });
    /// ```
    fn max(self) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        Self::Item: Ord,
    {
        self.fold(None, |best, item| match best {
            Some(best) if item < best => Some(best),
            _ => Some(item),
        })
    }

    /// As [`Iterator::min`] (green): the smallest item, the first of them if
    /// several are equal.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     assert_eq!(green::iter::from_std([3, 9, 4]).min().await, Some(3));
    /// });
    /// ```
    fn min(self) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        Self::Item: Ord,
    {
        self.fold(None, |best, item| match best {
            Some(best) if item >= best => Some(best),
            _ => Some(item),
        })
    }

    /// As [`Iterator::max_by_key`] (green): the item with the largest key,
    /// the last of them if several are equal.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let words = green::iter::from_std(["ab", "c", "de"]);
    ///     assert_eq!(words.max_by_key(|w| w.len()).await, Some("de"));
    /// });
    /// ```
    fn max_by_key<B, F>(self, f: F) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        B: Ord,
        F: FnMut(&Self::Item) -> B,
    {
        self.best_by_key(f, |best, new| new >= best)
    }

    /// As [`Iterator::min_by_key`] (green): the item with the smallest key,
    /// the first of them if several are equal.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let words = green::iter::from_std(["ab", "c", "d"]);
    ///     assert_eq!(words.min_by_key(|w| w.len()).await, Some("c"));
    /// });
    /// ```
    fn min_by_key<B, F>(self, f: F) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        B: Ord,
        F: FnMut(&Self::Item) -> B,
    {
        self.best_by_key(f, |best, new| new < best)
    }

    /// As [`Iterator::sum`] (green): the items added up. The items are all
    /// pulled first; see the trait's docs.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let total: u32 = green::iter::from_std(1..=4).sum().await;
    ///     assert_eq!(total, 10);
    /// });
    /// ```
    fn sum<S>(self) -> Green<impl Future<Output = S>>
    where
        Self: Sized,
        S: Sum<Self::Item>,
    {
        Green::new(async move { S::sum(gather(self).await.into_iter()) })
    }

    /// As [`Iterator::product`] (green): the items multiplied. The items
    /// are all pulled first; see the trait's docs.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let factorial: u64 = green::iter::from_std(1..=5).product().await;
    ///     assert_eq!(factorial, 120);
    /// });
    /// ```
    fn product<P>(self) -> Green<impl Future<Output = P>>
    where
        Self: Sized,
        P: Product<Self::Item>,
    {
        Green::new(async move { P::product(gather(self).await.into_iter()) })
    }
}

/// The loop behind the consumers that may stop early (std's `try_fold`):
/// pulls items until `f` breaks, and gives the break value.
trait Search: GreenIterator {
    fn search<R>(
        &mut self,
        f: impl FnMut(Self::Item) -> ControlFlow<R>,
    ) -> Green<impl Future<Output = Option<R>>>;

    /// The loop behind `max_by_key` and `min_by_key`: keeps the item for
    /// which `better(best key, new key)` says so.
    fn best_by_key<B, F>(
        self,
        key: F,
        better: fn(&B, &B) -> bool,
    ) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        F: FnMut(&Self::Item) -> B;
}

impl<I: GreenIterator + ?Sized> Search for I {
    fn search<R>(
        &mut self,
        mut f: impl FnMut(Self::Item) -> ControlFlow<R>,
    ) -> Green<impl Future<Output = Option<R>>> {
        Green::new(async move {
            while let Some(item) = self.next().await {
                if let ControlFlow::Break(value) = f(item) {
                    return Some(value);
                }
            }
            None
        })
    }

    fn best_by_key<B, F>(
        self,
        mut key: F,
        better: fn(&B, &B) -> bool,
    ) -> Green<impl Future<Output = Option<Self::Item>>>
    where
        Self: Sized,
        F: FnMut(&Self::Item) -> B,
    {
        let best = self.fold(None, move |best: Option<(B, Self::Item)>, item| {
            let new = key(&item);
            match best {
                Some((best_key, best_item)) if !better(&best_key, &new) => {
                    Some((best_key, best_item))
                }
                _ => Some((new, item)),
            }
        });
        Green::new(async move { best.await.map(|(_, item)| item) })
    }
}

/// `Break(value)` if `condition`, else `Continue`.
fn break_if<R>(condition: bool, value: R) -> ControlFlow<R> {
    if condition {
        ControlFlow::Break(value)
    } else {
        ControlFlow::Continue(())
    }
}

/// Every item, in order: what `collect`, `sum` and `product` build from.
async fn gather<I: GreenIterator>(iter: I) -> Vec<I::Item> {
    iter.fold(Vec::new(), |mut items, item| {
        items.push(item);
        items
    })
    .await
}

impl<I: GreenIterator + ?Sized> GreenIterator for &mut I {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        (**self).next()
    }
}

/// A std iterator as a green iterator (whose items are there at once): made
/// by [`from_std`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let items: green::iter::FromStd<_> = green::iter::from_std(vec![1, 2]);
///     assert_eq!(items.count().await, 2);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct FromStd<I> {
    iter: I,
}

/// Turns a std iterable into a green iterator, to chain or zip it with green
/// ones or to try an adapter chain. Its `next` never waits.
///
/// ```
/// use green::GreenIterator;
/// use green::compat::io::{BufRead, Cursor};
///
/// green::run(async {
///     let lines = Cursor::new("a\nb\n").lines().map(Result::unwrap);
///     let numbered: Vec<_> = green::iter::from_std(1..).zip(lines).collect().await;
///     assert_eq!(numbered, [(1, "a".to_string()), (2, "b".to_string())]);
/// });
/// ```
pub fn from_std<I: IntoIterator>(iter: I) -> FromStd<I::IntoIter> {
    FromStd {
        iter: iter.into_iter(),
    }
}

impl<I: Iterator> GreenIterator for FromStd<I> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        Green::new(core::future::ready(self.iter.next()))
    }
}

/// `Debug` for an adapter holding a closure: its name and inner iterator.
fn debug_adapter(f: &mut fmt::Formatter<'_>, name: &str, iter: &dyn fmt::Debug) -> fmt::Result {
    f.debug_struct(name)
        .field("iter", iter)
        .finish_non_exhaustive()
}
