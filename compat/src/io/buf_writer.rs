//! `BufWriter`: a buffer in front of a writer.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::error::Error;
use std::io;

use green_runtime::Green;
use tokio::io::{AsyncSeek, AsyncWrite, AsyncWriteExt};

use super::Write;
use super::tokio_bridge::AsTokio;

/// Green version of [`std::io::BufWriter`]: gathers small writes in a buffer
/// and hands them to the writer in large chunks.
///
/// It implements [`Write`](super::Write) over any compat writer. Call
/// [`flush`](super::Write::flush) (green) when done: dropping a `BufWriter`
/// makes one attempt to write what is buffered, as std does, but it cannot
/// block the task, so data the writer does not take at once is lost. The
/// default buffer holds 8 KiB, as std's.
///
/// ```
/// use green::compat::io::{BufWriter, Write};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut out = BufWriter::new(Vec::new());
///     for i in 0..3 {
///         write!(out, "{i} ")?;
///     }
///     out.flush()?;
///     assert_eq!(out.get_ref(), b"0 1 2 ");
///     Ok(())
/// }
/// ```
pub struct BufWriter<W: Write> {
    // `None` only once `into_inner` took it.
    inner: Option<tokio::io::BufWriter<AsTokio<W>>>,
}

impl<W: Write> BufWriter<W> {
    /// A writer with an 8 KiB buffer in front of `inner`. As
    /// [`std::io::BufWriter::new`].
    ///
    /// ```
    /// use green::compat::io::BufWriter;
    ///
    /// let out = BufWriter::new(Vec::<u8>::new());
    /// assert!(out.buffer().is_empty());
    /// ```
    pub fn new(inner: W) -> Self {
        BufWriter {
            inner: Some(tokio::io::BufWriter::new(AsTokio(inner))),
        }
    }

    /// A writer with a buffer of `capacity` bytes in front of `inner`. As
    /// [`std::io::BufWriter::with_capacity`].
    ///
    /// ```
    /// use green::compat::io::{BufWriter, Write};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = BufWriter::with_capacity(4, Vec::new());
    ///     out.write_all(b"abcdef")?; // larger than the buffer: written through
    ///     assert_eq!(out.get_ref(), b"abcdef");
    ///     Ok(())
    /// }
    /// ```
    pub fn with_capacity(capacity: usize, inner: W) -> Self {
        BufWriter {
            inner: Some(tokio::io::BufWriter::with_capacity(
                capacity,
                AsTokio(inner),
            )),
        }
    }

    fn buffered(&self) -> &tokio::io::BufWriter<AsTokio<W>> {
        self.inner
            .as_ref()
            .expect("BufWriter used after into_inner")
    }

    fn buffered_mut(&mut self) -> &mut tokio::io::BufWriter<AsTokio<W>> {
        self.inner
            .as_mut()
            .expect("BufWriter used after into_inner")
    }

    /// The writer inside. As [`std::io::BufWriter::get_ref`].
    ///
    /// ```
    /// use green::compat::io::BufWriter;
    ///
    /// let out = BufWriter::new(Vec::<u8>::new());
    /// assert!(out.get_ref().is_empty());
    /// ```
    pub fn get_ref(&self) -> &W {
        &self.buffered().get_ref().0
    }

    /// The writer inside, mutably; writing to it directly goes ahead of what
    /// is buffered. As [`std::io::BufWriter::get_mut`].
    ///
    /// ```
    /// use green::compat::io::BufWriter;
    ///
    /// let mut out = BufWriter::new(Vec::<u8>::new());
    /// out.get_mut().push(b'!');
    /// assert_eq!(out.get_ref(), b"!");
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.buffered_mut().get_mut().0
    }

    /// The bytes buffered and not yet written. As
    /// [`std::io::BufWriter::buffer`].
    ///
    /// ```
    /// use green::compat::io::{BufWriter, Write};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = BufWriter::new(Vec::new());
    ///     out.write_all(b"pending")?;
    ///     assert_eq!(out.buffer(), b"pending");
    ///     Ok(())
    /// }
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.buffered().buffer()
    }

    /// Writes what is buffered, then gives back the writer inside. If the
    /// write fails, the error comes back with this `BufWriter` (buffer
    /// intact) in an [`IntoInnerError`]. Green, as std's
    /// [`into_inner`](std::io::BufWriter::into_inner) blocks.
    ///
    /// ```
    /// use green::compat::io::{BufWriter, Write};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut out = BufWriter::new(Vec::new());
    ///     out.write_all(b"kept")?;
    ///     let inner = out.into_inner().map_err(|e| e.into_error())?;
    ///     assert_eq!(inner, b"kept");
    ///     Ok(())
    /// }
    /// ```
    pub fn into_inner(
        mut self,
    ) -> Green<impl Future<Output = Result<W, IntoInnerError<BufWriter<W>>>>> {
        Green::new(async move {
            match self.buffered_mut().flush().await {
                Ok(()) => {
                    let inner = self.inner.take().expect("BufWriter used after into_inner");
                    Ok(inner.into_inner().0)
                }
                Err(error) => Err(IntoInnerError {
                    writer: self,
                    error,
                }),
            }
        })
    }
}

impl<W: Write> Write for BufWriter<W> {
    #[inline]
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(self.buffered_mut()).poll_write(cx, buf)
    }

    #[inline]
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(self.buffered_mut()).poll_flush(cx)
    }
}

impl<W: Write + AsyncSeek + Unpin> AsyncSeek for BufWriter<W> {
    #[inline]
    fn start_seek(self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        Pin::new(self.get_mut().buffered_mut()).start_seek(position)
    }

    #[inline]
    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(self.get_mut().buffered_mut()).poll_complete(cx)
    }
}

