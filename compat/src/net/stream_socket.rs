//! One handle of a stream socket: the reads, writes, timeouts and clones
//! that [`TcpStream`](super::TcpStream) and
//! [`UnixStream`](crate::os::unix::net::UnixStream) share.
//!
//! # One registration a handle
//!
//! tokio's sockets keep one waker per direction: a second task waiting to
//! read the same registration takes the first one's place, and the first
//! is never woken. So each handle has a registration of its own:
//! [`try_clone`](StreamSocket::try_clone) duplicates the descriptor, as
//! std's does (`F_DUPFD_CLOEXEC`), and registers the duplicate with the
//! hub's reactor. The socket closes when the last descriptor does, as in
//! std; the socket options, `O_NONBLOCK` and our [`Timeouts`] are the
//! socket's, shared by every handle.
//!
//! This is sound with tokio's edge-triggered epoll: epoll keeps an entry
//! per (descriptor, open file) pair, and a socket event reaches every
//! entry, so data coming in wakes the reader of each handle. The one that
//! gets the data reads it; the others' `read` fails with `EAGAIN`, which
//! clears their readiness (tokio's `clear_readiness`, guarded by its tick
//! against clearing a newer event), and they wait for the next edge. Two
//! tasks reading (or writing) through two clones are both woken, and a
//! waker left by one handle (the no-op waker of a `BufWriter`'s drop) never
//! displaces another handle's.
//!
//! The alternative, one registration with a list of waiters per direction,
//! would cover two tasks sharing one handle (`&TcpStream`) too, but costs a
//! lock and a fan-out waker on every wait of every socket, the echo hot
//! path included; here a handle alone on its registration also reads
//! through tokio's own `poll_read`, which clears the readiness after a
//! short read and saves a system call per message. Two tasks waiting on
//! one handle at once still keep one waker: each takes a clone.
//!
//! # Timeouts
//!
//! Each handle has a [`Deadline`] per direction: every read and write gets
//! the whole timeout, counted from its first wait (see [`Deadline`] for a
//! read cut short by `green::timeout`).

use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::io;
use std::net::Shutdown;
use std::sync::Arc;

use tokio::io::{AsyncRead, ReadBuf};

use super::readiness::{self, Readiness};
use super::timeouts::{Deadline, Timeouts, Wait};

/// A tokio stream socket as a [`StreamSocket`] uses it: readiness, tokio's
/// own read, and what needs the concrete type (duplicating, shutting down).
pub(crate) trait StreamIo: Readiness + AsyncRead + Unpin + Sized {
    /// A second descriptor for the socket, registered with the running
    /// hub's reactor.
    fn duplicate(&self) -> io::Result<Self>;

    /// Shuts down a half (or both) of the socket, for every handle.
    fn shutdown(&self, how: Shutdown) -> io::Result<()>;
}

impl StreamIo for tokio::net::TcpStream {
    fn duplicate(&self) -> io::Result<Self> {
        on_hub("a green socket must be cloned")?;
        let socket = socket2::SockRef::from(self).try_clone()?;
        tokio::net::TcpStream::from_std(socket.into())
    }

    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        socket2::SockRef::from(self).shutdown(how)
    }
}

#[cfg(unix)]
impl StreamIo for tokio::net::UnixStream {
    fn duplicate(&self) -> io::Result<Self> {
        on_hub("a green socket must be cloned")?;
        let socket = socket2::SockRef::from(self).try_clone()?;
        tokio::net::UnixStream::from_std(socket.into())
    }

    fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        socket2::SockRef::from(self).shutdown(how)
    }
}

/// An error unless the caller runs on a hub: tokio registers a socket with
/// the running runtime's reactor and panics outside one.
pub(crate) fn on_hub(what: &str) -> io::Result<()> {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => Ok(()),
        Err(_) => Err(io::Error::other(format!(
            "{what} on a hub (inside green::run or #[green::main])"
        ))),
    }
}

/// One handle of a stream socket: its own registration with the reactor,
/// the socket's shared timeouts and mode, and the timers of this handle's
/// read and write in progress.
pub(crate) struct StreamSocket<S> {
    io: S,
    /// Shared by the handles, as std's clones share the socket options.
    timeouts: Arc<Timeouts>,
    read_deadline: Deadline,
    write_deadline: Deadline,
}

impl<S: StreamIo> StreamSocket<S> {
    pub(crate) fn new(io: S) -> Self {
        StreamSocket {
            io,
            timeouts: Arc::default(),
            read_deadline: Deadline::default(),
            write_deadline: Deadline::default(),
        }
    }

    /// The tokio socket of this handle.
    pub(crate) fn io(&self) -> &S {
        &self.io
    }

    /// The tokio socket of this handle, the handle's timers dropped.
    pub(crate) fn into_io(self) -> S {
        self.io
    }

