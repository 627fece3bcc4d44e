//! `UnixStream`: a Unix domain stream socket whose reads and writes are green.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::path::Path;
use std::sync::Arc;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::{SocketAddr, on_hub};
use crate::io::tokio_bridge::{read_via_tokio, write_via_tokio};
use crate::net::readiness;
use crate::net::timeouts::Mode;

/// Green version of [`std::os::unix::net::UnixStream`]: a connected Unix
/// domain stream socket.
///
/// [`connect`](UnixStream::connect) and the reads and writes of
/// [`Read`](crate::io::Read) and [`Write`](crate::io::Write) are green: they
/// block the task, not the thread. As with std, `&UnixStream` reads and
/// writes too, and [`try_clone`](UnixStream::try_clone) gives a second
/// handle so that one task reads while another writes. The socket closes when
/// the last handle is dropped.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::os::unix::net::UnixStream;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let (mut left, mut right) = UnixStream::pair()?;
///     left.write_all(b"ping")?;
///     let mut buf = [0u8; 4];
///     right.read_exact(&mut buf)?;
///     assert_eq!(&buf, b"ping");
///     Ok(())
/// }
/// ```
pub struct UnixStream {
    inner: Arc<tokio::net::UnixStream>,
    mode: Arc<Mode>,
}

impl UnixStream {
    pub(super) fn from_tokio(stream: tokio::net::UnixStream) -> Self {
        UnixStream {
            inner: Arc::new(stream),
            mode: Arc::default(),
        }
    }

    /// Connects to the socket named by `path`. Green. A path nobody listens
    /// on gives [`ErrorKind::NotFound`](std::io::ErrorKind::NotFound) (no
    /// such file) or
    /// [`ErrorKind::ConnectionRefused`](std::io::ErrorKind::ConnectionRefused).
    /// As [`std::os::unix::net::UnixStream::connect`].
    ///
    /// ```
    /// use green::compat::os::unix::net::{UnixListener, UnixStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-connect-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let stream = UnixStream::connect(&path)?;
    ///     assert_eq!(stream.peer_addr()?.as_pathname(), Some(path.as_path()));
    ///     drop(listener);
    ///     green::compat::fs::remove_file(&path)?;
    ///     let refused = UnixStream::connect(&path).unwrap_err();
    ///     assert_eq!(refused.kind(), std::io::ErrorKind::NotFound);
    ///     Ok(())
    /// }
    /// ```
    pub fn connect<P: AsRef<Path>>(path: P) -> Green<impl Future<Output = io::Result<UnixStream>>> {
        Green::new(async move {
            on_hub()?;
            let stream = tokio::net::UnixStream::connect(path).await?;
            Ok(UnixStream::from_tokio(stream))
        })
    }

    /// Connects to the socket at `socket_addr` (a path or, on Linux, an
    /// abstract name). Green. As
    /// [`std::os::unix::net::UnixStream::connect_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::{UnixListener, UnixStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-caddr-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let stream = UnixStream::connect_addr(&listener.local_addr()?)?;
    ///     assert!(stream.local_addr()?.is_unnamed());
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn connect_addr(
        socket_addr: &SocketAddr,
    ) -> Green<impl Future<Output = io::Result<UnixStream>>> {
        let socket_addr = tokio::net::unix::SocketAddr::from(socket_addr.clone());
        Green::new(async move {
            on_hub()?;
            let stream = tokio::net::UnixStream::connect_addr(&socket_addr).await?;
            Ok(UnixStream::from_tokio(stream))
        })
    }

