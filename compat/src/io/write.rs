//! The green `Write` trait.

use core::fmt;
use core::future::Future;
use std::borrow::Cow;
use std::io;

use green_runtime::Green;
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Green version of [`std::io::Write`]: a sink of bytes whose writes block
/// the green task, not the thread.
///
/// Same methods as std's; each blocking one returns `Green<impl Future>`,
/// awaited by itself in a `#[green]` body, and `write!`/`writeln!` work on
/// any writer when this trait is in scope. It is implemented for every
/// `tokio::io::AsyncWrite + Unpin` type: `Vec<u8>`,
/// [`Cursor`](super::Cursor), [`TcpStream`](crate::net::TcpStream),
/// [`BufWriter`](super::BufWriter), and async writers from other crates. To
/// make a type of your own writable, implement `tokio::io::AsyncWrite` for it.
///
/// ```
/// use green::compat::io::Write;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut out = Vec::new();
///     out.write_all(b"hello")?;
///     write!(out, ", {}!", "world")?;
///     out.flush()?;
///     assert_eq!(out, b"hello, world!");
///     Ok(())
/// }
/// ```
pub trait Write {
    /// Writes some bytes of `buf` and gives how many; blocks the task until
    /// the writer takes at least one (unless `buf` is empty). As
    /// [`std::io::Write::write`].
    ///
    /// ```
    /// use green::compat::io::Write;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = Vec::new();
    ///     let n = out.write(b"abc")?;
    ///     assert_eq!(n, 3);
    ///     Ok(())
    /// }
    /// ```
    fn write(&mut self, buf: &[u8]) -> Green<impl Future<Output = io::Result<usize>>>;

    /// Writes all of `buf`; a writer that takes no more bytes gives an
    /// [`ErrorKind::WriteZero`](super::ErrorKind::WriteZero) error. As
    /// [`std::io::Write::write_all`].
    ///
    /// ```
    /// use green::compat::io::Write;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = Vec::new();
    ///     out.write_all(b"all of it")?;
    ///     assert_eq!(out, b"all of it");
    ///     Ok(())
    /// }
    /// ```
    fn write_all(&mut self, buf: &[u8]) -> Green<impl Future<Output = io::Result<()>>>;

    /// Sends what is buffered on to the destination. As
    /// [`std::io::Write::flush`].
    ///
    /// ```
    /// use green::compat::io::{BufWriter, Write};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = BufWriter::new(Vec::new());
    ///     out.write_all(b"buffered")?;
    ///     assert!(out.get_ref().is_empty());
    ///     out.flush()?;
    ///     assert_eq!(out.get_ref(), b"buffered");
    ///     Ok(())
    /// }
    /// ```
    fn flush(&mut self) -> Green<impl Future<Output = io::Result<()>>>;

    /// Writes formatted text: what `write!` and `writeln!` call. As
    /// [`std::io::Write::write_fmt`], except that the text is formatted
    /// at once, before the write, so that the returned work does not borrow
    /// the arguments. A `Display` impl that fails gives an
    /// [`ErrorKind::Other`](super::ErrorKind::Other) "formatter error".
    ///
    /// ```
    /// use green::compat::io::Write;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = Vec::new();
    ///     let n = 3;
    ///     writeln!(out, "{n} green tasks")?;
    ///     out.write_fmt(format_args!("and {}", n + 1))?;
    ///     assert_eq!(out, b"3 green tasks\nand 4");
    ///     Ok(())
    /// }
    /// ```
    fn write_fmt<'a>(
        &'a mut self,
        args: fmt::Arguments<'_>,
    ) -> Green<impl Future<Output = io::Result<()>> + use<'a, Self>>;

    /// Borrows this writer, so that an adapter taking it by value leaves it
    /// usable afterwards. As [`std::io::Write::by_ref`].
    ///
    /// ```
    /// use green::compat::io::{BufWriter, Write};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = Vec::new();
    ///     let mut buffered = BufWriter::new(out.by_ref());
    ///     buffered.write_all(b"through a borrow")?;
    ///     buffered.flush()?;
    ///     drop(buffered);
    ///     assert_eq!(out, b"through a borrow");
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

impl<W: AsyncWrite + Unpin + ?Sized> Write for W {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> Green<impl Future<Output = io::Result<usize>>> {
        Green::new(async move { AsyncWriteExt::write(self, buf).await })
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(async move { AsyncWriteExt::write_all(self, buf).await })
    }

    #[inline]
    fn flush(&mut self) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(AsyncWriteExt::flush(self))
    }

    fn write_fmt<'a>(
        &'a mut self,
        args: fmt::Arguments<'_>,
    ) -> Green<impl Future<Output = io::Result<()>> + use<'a, W>> {
        let text = format_eagerly(args);
        Green::new(async move {
            let text = text?;
            AsyncWriteExt::write_all(self, text.as_bytes()).await
        })
    }
}

/// Formats `args` into an owned (or static) string.
fn format_eagerly(args: fmt::Arguments<'_>) -> io::Result<Cow<'static, str>> {
    if let Some(text) = args.as_str() {
        return Ok(Cow::Borrowed(text));
    }
    let mut text = String::new();
    match fmt::Write::write_fmt(&mut text, args) {
        Ok(()) => Ok(Cow::Owned(text)),
        Err(fmt::Error) => Err(io::Error::other("formatter error")),
    }
}
