//! The green `Read` trait.

use core::future::Future;
use std::io;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::{Bytes, Chain, Take};

/// Green version of [`std::io::Read`]: a source of bytes whose reads block
/// the green task, not the thread.
///
/// Same methods as std's; each blocking one returns `Green<impl Future>`,
/// awaited by itself in a `#[green]` body. It is implemented for every
/// `tokio::io::AsyncRead + Unpin` type: `&[u8]`, [`Cursor`](super::Cursor),
/// [`TcpStream`](crate::net::TcpStream), [`BufReader`](super::BufReader),
/// and async readers from other crates. To make a type of your own readable,
/// implement `tokio::io::AsyncRead` for it.
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
pub trait Read {
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
    fn read(&mut self, buf: &mut [u8]) -> Green<impl Future<Output = io::Result<usize>>>;

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
    fn read_exact(&mut self, buf: &mut [u8]) -> Green<impl Future<Output = io::Result<()>>>;

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
    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> Green<impl Future<Output = io::Result<usize>>>;

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
    fn read_to_string(
        &mut self,
        buf: &mut String,
    ) -> Green<impl Future<Output = io::Result<usize>>>;

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

impl<R: AsyncRead + Unpin + ?Sized> Read for R {
    #[inline]
    fn read(&mut self, buf: &mut [u8]) -> Green<impl Future<Output = io::Result<usize>>> {
        Green::new(async move { AsyncReadExt::read(self, buf).await })
    }

    #[inline]
    fn read_exact(&mut self, buf: &mut [u8]) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(async move { AsyncReadExt::read_exact(self, buf).await.map(drop) })
    }

    #[inline]
    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> Green<impl Future<Output = io::Result<usize>>> {
        Green::new(async move { AsyncReadExt::read_to_end(self, buf).await })
    }

    #[inline]
    fn read_to_string(
        &mut self,
        buf: &mut String,
    ) -> Green<impl Future<Output = io::Result<usize>>> {
        Green::new(async move { AsyncReadExt::read_to_string(self, buf).await })
    }
}
