//! The adapters that combine iterators or hold items back: chain, zip,
//! flatten, peek. Each mirrors its std namesake in `core::iter`.

use core::fmt;
use core::future::Future;

use super::GreenIterator;
use super::adapters::{Fuse, Map, next_or_clear};
use crate::green::Green;

/// As [`core::iter::Chain`]: made by [`GreenIterator::chain`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let both: green::iter::Chain<_, _> = green::iter::from_std([1]).chain(green::iter::from_std([2]));
///     assert_eq!(both.collect::<Vec<_>>().await, [1, 2]);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Chain<A, B> {
    /// `None` once the first iterator ended: it is never asked again.
    a: Option<A>,
    b: B,
}

impl<A, B> Chain<A, B> {
    pub(super) fn new(a: A, b: B) -> Self {
        Chain { a: Some(a), b }
    }
}

impl<A: GreenIterator, B: GreenIterator<Item = A::Item>> GreenIterator for Chain<A, B> {
    type Item = A::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<A::Item>> + '_> {
        Green::new(async move {
            match next_or_clear(&mut self.a).await {
                Some(item) => Some(item),
                None => self.b.next().await,
            }
        })
    }
}

/// As [`core::iter::Zip`]: made by [`GreenIterator::zip`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let pairs: green::iter::Zip<_, _> = green::iter::from_std([1]).zip(green::iter::from_std(['a']));
///     assert_eq!(pairs.collect::<Vec<_>>().await, [(1, 'a')]);
/// });
/// ```
#[derive(Clone, Debug)]
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Zip<A, B> {
    a: A,
    b: B,
}

impl<A, B> Zip<A, B> {
    pub(super) fn new(a: A, b: B) -> Self {
        Zip { a, b }
    }
}

impl<A: GreenIterator, B: GreenIterator> GreenIterator for Zip<A, B> {
    type Item = (A::Item, B::Item);

    fn next(&mut self) -> Green<impl Future<Output = Option<(A::Item, B::Item)>> + '_> {
        Green::new(async move {
            let a = self.a.next().await?;
            let b = self.b.next().await?;
            Some((a, b))
        })
    }
}

/// The state shared by [`Flatten`] and [`FlatMap`]: the outer green iterator
/// (fused, as std's) and the std iterator of its current item.
#[derive(Clone, Debug)]
struct Flattener<I, U> {
    outer: Fuse<I>,
    front: Option<U>,
}

impl<I, U> Flattener<I, U> {
    fn new(outer: I) -> Self {
        Flattener {
            outer: Fuse::new(outer),
            front: None,
        }
    }
}

impl<I, U> Flattener<I, U>
where
    I: GreenIterator<Item: IntoIterator<IntoIter = U>>,
    U: Iterator,
{
    async fn next(&mut self) -> Option<U::Item> {
        loop {
            if let Some(inner) = &mut self.front {
                match inner.next() {
                    None => self.front = None,
                    item => return item,
                }
            }
            self.front = Some(self.outer.next().await?.into_iter());
        }
    }
}

/// As [`core::iter::Flatten`]: made by [`GreenIterator::flatten`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let flat: green::iter::Flatten<_> = green::iter::from_std([Some(1), None, Some(2)]).flatten();
///     assert_eq!(flat.collect::<Vec<_>>().await, [1, 2]);
/// });
/// ```
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Flatten<I: GreenIterator<Item: IntoIterator>> {
    inner: Flattener<I, <I::Item as IntoIterator>::IntoIter>,
}

impl<I: GreenIterator<Item: IntoIterator>> Flatten<I> {
    pub(super) fn new(iter: I) -> Self {
        Flatten {
            inner: Flattener::new(iter),
        }
    }
}

impl<I: GreenIterator<Item: IntoIterator>> GreenIterator for Flatten<I> {
    type Item = <I::Item as IntoIterator>::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<Self::Item>> + '_> {
        Green::new(self.inner.next())
    }
}

impl<I> fmt::Debug for Flatten<I>
where
    I: GreenIterator<Item: IntoIterator<IntoIter: fmt::Debug>> + fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flatten")
            .field("inner", &self.inner)
            .finish()
    }
}

/// As [`core::iter::FlatMap`]: made by [`GreenIterator::flat_map`].
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let repeated: green::iter::FlatMap<_, _, _> =
///         green::iter::from_std(1..=2).flat_map(|n| vec![n; n]);
///     assert_eq!(repeated.collect::<Vec<_>>().await, [1, 2, 2]);
/// });
/// ```
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct FlatMap<I, U: IntoIterator, F> {
    inner: Flattener<Map<I, F>, U::IntoIter>,
}

impl<I, U: IntoIterator, F> FlatMap<I, U, F> {
    pub(super) fn new(iter: I, f: F) -> Self {
        FlatMap {
            inner: Flattener::new(Map::new(iter, f)),
        }
    }
}