impl<W: Write> Drop for BufWriter<W> {
    fn drop(&mut self) {
        // std flushes on drop and ignores errors. A drop cannot block the
        // task: make one attempt that takes what the writer accepts now.
        if let Some(inner) = self.inner.as_mut() {
            if !inner.buffer().is_empty() {
                let mut cx = Context::from_waker(Waker::noop());
                let _ = Pin::new(inner).poll_flush(&mut cx);
            }
        }
    }
}

impl<W: Write> fmt::Debug for BufWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let buffered = self.inner.as_ref().map_or(0, |inner| inner.buffer().len());
        f.debug_struct("BufWriter")
            .field("buffered", &buffered)
            .finish_non_exhaustive()
    }
}

/// Green version of [`std::io::IntoInnerError`]: the error of
/// [`BufWriter::into_inner`], holding the writer whose buffer could not be
/// written and the I/O error.
///
/// Our own type with std's methods, because std's cannot be built outside
/// std.
///
/// ```
/// use std::task::{Context, Poll};
/// use green::compat::io::{self, BufWriter, Write};
///
/// #[derive(Debug)]
/// struct Broken;
///
/// impl Write for Broken {
///     fn poll_write(&mut self, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
///         Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)))
///     }
///     fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
///         Poll::Ready(Ok(()))
///     }
/// }
///
/// #[green::main]
/// fn main() {
///     let mut out = BufWriter::new(Broken);
///     out.write_all(b"lost").unwrap();
///     let error = out.into_inner().unwrap_err();
///     assert_eq!(error.error().kind(), io::ErrorKind::BrokenPipe);
///     let (error, writer) = error.into_parts();
///     assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
///     assert_eq!(writer.buffer(), b"lost");
/// }
/// ```
pub struct IntoInnerError<W> {
    writer: W,
    error: io::Error,
}

impl<W> IntoInnerError<W> {
    /// The error that stopped the write.
    ///
    /// See the [type's example](IntoInnerError).
    ///
    /// ```
    /// # use std::task::{Context, Poll};
    /// # use green::compat::io::{self, BufWriter, Write};
    /// # #[derive(Debug)]
    /// # struct Broken;
    /// # impl Write for Broken {
    /// #     fn poll_write(&mut self, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
    /// #         Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)))
    /// #     }
    /// #     fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> { Poll::Ready(Ok(())) }
    /// # }
    /// #[green::main]
    /// fn main() {
    ///     let mut out = BufWriter::new(Broken);
    ///     out.write_all(b"x").unwrap();
    ///     let error = out.into_inner().unwrap_err();
    ///     assert_eq!(error.error().kind(), io::ErrorKind::BrokenPipe);
    /// }
    /// ```
    pub fn error(&self) -> &io::Error {
        &self.error
    }

    /// The writer, with its buffer intact.
    ///
    /// ```
    /// # use std::task::{Context, Poll};
    /// # use green::compat::io::{self, BufWriter, Write};
    /// # #[derive(Debug)]
    /// # struct Broken;
    /// # impl Write for Broken {
    /// #     fn poll_write(&mut self, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
    /// #         Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)))
    /// #     }
    /// #     fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> { Poll::Ready(Ok(())) }
    /// # }
    /// #[green::main]
    /// fn main() {
    ///     let mut out = BufWriter::new(Broken);
    ///     out.write_all(b"x").unwrap();
    ///     let writer = out.into_inner().unwrap_err().into_inner();
    ///     assert_eq!(writer.buffer(), b"x");
    /// }
    /// ```
    pub fn into_inner(self) -> W {
        self.writer
    }

    /// The error, dropping the writer.
    ///
    /// ```
    /// # use std::task::{Context, Poll};
    /// # use green::compat::io::{self, BufWriter, Write};
    /// # #[derive(Debug)]
    /// # struct Broken;
    /// # impl Write for Broken {
    /// #     fn poll_write(&mut self, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
    /// #         Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)))
    /// #     }
    /// #     fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> { Poll::Ready(Ok(())) }
    /// # }
    /// #[green::main]
    /// fn main() {
    ///     let mut out = BufWriter::new(Broken);
    ///     out.write_all(b"x").unwrap();
    ///     let error = out.into_inner().unwrap_err().into_error();
    ///     assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    /// }
    /// ```
    pub fn into_error(self) -> io::Error {
        self.error
    }

    /// The error and the writer.
    ///
    /// See the [type's example](IntoInnerError).
    ///
    /// ```
    /// # use std::task::{Context, Poll};
    /// # use green::compat::io::{self, BufWriter, Write};
    /// # #[derive(Debug)]
    /// # struct Broken;
    /// # impl Write for Broken {
    /// #     fn poll_write(&mut self, _: &mut Context<'_>, _: &[u8]) -> Poll<io::Result<usize>> {
    /// #         Poll::Ready(Err(io::Error::from(io::ErrorKind::BrokenPipe)))
    /// #     }
    /// #     fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> { Poll::Ready(Ok(())) }
    /// # }
    /// #[green::main]
    /// fn main() {
    ///     let mut out = BufWriter::new(Broken);
    ///     out.write_all(b"x").unwrap();
    ///     let (error, writer) = out.into_inner().unwrap_err().into_parts();
    ///     assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
    ///     assert_eq!(writer.buffer(), b"x");
    /// }
    /// ```
    pub fn into_parts(self) -> (io::Error, W) {
        (self.error, self.writer)
    }
}

impl<W> fmt::Debug for IntoInnerError<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntoInnerError")
            .field(&self.error)
            .finish_non_exhaustive()
    }
}

impl<W> fmt::Display for IntoInnerError<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<W> Error for IntoInnerError<W> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.error.source()
    }
}
