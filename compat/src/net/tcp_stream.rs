//! `TcpStream`: a TCP connection whose reads and writes are green.

use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::io;
use std::net::{Shutdown, SocketAddr};

use green_runtime::Green;

use super::addr::{ToSocketAddrs, each_addr};
use super::stream_socket::{StreamSocket, stream_io};
use super::timeouts::within;

/// Green version of [`std::net::TcpStream`]: a TCP connection between a
/// local and a remote socket.
///
/// [`connect`](TcpStream::connect), [`peek`](TcpStream::peek) and the
/// reads and writes of [`Read`](crate::io::Read) and
/// [`Write`](crate::io::Write) are green: they block the task, not the
/// thread. As with std, `&TcpStream` reads and writes too, and
/// [`try_clone`](TcpStream::try_clone) gives a second handle so that one task
/// reads while another writes, or two tasks read (each through its own
/// handle). The connection closes when the last handle is dropped,
/// including when the task owning it is killed.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::net::{TcpListener, TcpStream};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let mut client = TcpStream::connect(listener.local_addr()?)?;
///     let (mut server, _) = listener.accept()?;
///     client.write_all(b"ping")?;
///     let mut buf = [0u8; 4];
///     server.read_exact(&mut buf)?;
///     assert_eq!(&buf, b"ping");
///     Ok(())
/// }
/// ```
pub struct TcpStream {
    socket: StreamSocket<tokio::net::TcpStream>,
}

impl TcpStream {
    pub(crate) fn from_tokio(stream: tokio::net::TcpStream) -> Self {
        TcpStream {
            socket: StreamSocket::new(stream),
        }
    }

    /// The tokio socket under this handle, without green's timeouts and
    /// non-blocking mode: for green's own servers (green::http drives
    /// hyper on it, with timeouts of its own), not part of the API.
    #[doc(hidden)]
    pub fn into_tokio(self) -> tokio::net::TcpStream {
        self.socket.into_io()
    }