impl<I: GreenIterator, U: IntoIterator, F: FnMut(I::Item) -> U> GreenIterator for FlatMap<I, U, F> {
    type Item = U::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<U::Item>> + '_> {
        Green::new(self.inner.next())
    }
}

impl<I: fmt::Debug, U: IntoIterator<IntoIter: fmt::Debug>, F> fmt::Debug for FlatMap<I, U, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlatMap")
            .field("inner", &self.inner)
            .finish()
    }
}

/// As [`core::iter::Peekable`]: made by [`GreenIterator::peekable`]; its
/// [`peek`](Peekable::peek) is green.
///
/// ```
/// use green::GreenIterator;
///
/// green::run(async {
///     let mut items: green::iter::Peekable<_> = green::iter::from_std([7]).peekable();
///     assert_eq!(items.peek().await, Some(&7));
///     assert_eq!(items.count().await, 1);
/// });
/// ```
#[must_use = "green iterators are lazy and do nothing unless consumed"]
pub struct Peekable<I: GreenIterator> {
    iter: I,
    /// The item `peek` took from `iter`: `Some(None)` if it saw the end.
    peeked: Option<Option<I::Item>>,
}

impl<I: GreenIterator> Peekable<I> {
    pub(super) fn new(iter: I) -> Self {
        Peekable { iter, peeked: None }
    }

    /// As [`core::iter::Peekable::peek`] (green): the next item, without
    /// consuming it; waits for it the first time.
    ///
    /// ```
    /// use green::GreenIterator;
    /// use green::compat::io::{BufRead, Cursor};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut lines = Cursor::new("a\n").lines().map(Result::unwrap).peekable();
    ///     assert_eq!(lines.peek().map(String::as_str), Some("a"));
    ///     assert_eq!(lines.peek().map(String::as_str), Some("a"));
    ///     assert_eq!(lines.count(), 1);
    /// }
    /// ```
    pub fn peek(&mut self) -> Green<impl Future<Output = Option<&I::Item>> + '_> {
        Green::new(async move { self.peeked().await.as_ref() })
    }

    /// As [`core::iter::Peekable::peek_mut`] (green): the next item, to
    /// change in place before it is consumed.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std([1, 2]).peekable();
    ///     if let Some(first) = items.peek_mut().await {
    ///         *first = 10;
    ///     }
    ///     assert_eq!(items.collect::<Vec<_>>().await, [10, 2]);
    /// });
    /// ```
    pub fn peek_mut(&mut self) -> Green<impl Future<Output = Option<&mut I::Item>> + '_> {
        Green::new(async move { self.peeked().await.as_mut() })
    }

    /// As [`core::iter::Peekable::next_if`] (green): the next item if `func`
    /// is true for it; otherwise it stays, to be peeked or taken later.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std([0, 0, 5]).peekable();
    ///     while items.next_if(|x| *x == 0).await.is_some() {}
    ///     assert_eq!(items.peek().await, Some(&5));
    /// });
    /// ```
    pub fn next_if(
        &mut self,
        func: impl FnOnce(&I::Item) -> bool,
    ) -> Green<impl Future<Output = Option<I::Item>>> {
        Green::new(async move {
            match self.next().await {
                Some(item) if func(&item) => Some(item),
                other => {
                    self.peeked = Some(other);
                    None
                }
            }
        })
    }

    /// As [`core::iter::Peekable::next_if_eq`] (green): the next item if it
    /// equals `expected`.
    ///
    /// ```
    /// use green::GreenIterator;
    ///
    /// green::run(async {
    ///     let mut items = green::iter::from_std(["-v", "file"]).peekable();
    ///     assert_eq!(items.next_if_eq(&"-v").await, Some("-v"));
    ///     assert_eq!(items.next_if_eq(&"-v").await, None);
    ///     assert_eq!(items.count().await, 1);
    /// });
    /// ```
    pub fn next_if_eq<'a, T>(
        &'a mut self,
        expected: &'a T,
    ) -> Green<impl Future<Output = Option<I::Item>> + 'a>
    where
        T: ?Sized,
        I::Item: PartialEq<T>,
    {
        self.next_if(move |item| item == expected)
    }

    /// The slot of the peeked item, filled from the iterator if empty.
    async fn peeked(&mut self) -> &mut Option<I::Item> {
        if self.peeked.is_none() {
            self.peeked = Some(self.iter.next().await);
        }
        // Filled just above: `get_or_insert` only unwraps the slot.
        self.peeked.get_or_insert(None)
    }
}

impl<I: GreenIterator> GreenIterator for Peekable<I> {
    type Item = I::Item;

    fn next(&mut self) -> Green<impl Future<Output = Option<I::Item>> + '_> {
        Green::new(async move {
            match self.peeked.take() {
                Some(peeked) => peeked,
                None => self.iter.next().await,
            }
        })
    }
}

impl<I: GreenIterator<Item: fmt::Debug> + fmt::Debug> fmt::Debug for Peekable<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Peekable")
            .field("iter", &self.iter)
            .field("peeked", &self.peeked)
            .finish()
    }
}
