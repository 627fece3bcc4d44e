//! Between compat's I/O traits and tokio's: compat's sockets, files, pipes
//! and TLS streams do their I/O through tokio's `AsyncRead`/`AsyncWrite`
//! (which they keep implementing, for tokio's and rustls' sake), and
//! compat's buffers and `copy` reuse tokio's over any compat reader or
//! writer.

use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::io;

use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

use super::{Read, Write};

/// [`Read::poll_read`] by tokio's `poll_read`.
#[inline]
pub(crate) fn poll_read<R: AsyncRead + Unpin + ?Sized>(
    reader: &mut R,
    cx: &mut Context<'_>,
    buf: &mut [u8],
) -> Poll<io::Result<usize>> {
    let mut buf = ReadBuf::new(buf);
    ready!(Pin::new(reader).poll_read(cx, &mut buf))?;
    Poll::Ready(Ok(buf.filled().len()))
}

/// Implements compat's [`Read`] by tokio's `AsyncRead` for compat types.
macro_rules! read_via_tokio {
    ($($reader:ty),* $(,)?) => {$(
        impl $crate::io::Read for $reader {
            #[inline]
            fn poll_read(
                &mut self,
                cx: &mut ::core::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::core::task::Poll<::std::io::Result<usize>> {
                $crate::io::tokio_bridge::poll_read(self, cx, buf)
            }
        }
    )*};
}

/// Implements compat's [`Write`] by tokio's `AsyncWrite` for compat types.
macro_rules! write_via_tokio {
    ($($writer:ty),* $(,)?) => {$(
        impl $crate::io::Write for $writer {
            #[inline]
            fn poll_write(
                &mut self,
                cx: &mut ::core::task::Context<'_>,
                buf: &[u8],
            ) -> ::core::task::Poll<::std::io::Result<usize>> {
                ::tokio::io::AsyncWrite::poll_write(::core::pin::Pin::new(self), cx, buf)
            }

            #[inline]
            fn poll_flush(
                &mut self,
                cx: &mut ::core::task::Context<'_>,
            ) -> ::core::task::Poll<::std::io::Result<()>> {
                ::tokio::io::AsyncWrite::poll_flush(::core::pin::Pin::new(self), cx)
            }
        }
    )*};
}

pub(crate) use {read_via_tokio, write_via_tokio};

/// A compat reader or writer seen as tokio's, for tokio's `BufReader`,
/// `BufWriter` and `copy`. Compat's traits poll through `&mut self`, so
/// nothing in `T` is ever pinned: the wrapper is `Unpin` whatever `T` is.
#[derive(Debug)]
pub(crate) struct AsTokio<T>(pub(crate) T);

impl<T> Unpin for AsTokio<T> {}

impl<R: Read> AsyncRead for AsTokio<R> {
    #[inline]
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = ready!(self.get_mut().0.poll_read(cx, buf.initialize_unfilled()))?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<W: Write> AsyncWrite for AsTokio<W> {
    #[inline]
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().0.poll_write(cx, buf)
    }

    #[inline]
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().0.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().0.poll_flush(cx)
    }
}

impl<S: AsyncSeek + Unpin> AsyncSeek for AsTokio<S> {
    #[inline]
    fn start_seek(self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        Pin::new(&mut self.get_mut().0).start_seek(position)
    }

    #[inline]
    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(&mut self.get_mut().0).poll_complete(cx)
    }
}
