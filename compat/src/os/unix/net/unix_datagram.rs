//! `UnixDatagram`: a Unix domain datagram socket whose sends and receives are
//! green.

use core::fmt;
use core::future::Future;
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::path::Path;
use std::sync::Arc;

use green_runtime::Green;

use super::{SocketAddr, on_hub};
use crate::net::timeouts::{Mode, within};

/// Green version of [`std::os::unix::net::UnixDatagram`]: a Unix domain
/// datagram socket.
///
/// Sends and receives are green: they block the task, not the thread.
/// Making, binding and connecting the socket never block and stay plain
/// functions. [`try_clone`](UnixDatagram::try_clone) gives a second handle
/// to the same socket.
///
/// ```
/// use green::compat::os::unix::net::UnixDatagram;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let dir = std::env::temp_dir().join(format!("green-doc-dgram-{}", std::process::id()));
///     green::compat::fs::create_dir_all(&dir)?;
///     let server_path = dir.join("server.sock");
///     let _ = green::compat::fs::remove_file(&server_path);
///     let server = UnixDatagram::bind(&server_path)?;
///     let client = UnixDatagram::unbound()?;
///     client.send_to(b"request", &server_path)?;
///     let mut buf = [0u8; 16];
///     let (n, from) = server.recv_from(&mut buf)?;
///     assert_eq!(&buf[..n], b"request");
///     assert!(from.is_unnamed());
///     green::compat::fs::remove_dir_all(&dir)
/// }
/// ```
pub struct UnixDatagram {
    inner: Arc<tokio::net::UnixDatagram>,
    mode: Arc<Mode>,
}

impl UnixDatagram {
    fn from_tokio(socket: tokio::net::UnixDatagram) -> Self {
        UnixDatagram {
            inner: Arc::new(socket),
            mode: Arc::default(),
        }
    }

    /// A socket bound to the socket file `path`, which must not exist yet.
    /// Not green: binding never blocks. As
    /// [`std::os::unix::net::UnixDatagram::bind`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-dbind-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let socket = UnixDatagram::bind(&path)?;
    ///     assert_eq!(socket.local_addr()?.as_pathname(), Some(path.as_path()));
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixDatagram> {
        on_hub()?;
        tokio::net::UnixDatagram::bind(path).map(UnixDatagram::from_tokio)
    }

    /// A socket bound to `socket_addr` (a path or, on Linux, an abstract
    /// name). As [`std::os::unix::net::UnixDatagram::bind_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::{SocketAddr, UnixDatagram};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-dbaddr-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let socket = UnixDatagram::bind_addr(&SocketAddr::from_pathname(&path)?)?;
    ///     assert_eq!(socket.local_addr()?.as_pathname(), Some(path.as_path()));
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn bind_addr(socket_addr: &SocketAddr) -> io::Result<UnixDatagram> {
        on_hub()?;
        let socket = std::os::unix::net::UnixDatagram::bind_addr(socket_addr)?;
        socket.set_nonblocking(true)?;
        tokio::net::UnixDatagram::from_std(socket).map(UnixDatagram::from_tokio)
    }

    /// A socket bound to no address: it can send, and receive replies to a
    /// connected peer. As [`std::os::unix::net::UnixDatagram::unbound`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UnixDatagram::unbound()?;
    ///     assert!(socket.local_addr()?.is_unnamed());
    ///     Ok(())
    /// }
    /// ```
    pub fn unbound() -> io::Result<UnixDatagram> {
        on_hub()?;
        tokio::net::UnixDatagram::unbound().map(UnixDatagram::from_tokio)
    }

