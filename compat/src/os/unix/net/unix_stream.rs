//! `UnixStream`: a Unix domain stream socket whose reads and writes are green.

use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::path::Path;

use green_runtime::Green;

use super::{SocketAddr, on_hub};
use crate::net::stream_socket::{StreamSocket, stream_io};

/// Green version of [`std::os::unix::net::UnixStream`]: a connected Unix
/// domain stream socket.
///
/// [`connect`](UnixStream::connect) and the reads and writes of
/// [`Read`](crate::io::Read) and [`Write`](crate::io::Write) are green: they
/// block the task, not the thread. As with std, `&UnixStream` reads and
/// writes too, and [`try_clone`](UnixStream::try_clone) gives a second
/// handle so that one task reads while another writes, or two tasks read
/// (each through its own handle). The socket closes when the last handle is
/// dropped.
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
    socket: StreamSocket<tokio::net::UnixStream>,
}

impl UnixStream {
    pub(super) fn from_tokio(stream: tokio::net::UnixStream) -> Self {
        UnixStream {
            socket: StreamSocket::new(stream),
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
        self.socket.io().local_addr().map(SocketAddr::from)
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
        self.socket.io().peer_addr().map(SocketAddr::from)
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
        self.socket.shutdown(how)
    }

    /// Another handle to the same socket, so that one task reads while
    /// another writes, or two tasks read (or write) at once. As
    /// [`std::os::unix::net::UnixStream::try_clone`], the descriptor is
    /// duplicated (the socket closes when the last handle drops) and the
    /// timeouts and mode are shared. Each handle waits on its own: tasks
    /// that read or write at once each use a handle of their own, as one
    /// handle (`&UnixStream`) wakes only the latest of two tasks waiting on
    /// it in the same direction.
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
            socket: self.socket.try_clone()?,
        })
    }

    /// Sets how long a read waits for data before it gives up with an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error, as
    /// std's does on Linux; `None` (the default) waits for ever. Each read
    /// gets the whole timeout, counted from when it starts waiting, also
    /// after a read cancelled by `green::timeout`. Shared by every handle of
    /// the socket. A zero duration is refused with
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput). As
    /// [`std::os::unix::net::UnixStream::set_read_timeout`]; the wait is
    /// green: other tasks run meanwhile.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::io::Read;
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (mut quiet, _peer) = UnixStream::pair()?;
    ///     quiet.set_read_timeout(Some(Duration::from_millis(20)))?;
    ///     let mut buf = [0u8; 8];
    ///     let error = quiet.read(&mut buf).unwrap_err();
    ///     assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    ///
    ///     let zero = quiet.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    ///     assert_eq!(zero.kind(), std::io::ErrorKind::InvalidInput);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_read_timeout(timeout)
    }

    /// The read timeout set by
    /// [`set_read_timeout`](UnixStream::set_read_timeout); `None` (the
    /// default) for none. As
    /// [`std::os::unix::net::UnixStream::read_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixStream::pair()?;
    ///     assert_eq!(a.read_timeout()?, None);
    ///     a.set_read_timeout(Some(Duration::from_secs(1)))?;
    ///     assert_eq!(a.try_clone()?.read_timeout()?, Some(Duration::from_secs(1)));
    ///     Ok(())
    /// }
    /// ```
    pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(self.socket.read_timeout())
    }

    /// Sets how long a write waits for room in the socket's buffer (a peer
    /// that does not read) before it gives up with an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error;
    /// `None` (the default) waits for ever, a zero duration is refused with
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput). Shared
    /// by every handle of the socket. As
    /// [`std::os::unix::net::UnixStream::set_write_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::io::Write;
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (mut writer, _never_reads) = UnixStream::pair()?;
    ///     writer.set_write_timeout(Some(Duration::from_millis(20)))?;
    ///     let chunk = vec![0u8; 1 << 16];
    ///     let error = loop {
    ///         if let Err(error) = writer.write(&chunk) {
    ///             break error; // once the buffer is full
    ///         }
    ///     };
    ///     assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_write_timeout(timeout)
    }

    /// The write timeout set by
    /// [`set_write_timeout`](UnixStream::set_write_timeout); `None` (the
    /// default) for none. As
    /// [`std::os::unix::net::UnixStream::write_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::os::unix::net::UnixStream;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixStream::pair()?;
    ///     assert_eq!(a.write_timeout()?, None);
    ///     a.set_write_timeout(Some(Duration::from_secs(2)))?;
    ///     assert_eq!(a.write_timeout()?, Some(Duration::from_secs(2)));
    ///     Ok(())
    /// }
    /// ```
    pub fn write_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(self.socket.write_timeout())
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
        self.socket.set_nonblocking(nonblocking);
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
        self.socket.io().take_error()
    }
}

stream_io!(UnixStream);

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UnixStream");
        debug.field("fd", &self.socket.io().as_raw_fd());
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
        self.socket.io().as_fd()
    }
}

impl AsRawFd for UnixStream {
    fn as_raw_fd(&self) -> RawFd {
        self.socket.io().as_raw_fd()
    }
}
