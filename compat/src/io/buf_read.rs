//! The green `BufRead` trait.

use core::future::Future;
use std::io;

use green_runtime::Green;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use super::{Lines, Read, Split};

/// Green version of [`std::io::BufRead`]: a reader with an internal buffer,
/// which can read lines and up to a delimiter.
///
/// Same methods as std's; each blocking one returns `Green<impl Future>`,
/// awaited by itself in a `#[green]` body. [`lines`](BufRead::lines) and
/// [`split`](BufRead::split) give green iterators, which a `for` loop in a
/// `#[green]` body iterates like std's. It is implemented for every
/// `tokio::io::AsyncBufRead + Unpin` type: `&[u8]`,
/// [`Cursor`](super::Cursor), [`BufReader`](super::BufReader), ...
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
pub trait BufRead: Read {
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
    fn fill_buf(&mut self) -> Green<impl Future<Output = io::Result<&[u8]>>>;

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
    fn read_until(
        &mut self,
        byte: u8,
        buf: &mut Vec<u8>,
    ) -> Green<impl Future<Output = io::Result<usize>>>;

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
    fn read_line(&mut self, buf: &mut String) -> Green<impl Future<Output = io::Result<usize>>>;

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

impl<B: AsyncBufRead + Unpin + ?Sized> BufRead for B {
    #[inline]
    fn fill_buf(&mut self) -> Green<impl Future<Output = io::Result<&[u8]>>> {
        Green::new(AsyncBufReadExt::fill_buf(self))
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        AsyncBufReadExt::consume(self, amt);
    }

    #[inline]
    fn read_until(
        &mut self,
        byte: u8,
        buf: &mut Vec<u8>,
    ) -> Green<impl Future<Output = io::Result<usize>>> {
        Green::new(async move { AsyncBufReadExt::read_until(self, byte, buf).await })
    }

    #[inline]
    fn read_line(&mut self, buf: &mut String) -> Green<impl Future<Output = io::Result<usize>>> {
        Green::new(async move { AsyncBufReadExt::read_line(self, buf).await })
    }
}
