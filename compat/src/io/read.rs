//! The green `Read` trait.

use core::task::{Context, Poll};
use std::io;

use green_runtime::Green;

use super::futures::{ReadExact, ReadSome, ReadToEnd, ReadToString};
use super::{Bytes, Chain, Take};

/// Green version of [`std::io::Read`]: a source of bytes whose reads block
/// the green task, not the thread.
///
/// Same methods as std's; each blocking one returns `Green<impl Future>`,
/// awaited by itself in a `#[green]` body. It is implemented where std's
/// is: `&[u8]`, [`Cursor`](super::Cursor), `VecDeque<u8>`, `&mut R`,
/// `Box<R>`, and compat's readers ([`TcpStream`](crate::net::TcpStream),
/// [`File`](crate::fs::File), [`BufReader`](super::BufReader), ...).
///
/// What differs from std: the one required method is
/// [`poll_read`](Read::poll_read), std's `read` as a poll (ready with the
/// bytes, or pending with the task's waker kept to be woken when they
/// come); the green methods are provided on top of it. So a type of your
/// own implements `poll_read` (its [`AsDynRead`](super::AsDynRead) comes
/// with it). `Read` is dyn-compatible, as std's: `Box<dyn Read>` and
/// `&mut dyn Read` read with the same calls. For that the green methods
/// return named futures ([`futures`](super::futures)) which poll the reader
/// as `&mut dyn Read`: a vtable call per poll, no allocation; those futures
/// are not `Send`.
///
/// ```
/// use green::compat::io::Read;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut input: &[u8] = b"hello world";
///     let mut word = [0u8; 5];
///     input.read_exact(&mut word)?;
///     assert_eq!(&word, b"hello");
///     let mut rest = String::new();
///     input.read_to_string(&mut rest)?;
///     assert_eq!(rest, " world");
///     Ok(())
/// }
/// ```
pub trait Read: AsDynRead {
    /// Reads some bytes into `buf` if there are some to read now, and gives
    /// how many; `Ready(Ok(0))` at the end of the stream (or if `buf` is
    /// empty). Otherwise `Pending`, having arranged for `cx`'s waker to be
    /// woken when it can go on. The poll form of std's
    /// [`read`](std::io::Read::read), and the one method to implement.
    ///
    /// ```
    /// use std::task::{Context, Poll};
    /// use green::compat::io::{self, BufRead, BufReader, Read};
    ///
    /// /// The digits 0 to 9, then the end.
    /// struct Digits(u8);
    ///
    /// impl Read for Digits {
    ///     fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
    ///         let mut n = 0;
    ///         while n < buf.len() && self.0 < 10 {
    ///             buf[n] = b'0' + self.0;
    ///             (n, self.0) = (n + 1, self.0 + 1);
    ///         }
    ///         Poll::Ready(Ok(n))
    ///     }
    /// }
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut text = String::new();
    ///     BufReader::new(Digits(0)).read_line(&mut text)?;
    ///     assert_eq!(text, "0123456789");
    ///     Ok(())
    /// }
    /// ```
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>>;

