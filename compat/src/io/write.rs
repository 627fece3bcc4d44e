//! The green `Write` trait.

use core::fmt;
use core::task::{Context, Poll};
use std::io;

use green_runtime::Green;

use super::futures::{Flush, WriteAll, WriteFmt, WriteSome};

/// Green version of [`std::io::Write`]: a sink of bytes whose writes block
/// the green task, not the thread.
///
/// Same methods as std's; each blocking one returns `Green<impl Future>`,
/// awaited by itself in a `#[green]` body, and `write!`/`writeln!` work on
/// any writer when this trait is in scope. It is implemented where std's
/// is: `Vec<u8>`, [`Cursor`](super::Cursor), `&mut [u8]`, `&mut W`,
/// `Box<W>`, and compat's writers ([`TcpStream`](crate::net::TcpStream),
/// [`File`](crate::fs::File), [`BufWriter`](super::BufWriter), ...).
///
/// What differs from std: the required methods are
/// [`poll_write`](Write::poll_write) and [`poll_flush`](Write::poll_flush),
/// std's `write` and `flush` as polls; the green methods are provided on
/// top of them. `Write` is dyn-compatible, as std's: `Box<dyn Write>` and
/// `&mut dyn Write` write with the same calls, `write!` included; the
/// green methods' futures ([`futures`](super::futures)) poll the writer as
/// `&mut dyn Write` (a vtable call per poll, no allocation; not `Send`).
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
pub trait Write: AsDynWrite {
    /// Writes some bytes of `buf` if the writer takes some now, and gives
    /// how many; otherwise `Pending`, having arranged for `cx`'s waker to
    /// be woken when it can go on. The poll form of std's
    /// [`write`](std::io::Write::write), one of the two methods to
    /// implement.
    ///
    /// ```
    /// use std::task::{Context, Poll};
    /// use green::compat::io::{self, Write};
    ///
    /// /// Counts the bytes written to it.
    /// #[derive(Default)]
    /// struct Counter(usize);
    ///
    /// impl Write for Counter {
    ///     fn poll_write(&mut self, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
    ///         self.0 += buf.len();
    ///         Poll::Ready(Ok(buf.len()))
    ///     }
    ///
    ///     fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
    ///         Poll::Ready(Ok(()))
    ///     }
    /// }
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut counter = Counter::default();
    ///     writeln!(counter, "{} bytes", 7)?;
    ///     assert_eq!(counter.0, 8);
    ///     Ok(())
    /// }
    /// ```
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>>;

    /// Sends what is buffered on to the destination if it can now;
    /// otherwise `Pending`, as [`poll_write`](Write::poll_write). The poll
    /// form of std's [`flush`](std::io::Write::flush), the other method to
    /// implement.
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use green::compat::io::{BufWriter, Write};
    ///
    /// green::run(async {
    ///     let mut out = BufWriter::new(Vec::new());
    ///     out.write_all(b"buffered").await.unwrap();
    ///     poll_fn(|cx| out.poll_flush(cx)).await.unwrap();
    ///     assert_eq!(out.get_ref(), b"buffered");
    /// });
    /// ```
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;

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
    fn write<'a>(&'a mut self, buf: &'a [u8]) -> Green<WriteSome<'a>> {
        Green::new(WriteSome::new(self.as_dyn_write(), buf))
    }

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
    fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> Green<WriteAll<'a>> {
        Green::new(WriteAll::new(self.as_dyn_write(), buf))
    }

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
    fn flush(&mut self) -> Green<Flush<'_>> {
        Green::new(Flush::new(self.as_dyn_write()))
    }

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
    fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> Green<WriteFmt<'_>> {
        Green::new(WriteFmt::new(self.as_dyn_write(), args))
    }

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

impl<W: Write + ?Sized> Write for &mut W {
    #[inline]
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        (**self).poll_write(cx, buf)
    }

    #[inline]
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        (**self).poll_flush(cx)
    }
}

impl<W: Write + ?Sized> Write for Box<W> {
    #[inline]
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        (**self).poll_write(cx, buf)
    }

    #[inline]
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        (**self).poll_flush(cx)
    }
}

/// A writer as `&mut dyn Write`: what the green methods of [`Write`] poll
/// through, so that they are methods of `dyn Write` too. Implemented for
/// every (sized) writer: nothing to implement.
///
/// ```
/// use green::compat::io::{AsDynWrite, Write};
///
/// let mut out = Vec::new();
/// let writer: &mut dyn Write = out.as_dyn_write();
/// # let _ = writer;
/// ```
pub trait AsDynWrite {
    /// `self` as a trait object.
    ///
    /// See the [trait's example](AsDynWrite).
    fn as_dyn_write(&mut self) -> &mut dyn Write;
}

impl<W: Write> AsDynWrite for W {
    #[inline]
    fn as_dyn_write(&mut self) -> &mut dyn Write {
        self
    }
}