    /// Another handle: a duplicate descriptor with a registration of its
    /// own, sharing the timeouts and the mode.
    pub(crate) fn try_clone(&self) -> io::Result<Self> {
        Ok(StreamSocket {
            io: self.io.duplicate()?,
            timeouts: self.timeouts.clone(),
            read_deadline: Deadline::default(),
            write_deadline: Deadline::default(),
        })
    }

    pub(crate) fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.shutdown(how)
    }

    /// How long a read (or a peek) may wait.
    pub(crate) fn read_wait(&self) -> Wait {
        self.timeouts.read_wait()
    }

    pub(crate) fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.timeouts.set_read(timeout)
    }

    pub(crate) fn read_timeout(&self) -> Option<Duration> {
        self.timeouts.read()
    }

    pub(crate) fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.timeouts.set_write(timeout)
    }

    pub(crate) fn write_timeout(&self) -> Option<Duration> {
        self.timeouts.write()
    }

    pub(crate) fn set_nonblocking(&self, nonblocking: bool) {
        self.timeouts.set_nonblocking(nonblocking);
    }

    /// A read through the handle itself (`TcpStream: Read`): tokio's own,
    /// which also clears the readiness after a short read. `try_read`
    /// cannot, so the next read would first make a `recvfrom` that fails
    /// with `EAGAIN`: one wasted system call per message (measured on echo).
    #[inline]
    pub(crate) fn poll_read_mut(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        // As std: reading into an empty buffer gives 0 at once.
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        let wait = self.timeouts.read_wait();
        let StreamSocket {
            io, read_deadline, ..
        } = self;
        read_deadline.poll(wait, cx, |cx| Pin::new(io).poll_read(cx, buf))
    }

    /// A read through a shared reference (`&TcpStream: Read`).
    #[inline]
    pub(crate) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let wait = self.timeouts.read_wait();
        self.read_deadline
            .poll(wait, cx, |cx| readiness::poll_read(&self.io, cx, buf))
    }

    #[inline]
    pub(crate) fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let wait = self.timeouts.write_wait();
        self.write_deadline
            .poll(wait, cx, |cx| readiness::poll_write(&self.io, cx, buf))
    }

    #[inline]
    pub(crate) fn poll_write_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let wait = self.timeouts.write_wait();
        self.write_deadline.poll(wait, cx, |cx| {
            readiness::poll_write_vectored(&self.io, cx, bufs)
        })
    }
}

/// Implements tokio's `AsyncRead` and `AsyncWrite` and compat's `Read` and
/// `Write`, for `$stream` and `&$stream`, by its `socket` field (a
/// [`StreamSocket`]).
macro_rules! stream_io {
    (@write $stream:ty) => {
        impl ::tokio::io::AsyncWrite for $stream {
            #[inline]
            fn poll_write(
                self: ::core::pin::Pin<&mut Self>,
                cx: &mut ::core::task::Context<'_>,
                buf: &[u8],
            ) -> ::core::task::Poll<::std::io::Result<usize>> {
                self.socket.poll_write(cx, buf)
            }

            #[inline]
            fn poll_write_vectored(
                self: ::core::pin::Pin<&mut Self>,
                cx: &mut ::core::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::core::task::Poll<::std::io::Result<usize>> {
                self.socket.poll_write_vectored(cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            #[inline]
            fn poll_flush(
                self: ::core::pin::Pin<&mut Self>,
                _cx: &mut ::core::task::Context<'_>,
            ) -> ::core::task::Poll<::std::io::Result<()>> {
                ::core::task::Poll::Ready(Ok(()))
            }

            fn poll_shutdown(
                self: ::core::pin::Pin<&mut Self>,
                _cx: &mut ::core::task::Context<'_>,
            ) -> ::core::task::Poll<::std::io::Result<()>> {
                ::core::task::Poll::Ready(self.socket.shutdown(::std::net::Shutdown::Write))
            }
        }
    };
    ($stream:ty) => {
        impl ::tokio::io::AsyncRead for $stream {
            #[inline]
            fn poll_read(
                self: ::core::pin::Pin<&mut Self>,
                cx: &mut ::core::task::Context<'_>,
                buf: &mut ::tokio::io::ReadBuf<'_>,
            ) -> ::core::task::Poll<::std::io::Result<()>> {
                self.get_mut().socket.poll_read_mut(cx, buf)
            }
        }

        impl ::tokio::io::AsyncRead for &$stream {
            #[inline]
            fn poll_read(
                self: ::core::pin::Pin<&mut Self>,
                cx: &mut ::core::task::Context<'_>,
                buf: &mut ::tokio::io::ReadBuf<'_>,
            ) -> ::core::task::Poll<::std::io::Result<()>> {
                self.socket.poll_read(cx, buf)
            }
        }

        $crate::net::stream_socket::stream_io!(@write $stream);
        $crate::net::stream_socket::stream_io!(@write &$stream);
        $crate::io::tokio_bridge::read_via_tokio!($stream, &$stream);
        $crate::io::tokio_bridge::write_via_tokio!($stream, &$stream);
    };
}

pub(crate) use stream_io;
