//! The green `BufRead` trait.

use core::task::{Context, Poll};
use std::io;

use green_runtime::Green;

use super::futures::{FillBuf, ReadLine, ReadUntil};
use super::{Lines, Read, Split};

/// Green version of [`std::io::BufRead`]: a reader with an internal buffer,
/// which can read lines and up to a delimiter.
///
/// Same methods as std's; each blocking one returns `Green<impl Future>`,
/// awaited by itself in a `#[green]` body. [`lines`](BufRead::lines) and
/// [`split`](BufRead::split) give green iterators, which a `for` loop in a
/// `#[green]` body iterates like std's. It is implemented where std's is:
/// `&[u8]`, [`Cursor`](super::Cursor), `&mut B`, `Box<B>`,
/// [`BufReader`](super::BufReader), [`StdinLock`](super::StdinLock), ...
///
/// What differs from std: the required methods are
/// [`poll_fill_buf`](BufRead::poll_fill_buf) (std's `fill_buf` as a poll)
/// and [`consume`](BufRead::consume), and the green methods are provided
/// on top of them. As [`Read`], `BufRead` is dyn-compatible
/// (`&mut dyn BufRead`, `Box<dyn BufRead>`).
///
/// ```
/// use green::compat::io::{BufRead, BufReader};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let input: &[u8] = b"first\nsecond\r\nthird";
///     let mut lines = Vec::new();
///     for line in BufReader::new(input).lines() {
///         lines.push(line?);
///     }
///     assert_eq!(lines, ["first", "second", "third"]);
///     Ok(())
/// }
/// ```
pub trait BufRead: Read + AsDynBufRead {
    /// Gives the buffered bytes, reading more first if the buffer is empty
    /// and there are bytes to read now; otherwise `Pending`, having
    /// arranged for `cx`'s waker to be woken when it can go on. As std's,
    /// a buffer that holds bytes is given again, unchanged, by the next
    /// call. The poll form of std's [`fill_buf`](std::io::BufRead::fill_buf),
    /// to implement with [`consume`](BufRead::consume).
    ///
    /// ```
    /// use std::task::{Context, Poll};
    /// use green::compat::io::{self, BufRead, Read};
    ///
    /// /// Some text, served from itself.
    /// struct Text(&'static [u8]);
    ///
    /// impl Read for Text {
    ///     fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
    ///         let n = buf.len().min(self.0.len());
    ///         buf[..n].copy_from_slice(&self.0[..n]);
    ///         self.consume(n);
    ///         Poll::Ready(Ok(n))
    ///     }
    /// }
    ///
    /// impl BufRead for Text {
    ///     fn poll_fill_buf(&mut self, _: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
    ///         Poll::Ready(Ok(self.0))
    ///     }
    ///
    ///     fn consume(&mut self, amt: usize) {
    ///         self.0 = &self.0[amt..];
    ///     }
    /// }
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut lines = Vec::new();
    ///     for line in Text(b"one\ntwo\n").lines() {
    ///         lines.push(line?);
    ///     }
    ///     assert_eq!(lines, ["one", "two"]);
    ///     Ok(())
    /// }
    /// ```
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>>;