    /// Two connected, unnamed sockets. Not green: it never blocks. As
    /// [`std::os::unix::net::UnixStream::pair`].
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (mut a, mut b) = UnixStream::pair()?;
    ///     b.write_all(b"back")?;
    ///     let mut buf = [0u8; 4];
    ///     a.read_exact(&mut buf)?;
    ///     assert_eq!(&buf, b"back");
    ///     Ok(())
    /// }
    /// ```
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        on_hub()?;
        let (a, b) = tokio::net::UnixStream::pair()?;
        Ok((UnixStream::from_tokio(a), UnixStream::from_tokio(b)))
    }

    /// The address of this end of the connection. As
    /// [`std::os::unix::net::UnixStream::local_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixStream::pair()?;
    ///     assert!(a.local_addr()?.is_unnamed());
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr().map(SocketAddr::from)
    }

    /// The address of the other end of the connection. As
    /// [`std::os::unix::net::UnixStream::peer_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixStream::pair()?;
    ///     assert_eq!(a.peer_addr()?.as_pathname(), None);
    ///     Ok(())
    /// }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr().map(SocketAddr::from)
    }

    /// Shuts down the read half, the write half or both; the peer reads the
    /// end of the stream once the write half is shut. As
    /// [`std::os::unix::net::UnixStream::shutdown`].
    ///
    /// ```
    /// use green::compat::io::Read;
    /// use green::compat::os::unix::net::UnixStream;
    /// use std::net::Shutdown;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, mut b) = UnixStream::pair()?;
    ///     a.shutdown(Shutdown::Write)?;
    ///     let mut rest = Vec::new();
    ///     assert_eq!(b.read_to_end(&mut rest)?, 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        socket2::SockRef::from(&*self.inner).shutdown(how)
    }

    /// Another handle to the same socket. As
    /// [`std::os::unix::net::UnixStream::try_clone`] (the socket is shared,
    /// not duplicated: it closes when the last handle drops).
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, mut b) = UnixStream::pair()?;
    ///     let mut writer = a.try_clone()?;
    ///     drop(a);
    ///     writer.write_all(b"x")?;
    ///     let mut buf = [0u8; 1];
    ///     b.read_exact(&mut buf)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn try_clone(&self) -> io::Result<UnixStream> {
        Ok(UnixStream {
            inner: self.inner.clone(),
            mode: self.mode.clone(),
        })
    }

    /// Moves the socket into or out of non-blocking mode, as
    /// [`std::os::unix::net::UnixStream::set_nonblocking`]: in non-blocking
    /// mode a read or write that would wait gives an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error at
    /// once instead of blocking the task (the mode is shared by every
    /// handle of the socket). What "would wait" means is what the hub last
    /// heard from the OS: data that came in since is seen after the hub's
    /// next turn, such as a `thread::sleep` in the polling loop.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use std::time::Duration;
    /// use green::compat::io::{Read, Write};
    /// use green::compat::os::unix::net::UnixStream;
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (mut left, mut right) = UnixStream::pair()?;
    ///     right.set_nonblocking(true)?;
    ///     let mut buf = [0u8; 4];
    ///     assert_eq!(right.read(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    ///     left.write_all(b"ping")?;
    ///     let n = loop {
    ///         match right.read(&mut buf) {
    ///             Ok(n) => break n,
    ///             Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(1)),
    ///             Err(e) => return Err(e),
    ///         }
    ///     };
    ///     assert_eq!(&buf[..n], b"ping");
    ///     Ok(())
    /// }
    /// ```
    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.mode.set_nonblocking(nonblocking);
        Ok(())
    }

    /// Takes the pending error of the socket (`SO_ERROR`), if any. As
    /// [`std::os::unix::net::UnixStream::take_error`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixStream::pair()?;
    ///     assert!(a.take_error()?.is_none());
    ///     Ok(())
    /// }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }
}

// As TcpStream: reads and writes go through the readiness of the shared
// socket (see `readiness`), so that every handle (`try_clone`) can use it,
// in the handle's mode.

fn shutdown_write(io: &tokio::net::UnixStream) -> Poll<io::Result<()>> {
    Poll::Ready(socket2::SockRef::from(io).shutdown(Shutdown::Write))
}

macro_rules! impl_io {
    ($ty:ty) => {
        read_via_tokio!($ty);
        write_via_tokio!($ty);

        impl AsyncRead for $ty {
            #[inline]
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<io::Result<()>> {
                self.mode
                    .poll(cx, |cx| readiness::poll_read(&*self.inner, cx, buf))
            }
        }

        impl AsyncWrite for $ty {
            #[inline]
            fn poll_write(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                self.mode
                    .poll(cx, |cx| readiness::poll_write(&*self.inner, cx, buf))
            }

            #[inline]
            fn poll_write_vectored(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                bufs: &[io::IoSlice<'_>],
            ) -> Poll<io::Result<usize>> {
                self.mode.poll(cx, |cx| {
                    readiness::poll_write_vectored(&*self.inner, cx, bufs)
                })
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            #[inline]
            fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(Ok(()))
            }

            fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                shutdown_write(&self.inner)
            }
        }
    };
}

impl_io!(UnixStream);
impl_io!(&UnixStream);

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UnixStream");
        debug.field("fd", &self.inner.as_raw_fd());
        if let Ok(addr) = self.local_addr() {
            debug.field("local", &addr);
        }
        if let Ok(peer) = self.peer_addr() {
            debug.field("peer", &peer);
        }
        debug.finish()
    }
}

impl AsFd for UnixStream {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsRawFd for UnixStream {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}