    /// A green stream on a connected socket that was not made here, such
    /// as one accepted on another hub and handed over as a
    /// `std::net::TcpStream`: it is registered with the hub this is called
    /// on, which must run its reads and writes. Not green. tokio's
    /// `TcpStream::from_std`; the socket is put in non-blocking mode, which
    /// the hub needs. An error outside a hub.
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// fn main() -> std::io::Result<()> {
    ///     // Connected on a plain thread, then handed to a hub.
    ///     let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let std_client = std::net::TcpStream::connect(std_listener.local_addr()?)?;
    ///     green::run(async move {
    ///         let listener = TcpListener::from_std(std_listener)?;
    ///         let mut client = TcpStream::from_std(std_client)?;
    ///         let (mut server, _) = listener.accept().await?;
    ///         client.write_all(b"hi").await?;
    ///         let mut got = [0u8; 2];
    ///         server.read_exact(&mut got).await?;
    ///         assert_eq!(&got, b"hi");
    ///         Ok(())
    ///     })
    /// }
    /// ```
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        super::stream_socket::on_hub("a green stream must be made")?;
        stream.set_nonblocking(true)?;
        Ok(TcpStream::from_tokio(tokio::net::TcpStream::from_std(
            stream,
        )?))
    }

    /// Opens a connection to `addr`: the first of its addresses that
    /// accepts. Green: blocks the task during the lookup and the handshake.
    /// A port nobody listens on gives
    /// [`ErrorKind::ConnectionRefused`](std::io::ErrorKind::ConnectionRefused).
    /// As [`std::net::TcpStream::connect`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let port = listener.local_addr()?.port();
    ///     let stream = TcpStream::connect(("127.0.0.1", port))?;
    ///     assert_eq!(stream.peer_addr()?.port(), port);
    ///     Ok(())
    /// }
    /// ```
    pub fn connect<A: ToSocketAddrs>(
        addr: A,
    ) -> Green<impl Future<Output = io::Result<TcpStream>>> {
        Green::new(async move {
            let stream = each_addr(&addr, tokio::net::TcpStream::connect).await?;
            Ok(TcpStream::from_tokio(stream))
        })
    }

    /// Opens a connection to `addr`, giving up after `timeout` with an
    /// [`ErrorKind::TimedOut`](std::io::ErrorKind::TimedOut) error. A zero
    /// timeout gives an
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput) error,
    /// as std. As [`std::net::TcpStream::connect_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    ///     assert_eq!(stream.peer_addr()?, addr);
    ///     let error = TcpStream::connect_timeout(&addr, Duration::ZERO).unwrap_err();
    ///     assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    ///     Ok(())
    /// }
    /// ```
    pub fn connect_timeout(
        addr: &SocketAddr,
        timeout: Duration,
    ) -> Green<impl Future<Output = io::Result<TcpStream>> + use<>> {
        let addr = *addr;
        Green::new(async move {
            if timeout.is_zero() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "cannot set a 0 duration timeout",
                ));
            }
            match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
                Ok(stream) => Ok(TcpStream::from_tokio(stream?)),
                Err(_) => Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection timed out",
                )),
            }
        })
    }

    /// The remote address of the connection. As
    /// [`std::net::TcpStream::peer_addr`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.io().peer_addr()
    }

    /// The local address of the connection. As
    /// [`std::net::TcpStream::local_addr`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert!(stream.local_addr()?.ip().is_loopback());
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.io().local_addr()
    }

    /// Shuts down the read half, the write half or both (not blocking).
    /// After `Shutdown::Write` the peer reads the end of the stream. As
    /// [`std::net::TcpStream::shutdown`]; it affects every handle of the
    /// connection.
    ///
    /// ```
    /// use green::compat::io::Read;
    /// use green::compat::net::{Shutdown, TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?)?;
    ///     let (mut server, _) = listener.accept()?;
    ///     client.shutdown(Shutdown::Write)?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(server.read(&mut buf)?, 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.socket.shutdown(how)
    }

    /// Another handle to the same connection, so that one task reads while
    /// another writes, or two tasks read (or write) at once. As
    /// [`std::net::TcpStream::try_clone`], the descriptor is duplicated
    /// (the connection closes when the last handle drops) and the socket's
    /// options, timeouts and mode are shared. Each handle waits on its own:
    /// tasks that read or write at once each use a handle of their own, as
    /// one handle (`&TcpStream`) wakes only the latest of two tasks waiting
    /// on it in the same direction. A clone is made on a hub (in green
    /// code): elsewhere it gives an
    /// [`ErrorKind::Other`](std::io::ErrorKind::Other) error.
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?)?;
    ///     let (mut server, _) = listener.accept()?;
    ///     let mut writer = client.try_clone()?;
    ///     let sender = green::spawn(move || async move { writer.write_all(b"from a clone").await });
    ///     let mut text = [0u8; 12];
    ///     server.read_exact(&mut text)?;
    ///     assert_eq!(&text, b"from a clone");
    ///     sender.join().unwrap()?;
    ///     Ok(())
    /// }
    /// ```
    pub fn try_clone(&self) -> io::Result<TcpStream> {
        Ok(TcpStream {
            socket: self.socket.try_clone()?,
        })
    }

    /// Reads into `buf` without taking the bytes out of the stream: the next
    /// read gives them again. Green. As [`std::net::TcpStream::peek`].
    ///
    /// ```
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?)?;
    ///     let (mut server, _) = listener.accept()?;
    ///     client.write_all(b"x")?;
    ///     let mut buf = [0u8; 1];
    ///     assert_eq!(server.peek(&mut buf)?, 1);
    ///     assert_eq!(server.read(&mut buf)?, 1);
    ///     assert_eq!(&buf, b"x");
    ///     Ok(())
    /// }
    /// ```
    pub fn peek<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.socket.read_wait(), self.socket.io().peek(buf)))
    }

    /// Sets `TCP_NODELAY`: small writes go out at once instead of waiting
    /// for more data (Nagle's algorithm off). Off by default, as std. As
    /// [`std::net::TcpStream::set_nodelay`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     stream.set_nodelay(true)?;
    ///     assert!(stream.nodelay()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.socket.io().set_nodelay(nodelay)
    }

    /// Whether `TCP_NODELAY` is set. As [`std::net::TcpStream::nodelay`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert!(!stream.nodelay()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.socket.io().nodelay()
    }

    /// Sets the IP time-to-live of the packets sent on this connection. As
    /// [`std::net::TcpStream::set_ttl`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     stream.set_ttl(100)?;
    ///     assert_eq!(stream.ttl()?, 100);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.socket.io().set_ttl(ttl)
    }

    /// The IP time-to-live of this connection. As
    /// [`std::net::TcpStream::ttl`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert!(stream.ttl()? > 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn ttl(&self) -> io::Result<u32> {
        self.socket.io().ttl()
    }

    /// Sets how long a read (or [`peek`](TcpStream::peek)) waits for data
    /// before it gives up with an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error, as
    /// std's does on Linux; `None` (the default) waits for ever. Each read
    /// gets the whole timeout: `read_exact` and `BufReader` time out only
    /// when the peer is silent that long. The timeout is shared by every
    /// handle of the connection (as std's clones share the socket option).
    /// A read cancelled while waiting (by `green::timeout` or a kill) takes
    /// its timer with it: the next read gets the whole timeout again. A
    /// zero duration is refused with
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput). As
    /// [`std::net::TcpStream::set_read_timeout`]; the wait is green: other
    /// tasks run meanwhile.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::io::Read;
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?)?;
    ///     let _server = listener.accept()?;
    ///     client.set_read_timeout(Some(Duration::from_millis(20)))?;
    ///     let mut buf = [0u8; 8];
    ///     let error = client.read(&mut buf).unwrap_err(); // the server is silent
    ///     assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    ///
    ///     let zero = client.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    ///     assert_eq!(zero.kind(), std::io::ErrorKind::InvalidInput);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_read_timeout(timeout)
    }

    /// The read timeout set by
    /// [`set_read_timeout`](TcpStream::set_read_timeout); `None` (the
    /// default) for none. As [`std::net::TcpStream::read_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert_eq!(stream.read_timeout()?, None);
    ///     stream.set_read_timeout(Some(Duration::from_secs(1)))?;
    ///     assert_eq!(stream.try_clone()?.read_timeout()?, Some(Duration::from_secs(1)));
    ///     stream.set_read_timeout(None)?;
    ///     assert_eq!(stream.read_timeout()?, None);
    ///     Ok(())
    /// }
    /// ```
    pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(self.socket.read_timeout())
    }

    /// Sets how long a write waits for room in the socket's send buffer
    /// (a peer that does not read) before it gives up with an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error;
    /// `None` (the default) waits for ever, a zero duration is refused with
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput). Shared
    /// by every handle of the connection. As
    /// [`std::net::TcpStream::set_write_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::io::Write;
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?)?;
    ///     let _server = listener.accept()?; // never reads
    ///     client.set_write_timeout(Some(Duration::from_millis(20)))?;
    ///     let chunk = vec![0u8; 1 << 20];
    ///     let error = loop {
    ///         if let Err(error) = client.write(&chunk) {
    ///             break error; // once the buffers are full
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
    /// [`set_write_timeout`](TcpStream::set_write_timeout); `None` (the
    /// default) for none. As [`std::net::TcpStream::write_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert_eq!(stream.write_timeout()?, None);
    ///     stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    ///     assert_eq!(stream.write_timeout()?, Some(Duration::from_secs(2)));
    ///     Ok(())
    /// }
    /// ```
    pub fn write_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(self.socket.write_timeout())
    }

    /// Moves the socket into or out of non-blocking mode, as
    /// [`std::net::TcpStream::set_nonblocking`]: in non-blocking mode an
    /// operation that would wait gives an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error at
    /// once instead of blocking the task (the mode is shared by every
    /// handle of the socket). What "would wait" means is what the hub last
    /// heard from the OS: data that came in since (or room to write, for a
    /// socket the hub has not yet polled) is seen after the hub's next
    /// turn, such as a `thread::sleep` in the polling loop.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use std::time::Duration;
    /// use green::compat::io::{Read, Write};
    /// use green::compat::net::{TcpListener, TcpStream};
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?)?;
    ///     let (mut server, _) = listener.accept()?;
    ///     server.set_nonblocking(true)?;
    ///     let mut buf = [0u8; 4];
    ///     assert_eq!(server.read(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    ///     client.write_all(b"ping")?;
    ///     let n = loop {
    ///         match server.read(&mut buf) {
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
    /// [`std::net::TcpStream::take_error`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let stream = TcpStream::connect(listener.local_addr()?)?;
    ///     assert!(stream.take_error()?.is_none());
    ///     Ok(())
    /// }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.socket.io().take_error()
    }
}

stream_io!(TcpStream);

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("TcpStream");
        if let Ok(addr) = self.local_addr() {
            debug.field("addr", &addr);
        }
        if let Ok(peer) = self.peer_addr() {
            debug.field("peer", &peer);
        }
        #[cfg(unix)]
        debug.field("fd", &std::os::fd::AsRawFd::as_raw_fd(self.socket.io()));
        debug.finish()
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for TcpStream {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.socket.io().as_fd()
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for TcpStream {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.socket.io().as_raw_fd()
    }
}
