//! The reader adapters of `Read`: `Take` and `Chain`.

use core::task::{Context, Poll, ready};
use std::io;

use super::{BufRead, Read};

/// Green version of [`std::io::Take`]: a reader that gives at most
/// `limit` bytes of another, made by [`Read::take`](super::Read::take).
///
/// It implements [`Read`](super::Read), and [`BufRead`](super::BufRead)
/// when the inner reader does.
///
/// ```
/// use green::compat::io::Read;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let input: &[u8] = b"header:body";
///     let mut header = String::new();
///     input.take(6).read_to_string(&mut header)?;
///     assert_eq!(header, "header");
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Take<R> {
    inner: R,
    limit: u64,
}

impl<R> Take<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Take { inner, limit }
    }

    /// How many bytes can still be read. As [`std::io::Take::limit`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let input: &[u8] = b"abcdef";
    ///     let mut first = input.take(4);
    ///     let mut two = [0u8; 2];
    ///     first.read_exact(&mut two)?;
    ///     assert_eq!(first.limit(), 2);
    ///     Ok(())
    /// }
    /// ```
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Sets how many bytes can still be read. As
    /// [`std::io::Take::set_limit`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let input: &[u8] = b"abcdef";
    ///     let mut limited = input.take(1);
    ///     limited.set_limit(3);
    ///     let mut text = String::new();
    ///     limited.read_to_string(&mut text)?;
    ///     assert_eq!(text, "abc");
    ///     Ok(())
    /// }
    /// ```
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = limit;
    }

    /// The reader inside. As [`std::io::Take::get_ref`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// let input: &[u8] = b"abc";
    /// let limited = input.take(1);
    /// assert_eq!(*limited.get_ref(), b"abc");
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The reader inside, mutably. As [`std::io::Take::get_mut`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Read};
    ///
    /// let mut limited = Cursor::new(b"abc").take(1);
    /// limited.get_mut().set_position(2);
    /// assert_eq!(limited.get_ref().position(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// Gives back the reader inside. As [`std::io::Take::into_inner`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let input: &[u8] = b"abcd";
    ///     let mut limited = input.take(2);
    ///     let mut two = [0u8; 2];
    ///     limited.read_exact(&mut two)?;
    ///     assert_eq!(limited.into_inner(), b"cd");
    ///     Ok(())
    /// }
    /// ```
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for Take<R> {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if self.limit == 0 {
            return Poll::Ready(Ok(0));
        }
        let max = usize::try_from(self.limit)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = ready!(self.inner.poll_read(cx, &mut buf[..max]))?;
        self.limit -= n as u64;
        Poll::Ready(Ok(n))
    }
}

impl<R: BufRead> BufRead for Take<R> {
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        if self.limit == 0 {
            return Poll::Ready(Ok(&[]));
        }
        let limit = self.limit;
        let available = ready!(self.inner.poll_fill_buf(cx))?;
        let len = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .min(available.len());
        Poll::Ready(Ok(&available[..len]))
    }

    fn consume(&mut self, amt: usize) {
        let amt = usize::try_from(self.limit).map_or(amt, |limit| amt.min(limit));
        self.limit -= amt as u64;
        self.inner.consume(amt);
    }
}

/// Green version of [`std::io::Chain`]: a reader that gives all of one
/// reader, then all of another, made by
/// [`Read::chain`](super::Read::chain).
///
/// It implements [`Read`](super::Read), and [`BufRead`](super::BufRead)
/// when both readers do.
///
/// ```
/// use green::compat::io::Read;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let head: &[u8] = b"hello ";
///     let tail: &[u8] = b"world";
///     let mut text = String::new();
///     head.chain(tail).read_to_string(&mut text)?;
///     assert_eq!(text, "hello world");
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Chain<T, U> {
    first: T,
    second: U,
    done_first: bool,
}

impl<T, U> Chain<T, U> {
    pub(crate) fn new(first: T, second: U) -> Self {
        Chain {
            first,
            second,
            done_first: false,
        }
    }

    /// The two readers. As [`std::io::Chain::get_ref`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// let chained = (&b"a"[..]).chain(&b"b"[..]);
    /// let (first, second) = chained.get_ref();
    /// assert_eq!((*first, *second), (&b"a"[..], &b"b"[..]));
    /// ```
    pub fn get_ref(&self) -> (&T, &U) {
        (&self.first, &self.second)
    }

    /// The two readers, mutably. As [`std::io::Chain::get_mut`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Read};
    ///
    /// let mut chained = Cursor::new(b"ab").chain(Cursor::new(b"cd"));
    /// chained.get_mut().0.set_position(1);
    /// assert_eq!(chained.get_ref().0.position(), 1);
    /// ```
    pub fn get_mut(&mut self) -> (&mut T, &mut U) {
        (&mut self.first, &mut self.second)
    }

    /// Gives back the two readers. As [`std::io::Chain::into_inner`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// let chained = (&b"a"[..]).chain(&b"b"[..]);
    /// let (first, second) = chained.into_inner();
    /// assert_eq!((first, second), (&b"a"[..], &b"b"[..]));
    /// ```
    pub fn into_inner(self) -> (T, U) {
        (self.first, self.second)
    }
}

impl<T: Read, U: Read> Read for Chain<T, U> {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if !self.done_first {
            match ready!(self.first.poll_read(cx, buf))? {
                0 if !buf.is_empty() => self.done_first = true,
                n => return Poll::Ready(Ok(n)),
            }
        }
        self.second.poll_read(cx, buf)
    }
}

impl<T: BufRead, U: BufRead> BufRead for Chain<T, U> {
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        if !self.done_first {
            match ready!(self.first.poll_fill_buf(cx))? {
                [] => self.done_first = true,
                // Polled again to give the borrow out: ready at once, as
                // the buffer holds bytes.
                _ => return self.first.poll_fill_buf(cx),
            }
        }
        self.second.poll_fill_buf(cx)
    }

    fn consume(&mut self, amt: usize) {
        if self.done_first {
            self.second.consume(amt);
        } else {
            self.first.consume(amt);
        }
    }
}