    /// Two connected, unnamed sockets. As
    /// [`std::os::unix::net::UnixDatagram::pair`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     b.send(b"one")?;
    ///     b.send(b"two")?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(a.recv(&mut buf)?, 3); // datagrams keep their bounds
    ///     assert_eq!(a.recv(&mut buf)?, 3);
    ///     Ok(())
    /// }
    /// ```
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        on_hub()?;
        let (a, b) = tokio::net::UnixDatagram::pair()?;
        Ok((UnixDatagram::from_tokio(a), UnixDatagram::from_tokio(b)))
    }

    /// Sets the socket's default destination (and the only source it
    /// receives from). Not green: connecting a datagram socket never
    /// blocks. As [`std::os::unix::net::UnixDatagram::connect`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-dconn-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let server = UnixDatagram::bind(&path)?;
    ///     let client = UnixDatagram::unbound()?;
    ///     client.connect(&path)?;
    ///     client.send(b"hi")?;
    ///     let mut buf = [0u8; 2];
    ///     assert_eq!(server.recv(&mut buf)?, 2);
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
        self.inner.connect(path)
    }

    /// Sends `buf` as one datagram to the connected peer. Green. As
    /// [`std::os::unix::net::UnixDatagram::send`]; an unconnected socket
    /// gives an error.
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixDatagram::pair()?;
    ///     assert_eq!(a.send(b"four")?, 4);
    ///     assert!(UnixDatagram::unbound()?.send(b"nowhere").is_err());
    ///     Ok(())
    /// }
    /// ```
    pub fn send<'a>(
        &'a self,
        buf: &'a [u8],
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.mode.wait(None), self.inner.send(buf)))
    }

    /// Sends `buf` as one datagram to the socket at `path`. Green. As
    /// [`std::os::unix::net::UnixDatagram::send_to`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-dsendto-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let server = UnixDatagram::bind(&path)?;
    ///     assert_eq!(UnixDatagram::unbound()?.send_to(b"hey", &path)?, 3);
    ///     let mut buf = [0u8; 3];
    ///     assert_eq!(server.recv(&mut buf)?, 3);
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn send_to<'a, P: AsRef<Path> + 'a>(
        &'a self,
        buf: &'a [u8],
        path: P,
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.mode.wait(None), self.inner.send_to(buf, path)))
    }

    /// Receives one datagram into `buf` and gives its length; a datagram
    /// longer than `buf` is cut. Green. As
    /// [`std::os::unix::net::UnixDatagram::recv`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     a.send(b"truncated")?;
    ///     let mut buf = [0u8; 5];
    ///     assert_eq!(b.recv(&mut buf)?, 5);
    ///     assert_eq!(&buf, b"trunc");
    ///     Ok(())
    /// }
    /// ```
    pub fn recv<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.mode.wait(None), self.inner.recv(buf)))
    }

    /// Receives one datagram into `buf` and gives its length and the
    /// sender's address. Green. As
    /// [`std::os::unix::net::UnixDatagram::recv_from`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     a.send(b"who")?;
    ///     let mut buf = [0u8; 8];
    ///     let (n, from) = b.recv_from(&mut buf)?;
    ///     assert_eq!((n, from.is_unnamed()), (3, true));
    ///     Ok(())
    /// }
    /// ```
    pub fn recv_from<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<(usize, SocketAddr)>> + 'a> {
        Green::new(async move {
            let (n, addr) = within(self.mode.wait(None), self.inner.recv_from(buf)).await?;
            Ok((n, SocketAddr::from(addr)))
        })
    }

    /// The address this socket is bound to. As
    /// [`std::os::unix::net::UnixDatagram::local_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixDatagram::pair()?;
    ///     assert!(a.local_addr()?.is_unnamed());
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr().map(SocketAddr::from)
    }

    /// The address of the connected peer;
    /// [`ErrorKind::NotConnected`](std::io::ErrorKind::NotConnected) when
    /// there is none. As [`std::os::unix::net::UnixDatagram::peer_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UnixDatagram::unbound()?;
    ///     let error = socket.peer_addr().unwrap_err();
    ///     assert_eq!(error.kind(), std::io::ErrorKind::NotConnected);
    ///     Ok(())
    /// }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr().map(SocketAddr::from)
    }

    /// Shuts down the read half, the write half or both. As
    /// [`std::os::unix::net::UnixDatagram::shutdown`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    /// use std::net::Shutdown;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, _b) = UnixDatagram::pair()?;
    ///     a.shutdown(Shutdown::Write)?;
    ///     assert!(a.send(b"closed").is_err());
    ///     Ok(())
    /// }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.shutdown(how)
    }

    /// Another handle to the same socket. As
    /// [`std::os::unix::net::UnixDatagram::try_clone`] (shared, not
    /// duplicated: it closes when the last handle drops).
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     let sender = a.try_clone()?;
    ///     sender.send(b"via clone")?;
    ///     let mut buf = [0u8; 16];
    ///     assert_eq!(b.recv(&mut buf)?, 9);
    ///     Ok(())
    /// }
    /// ```
    pub fn try_clone(&self) -> io::Result<UnixDatagram> {
        Ok(UnixDatagram {
            inner: self.inner.clone(),
            mode: self.mode.clone(),
        })
    }

    /// Moves the socket into or out of non-blocking mode, as
    /// [`std::os::unix::net::UnixDatagram::set_nonblocking`]: in
    /// non-blocking mode a send or receive that would wait gives an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error at
    /// once instead of blocking the task (the mode is shared by every
    /// handle of the socket).
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let (left, right) = UnixDatagram::pair()?;
    ///     right.set_nonblocking(true)?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(right.recv(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    ///     left.send(b"ping")?;
    ///     Ok(())
    /// }
    /// ```
    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.mode.set_nonblocking(nonblocking);
        Ok(())
    }

    /// Takes the pending error of the socket (`SO_ERROR`), if any. As
    /// [`std::os::unix::net::UnixDatagram::take_error`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixDatagram;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     assert!(UnixDatagram::unbound()?.take_error()?.is_none());
    ///     Ok(())
    /// }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }
}

impl fmt::Debug for UnixDatagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UnixDatagram");
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

impl AsFd for UnixDatagram {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsRawFd for UnixDatagram {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}
