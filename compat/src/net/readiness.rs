//! Reads and writes through the readiness of a tokio socket, for the
//! stream sockets of [`compat::net`](super) and
//! [`compat::os::unix::net`](crate::os::unix::net) (see
//! [`stream_socket`](super::stream_socket)): `poll_*_ready` waits, `try_*`
//! does the I/O and clears the readiness when the OS says "would block",
//! so that a handle can be used through a shared reference (`&TcpStream`).

use core::task::{Context, Poll, ready};
use std::io;

use tokio::io::ReadBuf;

/// A tokio stream socket, as the functions below use it: the inherent
/// methods that tokio's `TcpStream` and `UnixStream` both have.
pub(crate) trait Readiness {
    fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    fn try_read(&self, buf: &mut [u8]) -> io::Result<usize>;
    fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;
    fn try_write(&self, buf: &[u8]) -> io::Result<usize>;
    fn try_write_vectored(&self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize>;
}

/// Implements [`Readiness`] by the inherent methods of the same names.
macro_rules! readiness {
    ($socket:ty) => {
        impl Readiness for $socket {
            fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                <$socket>::poll_read_ready(self, cx)
            }
            fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
                <$socket>::try_read(self, buf)
            }
            fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                <$socket>::poll_write_ready(self, cx)
            }
            fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
                <$socket>::try_write(self, buf)
            }
            fn try_write_vectored(&self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
                <$socket>::try_write_vectored(self, bufs)
            }
        }
    };
}

readiness!(tokio::net::TcpStream);
#[cfg(unix)]
readiness!(tokio::net::UnixStream);

/// Reads into `buf` once the socket is readable.
pub(crate) fn poll_read(
    io: &impl Readiness,
    cx: &mut Context<'_>,
    buf: &mut ReadBuf<'_>,
) -> Poll<io::Result<()>> {
    // As std: reading into an empty buffer gives 0 at once.
    if buf.remaining() == 0 {
        return Poll::Ready(Ok(()));
    }
    loop {
        ready!(io.poll_read_ready(cx))?;
        match io.try_read(buf.initialize_unfilled()) {
            Ok(n) => {
                buf.advance(n);
                return Poll::Ready(Ok(()));
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            Err(error) => return Poll::Ready(Err(error)),
        }
    }
}

/// Writes some of `buf` once the socket is writable.
pub(crate) fn poll_write(
    io: &impl Readiness,
    cx: &mut Context<'_>,
    buf: &[u8],
) -> Poll<io::Result<usize>> {
    // As std: writing an empty buffer gives 0 at once.
    if buf.is_empty() {
        return Poll::Ready(Ok(0));
    }
    loop {
        ready!(io.poll_write_ready(cx))?;
        match io.try_write(buf) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            result => return Poll::Ready(result),
        }
    }
}

/// Writes some of `bufs` once the socket is writable.
pub(crate) fn poll_write_vectored(
    io: &impl Readiness,
    cx: &mut Context<'_>,
    bufs: &[io::IoSlice<'_>],
) -> Poll<io::Result<usize>> {
    loop {
        ready!(io.poll_write_ready(cx))?;
        match io.try_write_vectored(bufs) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            result => return Poll::Ready(result),
        }
    }
}