    /// Reads some bytes into `buf` and gives how many; `Ok(0)` at the end of
    /// the stream (or if `buf` is empty). Blocks the task until at least one
    /// byte is there. As [`std::io::Read::read`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"abc";
    ///     let mut buf = [0u8; 2];
    ///     assert_eq!(input.read(&mut buf)?, 2);
    ///     assert_eq!(input.read(&mut buf)?, 1);
    ///     assert_eq!(input.read(&mut buf)?, 0);
    ///     Ok(())
    /// }
    /// ```
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Green<ReadSome<'a>> {
        Green::new(ReadSome::new(self.as_dyn_read(), buf))
    }

    /// Reads exactly `buf.len()` bytes. A stream that ends first gives an
    /// [`ErrorKind::UnexpectedEof`](super::ErrorKind::UnexpectedEof) error,
    /// as std's [`read_exact`](std::io::Read::read_exact).
    ///
    /// ```
    /// use green::compat::io::{ErrorKind, Read};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut input: &[u8] = b"abc";
    ///     let mut buf = [0u8; 2];
    ///     input.read_exact(&mut buf).unwrap();
    ///     assert_eq!(&buf, b"ab");
    ///     let error = input.read_exact(&mut buf).unwrap_err();
    ///     assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
    /// }
    /// ```
    fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> Green<ReadExact<'a>> {
        Green::new(ReadExact::new(self.as_dyn_read(), buf))
    }

    /// Reads every byte until the end of the stream, appends them to `buf`
    /// and gives how many were read. As [`std::io::Read::read_to_end`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"bytes";
    ///     let mut all = Vec::new();
    ///     assert_eq!(input.read_to_end(&mut all)?, 5);
    ///     assert_eq!(all, b"bytes");
    ///     Ok(())
    /// }
    /// ```
    fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> Green<ReadToEnd<'a>> {
        Green::new(ReadToEnd::new(self.as_dyn_read(), buf))
    }

    /// Reads every byte until the end of the stream and appends them to
    /// `buf` as UTF-8; invalid UTF-8 gives an
    /// [`ErrorKind::InvalidData`](super::ErrorKind::InvalidData) error and
    /// leaves `buf` unchanged. As [`std::io::Read::read_to_string`].
    ///
    /// ```
    /// use green::compat::io::{ErrorKind, Read};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut text = String::new();
    ///     let mut input: &[u8] = "héllo".as_bytes();
    ///     assert_eq!(input.read_to_string(&mut text).unwrap(), 6);
    ///     assert_eq!(text, "héllo");
    ///
    ///     let mut invalid: &[u8] = &[0xff, 0xfe];
    ///     let error = invalid.read_to_string(&mut text).unwrap_err();
    ///     assert_eq!(error.kind(), ErrorKind::InvalidData);
    ///     assert_eq!(text, "héllo");
    /// }
    /// ```
    fn read_to_string<'a>(&'a mut self, buf: &'a mut String) -> Green<ReadToString<'a>> {
        Green::new(ReadToString::new(self.as_dyn_read(), buf))
    }

    /// A green iterator over the bytes of this reader, as
    /// [`std::io::Read::bytes`]: its `next` is green and gives
    /// `Option<io::Result<u8>>`. Wrap an unbuffered reader in a
    /// [`BufReader`](super::BufReader) first: each byte is one `read`.
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let input: &[u8] = b"hi";
    ///     let mut seen = Vec::new();
    ///     for byte in input.bytes() {
    ///         seen.push(byte?);
    ///     }
    ///     assert_eq!(seen, b"hi");
    ///     Ok(())
    /// }
    /// ```
    fn bytes(self) -> Bytes<Self>
    where
        Self: Sized,
    {
        Bytes::new(self)
    }

    /// A reader that gives at most `limit` bytes of this one, as
    /// [`std::io::Read::take`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let input: &[u8] = b"0123456789";
    ///     let mut first = Vec::new();
    ///     input.take(4).read_to_end(&mut first)?;
    ///     assert_eq!(first, b"0123");
    ///     Ok(())
    /// }
    /// ```
    fn take(self, limit: u64) -> Take<Self>
    where
        Self: Sized,
    {
        Take::new(self, limit)
    }

    /// A reader that gives all of this one, then all of `next`, as
    /// [`std::io::Read::chain`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Read};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut both = Vec::new();
    ///     Cursor::new("one,").chain(Cursor::new("two")).read_to_end(&mut both)?;
    ///     assert_eq!(both, b"one,two");
    ///     Ok(())
    /// }
    /// ```
    fn chain<R: Read>(self, next: R) -> Chain<Self, R>
    where
        Self: Sized,
    {
        Chain::new(self, next)
    }

    /// Borrows this reader, so that an adapter taking it by value (such as
    /// [`bytes`](Read::bytes)) leaves it usable afterwards. As
    /// [`std::io::Read::by_ref`].
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut input: &[u8] = b"ab";
    ///     let first = input.by_ref().bytes().next();
    ///     assert_eq!(first.transpose()?, Some(b'a'));
    ///     assert_eq!(input, b"b");
    ///     Ok(())
    /// }
    /// ```
    fn by_ref(&mut self) -> &mut Self
    where
        Self: Sized,
    {
        self
    }
}

impl<R: Read + ?Sized> Read for &mut R {
    #[inline]
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        (**self).poll_read(cx, buf)
    }
}

impl<R: Read + ?Sized> Read for Box<R> {
    #[inline]
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        (**self).poll_read(cx, buf)
    }
}

/// A reader as `&mut dyn Read`: what the green methods of [`Read`] poll
/// through, so that they are methods of `dyn Read` too. Implemented for
/// every (sized) reader: nothing to implement.
///
/// ```
/// use green::compat::io::{AsDynRead, Read};
///
/// let mut input: &[u8] = b"abc";
/// let reader: &mut dyn Read = input.as_dyn_read();
/// # let _ = reader;
/// ```
pub trait AsDynRead {
    /// `self` as a trait object.
    ///
    /// See the [trait's example](AsDynRead).
    fn as_dyn_read(&mut self) -> &mut dyn Read;
}

impl<R: Read> AsDynRead for R {
    #[inline]
    fn as_dyn_read(&mut self) -> &mut dyn Read {
        self
    }
}