    /// Gives the buffered bytes, reading more first if the buffer is empty;
    /// an empty slice means the end of the stream. Call
    /// [`consume`](BufRead::consume) with how many were used. As
    /// [`std::io::BufRead::fill_buf`].
    ///
    /// ```
    /// use green::compat::io::BufRead;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"abc";
    ///     let available = input.fill_buf()?.len();
    ///     assert_eq!(available, 3);
    ///     input.consume(2);
    ///     assert_eq!(input.fill_buf()?, b"c");
    ///     Ok(())
    /// }
    /// ```
    fn fill_buf(&mut self) -> Green<FillBuf<'_>> {
        Green::new(FillBuf::new(self.as_dyn_buf_read()))
    }

    /// Marks `amt` bytes of the buffer as used, so that
    /// [`fill_buf`](BufRead::fill_buf) and reads do not give them again. Not
    /// blocking. As [`std::io::BufRead::consume`].
    ///
    /// ```
    /// use green::compat::io::{BufRead, Read};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"skip:keep";
    ///     input.consume(5);
    ///     let mut rest = String::new();
    ///     input.read_to_string(&mut rest)?;
    ///     assert_eq!(rest, "keep");
    ///     Ok(())
    /// }
    /// ```
    fn consume(&mut self, amt: usize);

    /// Reads bytes up to and including `byte` (or to the end of the stream),
    /// appends them to `buf` and gives how many were read; `Ok(0)` at the
    /// end. As [`std::io::BufRead::read_until`].
    ///
    /// ```
    /// use green::compat::io::BufRead;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"a,b";
    ///     let mut field = Vec::new();
    ///     assert_eq!(input.read_until(b',', &mut field)?, 2);
    ///     assert_eq!(field, b"a,");
    ///     Ok(())
    /// }
    /// ```
    fn read_until<'a>(&'a mut self, byte: u8, buf: &'a mut Vec<u8>) -> Green<ReadUntil<'a>> {
        Green::new(ReadUntil::new(self.as_dyn_buf_read(), byte, buf))
    }

    /// Reads one line, newline included, appends it to `buf` and gives how
    /// many bytes were read; `Ok(0)` at the end of the stream. Invalid UTF-8
    /// gives an [`ErrorKind::InvalidData`](super::ErrorKind::InvalidData)
    /// error. As [`std::io::BufRead::read_line`].
    ///
    /// ```
    /// use green::compat::io::BufRead;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"one\ntwo";
    ///     let mut line = String::new();
    ///     assert_eq!(input.read_line(&mut line)?, 4);
    ///     assert_eq!(line, "one\n");
    ///     line.clear();
    ///     assert_eq!(input.read_line(&mut line)?, 3);
    ///     assert_eq!(line, "two");
    ///     assert_eq!(input.read_line(&mut line)?, 0);
    ///     Ok(())
    /// }
    /// ```
    fn read_line<'a>(&'a mut self, buf: &'a mut String) -> Green<ReadLine<'a>> {
        Green::new(ReadLine::new(self.as_dyn_buf_read(), buf))
    }

    /// A green iterator over the lines of this reader, without their `\n` or
    /// `\r\n`, as [`std::io::BufRead::lines`]. Its `next` is green and gives
    /// `Option<io::Result<String>>`; a `for` loop in a `#[green]` body
    /// iterates it.
    ///
    /// ```
    /// use green::compat::io::{BufRead, Cursor};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut lines = Cursor::new("a\nb\n").lines();
    ///     assert_eq!(lines.next().unwrap().unwrap(), "a");
    ///     assert_eq!(lines.next().unwrap().unwrap(), "b");
    ///     assert!(lines.next().is_none());
    /// }
    /// ```
    fn lines(self) -> Lines<Self>
    where
        Self: Sized,
    {
        Lines::new(self)
    }

    /// A green iterator over the pieces of this reader separated by `byte`
    /// (the separator left out), as [`std::io::BufRead::split`]. Its `next`
    /// is green and gives `Option<io::Result<Vec<u8>>>`.
    ///
    /// ```
    /// use green::compat::io::{BufRead, Cursor};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut pieces = Vec::new();
    ///     for piece in Cursor::new("a;bc;").split(b';') {
    ///         pieces.push(piece?);
    ///     }
    ///     assert_eq!(pieces, [b"a".to_vec(), b"bc".to_vec()]);
    ///     Ok(())
    /// }
    /// ```
    fn split(self, byte: u8) -> Split<Self>
    where
        Self: Sized,
    {
        Split::new(self, byte)
    }
}

impl<B: BufRead + ?Sized> BufRead for &mut B {
    #[inline]
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        (**self).poll_fill_buf(cx)
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        (**self).consume(amt);
    }
}

impl<B: BufRead + ?Sized> BufRead for Box<B> {
    #[inline]
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        (**self).poll_fill_buf(cx)
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        (**self).consume(amt);
    }
}

/// A buffered reader as `&mut dyn BufRead`: what the green methods of
/// [`BufRead`] poll through, so that they are methods of `dyn BufRead`
/// too. Implemented for every (sized) buffered reader: nothing to
/// implement.
///
/// ```
/// use green::compat::io::{AsDynBufRead, BufRead};
///
/// let mut input: &[u8] = b"abc";
/// let reader: &mut dyn BufRead = input.as_dyn_buf_read();
/// # let _ = reader;
/// ```
pub trait AsDynBufRead {
    /// `self` as a trait object.
    ///
    /// See the [trait's example](AsDynBufRead).
    fn as_dyn_buf_read(&mut self) -> &mut dyn BufRead;
}

impl<B: BufRead> AsDynBufRead for B {
    #[inline]
    fn as_dyn_buf_read(&mut self) -> &mut dyn BufRead {
        self
    }
}
