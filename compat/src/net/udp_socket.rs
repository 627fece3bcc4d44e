//! `UdpSocket`: datagrams whose sends and receives are green.

use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use green_runtime::Green;

use super::addr::{ToSocketAddrs, each_addr};
use super::timeouts::{Timeouts, within};

/// Green version of [`std::net::UdpSocket`]: a UDP socket.
///
/// [`bind`](UdpSocket::bind), [`connect`](UdpSocket::connect) (for the name
/// lookup) and every send, receive and peek are green: they block the task,
/// not the thread. [`try_clone`](UdpSocket::try_clone) gives a second handle
/// to the same socket; several tasks may wait on one socket at once. The
/// socket closes when the last handle is dropped.
///
/// ```
/// use green::compat::net::UdpSocket;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let server = UdpSocket::bind("127.0.0.1:0")?;
///     let client = UdpSocket::bind("127.0.0.1:0")?;
///     client.send_to(b"ping", server.local_addr()?)?;
///     let mut buf = [0u8; 16];
///     let (n, from) = server.recv_from(&mut buf)?;
///     assert_eq!(&buf[..n], b"ping");
///     assert_eq!(from, client.local_addr()?);
///     Ok(())
/// }
/// ```
pub struct UdpSocket {
    inner: Arc<tokio::net::UdpSocket>,
    timeouts: Arc<Timeouts>,
}

impl UdpSocket {
    /// A socket bound to `addr`: the first of its addresses that binds.
    /// Green, as the name lookup can block. As
    /// [`std::net::UdpSocket::bind`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    ///     assert_ne!(socket.local_addr().unwrap().port(), 0);
    ///     assert!(UdpSocket::bind("no port").is_err());
    /// }
    /// ```
    pub fn bind<A: ToSocketAddrs>(addr: A) -> Green<impl Future<Output = io::Result<UdpSocket>>> {
        Green::new(async move {
            let inner = each_addr(&addr, tokio::net::UdpSocket::bind).await?;
            Ok(UdpSocket {
                inner: Arc::new(inner),
                timeouts: Arc::default(),
            })
        })
    }

    /// Receives one datagram into `buf` and gives its length and sender; a
    /// datagram longer than `buf` is cut. As
    /// [`std::net::UdpSocket::recv_from`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.send_to(b"to myself", socket.local_addr()?)?;
    ///     let mut buf = [0u8; 32];
    ///     let (n, from) = socket.recv_from(&mut buf)?;
    ///     assert_eq!((&buf[..n], from), (&b"to myself"[..], socket.local_addr()?));
    ///     Ok(())
    /// }
    /// ```
    pub fn recv_from<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<(usize, SocketAddr)>> + 'a> {
        Green::new(within(self.timeouts.read_wait(), self.inner.recv_from(buf)))
    }

    /// As [`recv_from`](UdpSocket::recv_from), but the datagram stays in
    /// the queue: the next receive gives it again. As
    /// [`std::net::UdpSocket::peek_from`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.send_to(b"twice", socket.local_addr()?)?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(socket.peek_from(&mut buf)?.0, 5);
    ///     assert_eq!(socket.recv_from(&mut buf)?.0, 5);
    ///     Ok(())
    /// }
    /// ```
    pub fn peek_from<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<(usize, SocketAddr)>> + 'a> {
        Green::new(within(self.timeouts.read_wait(), self.inner.peek_from(buf)))
    }

    /// Sends `buf` as one datagram to `addr` (its first address) and gives
    /// how many bytes were sent. An address that resolves to nothing gives
    /// an [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput)
    /// error. As [`std::net::UdpSocket::send_to`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     let port = socket.local_addr()?.port();
    ///     assert_eq!(socket.send_to(b"hi", ("127.0.0.1", port))?, 2);
    ///     Ok(())
    /// }
    /// ```
    pub fn send_to<'a, A: ToSocketAddrs + 'a>(
        &'a self,
        buf: &'a [u8],
        addr: A,
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(async move {
            match addr.to_socket_addrs().await?.next() {
                Some(addr) => {
                    within(self.timeouts.write_wait(), self.inner.send_to(buf, addr)).await
                }
                None => Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "no addresses to send data to",
                )),
            }
        })
    }

    /// The address of the peer this socket is connected to. As
    /// [`std::net::UdpSocket::peer_addr`]; an unconnected socket gives an
    /// [`ErrorKind::NotConnected`](std::io::ErrorKind::NotConnected) error.
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert_eq!(socket.peer_addr().unwrap_err().kind(), std::io::ErrorKind::NotConnected);
    ///     socket.connect("127.0.0.1:9")?;
    ///     assert_eq!(socket.peer_addr()?.port(), 9);
    ///     Ok(())
    /// }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.inner.peer_addr()
    }

    /// The address this socket is bound to. As
    /// [`std::net::UdpSocket::local_addr`].
    ///
    /// ```
    /// use green::compat::net::{Ipv4Addr, UdpSocket};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    ///     assert_eq!(socket.local_addr()?.ip(), Ipv4Addr::LOCALHOST);
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Another handle to the same socket. As
    /// [`std::net::UdpSocket::try_clone`] (the socket is shared, not
    /// duplicated: it closes when the last handle drops).
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     let other = socket.try_clone()?;
    ///     other.send_to(b"x", socket.local_addr()?)?;
    ///     let mut buf = [0u8; 1];
    ///     assert_eq!(socket.recv_from(&mut buf)?.0, 1);
    ///     Ok(())
    /// }
    /// ```
    pub fn try_clone(&self) -> io::Result<UdpSocket> {
        Ok(UdpSocket {
            inner: self.inner.clone(),
            timeouts: self.timeouts.clone(),
        })
    }

    /// Sets the socket's default destination (and the only source it
    /// receives from): the first of `addr`'s addresses that connects. Green,
    /// as the name lookup can block. As [`std::net::UdpSocket::connect`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let a = UdpSocket::bind("127.0.0.1:0")?;
    ///     let b = UdpSocket::bind("127.0.0.1:0")?;
    ///     a.connect(b.local_addr()?)?;
    ///     b.connect(a.local_addr()?)?;
    ///     a.send(b"hello")?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(b.recv(&mut buf)?, 5);
    ///     Ok(())
    /// }
    /// ```
    pub fn connect<A: ToSocketAddrs>(
        &self,
        addr: A,
    ) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(async move { each_addr(&addr, |addr| self.inner.connect(addr)).await })
    }

    /// Sends `buf` as one datagram to the connected peer. As
    /// [`std::net::UdpSocket::send`]; an unconnected socket gives an error.
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert!(socket.send(b"nowhere").is_err());
    ///     socket.connect(socket.local_addr()?)?;
    ///     assert_eq!(socket.send(b"loop")?, 4);
    ///     Ok(())
    /// }
    /// ```
    pub fn send<'a>(
        &'a self,
        buf: &'a [u8],
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.timeouts.write_wait(), self.inner.send(buf)))
    }

    /// Receives one datagram from the connected peer into `buf` and gives
    /// its length. As [`std::net::UdpSocket::recv`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.connect(socket.local_addr()?)?;
    ///     socket.send(b"echo")?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(socket.recv(&mut buf)?, 4);
    ///     Ok(())
    /// }
    /// ```
    pub fn recv<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.timeouts.read_wait(), self.inner.recv(buf)))
    }

    /// As [`recv`](UdpSocket::recv), but the datagram stays in the queue.
    /// As [`std::net::UdpSocket::peek`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.connect(socket.local_addr()?)?;
    ///     socket.send(b"peeked")?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(socket.peek(&mut buf)?, 6);
    ///     assert_eq!(socket.recv(&mut buf)?, 6);
    ///     Ok(())
    /// }
    /// ```
    pub fn peek<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        Green::new(within(self.timeouts.read_wait(), self.inner.peek(buf)))
    }

    /// Sets `SO_BROADCAST`. As [`std::net::UdpSocket::set_broadcast`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_broadcast(true)?;
    ///     assert!(socket.broadcast()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_broadcast(&self, broadcast: bool) -> io::Result<()> {
        self.inner.set_broadcast(broadcast)
    }

    /// Whether `SO_BROADCAST` is set. As [`std::net::UdpSocket::broadcast`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert!(!socket.broadcast()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn broadcast(&self) -> io::Result<bool> {
        self.inner.broadcast()
    }

    /// Sets `IP_MULTICAST_LOOP`. As
    /// [`std::net::UdpSocket::set_multicast_loop_v4`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_multicast_loop_v4(false)?;
    ///     assert!(!socket.multicast_loop_v4()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_multicast_loop_v4(&self, multicast_loop_v4: bool) -> io::Result<()> {
        self.inner.set_multicast_loop_v4(multicast_loop_v4)
    }

    /// Whether `IP_MULTICAST_LOOP` is set. As
    /// [`std::net::UdpSocket::multicast_loop_v4`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert!(socket.multicast_loop_v4()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn multicast_loop_v4(&self) -> io::Result<bool> {
        self.inner.multicast_loop_v4()
    }

    /// Sets `IP_MULTICAST_TTL`. As
    /// [`std::net::UdpSocket::set_multicast_ttl_v4`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_multicast_ttl_v4(4)?;
    ///     assert_eq!(socket.multicast_ttl_v4()?, 4);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_multicast_ttl_v4(&self, multicast_ttl_v4: u32) -> io::Result<()> {
        self.inner.set_multicast_ttl_v4(multicast_ttl_v4)
    }

    /// The `IP_MULTICAST_TTL` of this socket. As
    /// [`std::net::UdpSocket::multicast_ttl_v4`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert_eq!(socket.multicast_ttl_v4()?, 1);
    ///     Ok(())
    /// }
    /// ```
    pub fn multicast_ttl_v4(&self) -> io::Result<u32> {
        self.inner.multicast_ttl_v4()
    }

    /// Sets `IPV6_MULTICAST_LOOP`. As
    /// [`std::net::UdpSocket::set_multicast_loop_v6`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() {
    ///     // Needs an IPv6 socket; hosts without IPv6 give an error.
    ///     if let Ok(socket) = UdpSocket::bind("[::1]:0") {
    ///         socket.set_multicast_loop_v6(false).unwrap();
    ///         assert!(!socket.multicast_loop_v6().unwrap());
    ///     }
    /// }
    /// ```
    pub fn set_multicast_loop_v6(&self, multicast_loop_v6: bool) -> io::Result<()> {
        self.inner.set_multicast_loop_v6(multicast_loop_v6)
    }

    /// Whether `IPV6_MULTICAST_LOOP` is set. As
    /// [`std::net::UdpSocket::multicast_loop_v6`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() {
    ///     if let Ok(socket) = UdpSocket::bind("[::1]:0") {
    ///         assert!(socket.multicast_loop_v6().unwrap());
    ///     }
    /// }
    /// ```
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.inner.multicast_loop_v6()
    }

    /// Joins the multicast group `multiaddr` on the interface `interface`
    /// (`Ipv4Addr::UNSPECIFIED` for the default). As
    /// [`std::net::UdpSocket::join_multicast_v4`].
    ///
    /// ```
    /// use green::compat::net::{Ipv4Addr, UdpSocket};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    ///     let group = Ipv4Addr::new(239, 255, 0, 1);
    ///     // Hosts without a multicast route refuse: an error, not a panic.
    ///     if socket.join_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED).is_ok() {
    ///         socket.leave_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED).unwrap();
    ///     }
    /// }
    /// ```
    pub fn join_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> io::Result<()> {
        self.inner.join_multicast_v4(*multiaddr, *interface)
    }

    /// Joins the IPv6 multicast group `multiaddr` on the interface with
    /// index `interface` (0 for the default). As
    /// [`std::net::UdpSocket::join_multicast_v6`].
    ///
    /// ```
    /// use green::compat::net::{Ipv6Addr, UdpSocket};
    ///
    /// #[green::main]
    /// fn main() {
    ///     if let Ok(socket) = UdpSocket::bind("[::]:0") {
    ///         let group = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x123);
    ///         if socket.join_multicast_v6(&group, 0).is_ok() {
    ///             socket.leave_multicast_v6(&group, 0).unwrap();
    ///         }
    ///     }
    /// }
    /// ```
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.inner.join_multicast_v6(multiaddr, interface)
    }

    /// Leaves a multicast group joined with
    /// [`join_multicast_v4`](UdpSocket::join_multicast_v4). As
    /// [`std::net::UdpSocket::leave_multicast_v4`].
    ///
    /// ```
    /// use green::compat::net::{Ipv4Addr, UdpSocket};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let socket = UdpSocket::bind("0.0.0.0:0").unwrap();
    ///     let group = Ipv4Addr::new(239, 255, 0, 2);
    ///     // Leaving a group never joined is an error, not a panic.
    ///     assert!(socket.leave_multicast_v4(&group, &Ipv4Addr::UNSPECIFIED).is_err());
    /// }
    /// ```
    pub fn leave_multicast_v4(&self, multiaddr: &Ipv4Addr, interface: &Ipv4Addr) -> io::Result<()> {
        self.inner.leave_multicast_v4(*multiaddr, *interface)
    }

    /// Leaves a multicast group joined with
    /// [`join_multicast_v6`](UdpSocket::join_multicast_v6). As
    /// [`std::net::UdpSocket::leave_multicast_v6`].
    ///
    /// ```
    /// use green::compat::net::{Ipv6Addr, UdpSocket};
    ///
    /// #[green::main]
    /// fn main() {
    ///     if let Ok(socket) = UdpSocket::bind("[::]:0") {
    ///         let group = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x124);
    ///         assert!(socket.leave_multicast_v6(&group, 0).is_err());
    ///     }
    /// }
    /// ```
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.inner.leave_multicast_v6(multiaddr, interface)
    }

    /// Sets the IP time-to-live of the datagrams sent. As
    /// [`std::net::UdpSocket::set_ttl`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_ttl(30)?;
    ///     assert_eq!(socket.ttl()?, 30);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.inner.set_ttl(ttl)
    }

    /// The IP time-to-live of this socket. As
    /// [`std::net::UdpSocket::ttl`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert!(socket.ttl()? > 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn ttl(&self) -> io::Result<u32> {
        self.inner.ttl()
    }

    /// Sets how long a receive or peek waits for a datagram before it gives
    /// up with an [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock)
    /// error, as std's does on Linux; `None` waits for ever. The timeout
    /// applies to every handle of the socket (as std's clones share their
    /// socket options) and to each receive as it starts. A zero duration is
    /// refused with
    /// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput). As
    /// [`std::net::UdpSocket::set_read_timeout`]; the wait is green: other
    /// tasks run meanwhile.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_read_timeout(Some(Duration::from_millis(20)))?;
    ///     let mut buf = [0u8; 8];
    ///     let error = socket.recv_from(&mut buf).unwrap_err();
    ///     assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    ///
    ///     let zero = socket.set_read_timeout(Some(Duration::ZERO)).unwrap_err();
    ///     assert_eq!(zero.kind(), std::io::ErrorKind::InvalidInput);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.timeouts.set_read(timeout)
    }

    /// The read timeout set by
    /// [`set_read_timeout`](UdpSocket::set_read_timeout); `None` (the
    /// default) for none. As [`std::net::UdpSocket::read_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert_eq!(socket.read_timeout()?, None);
    ///     socket.set_read_timeout(Some(Duration::from_secs(1)))?;
    ///     assert_eq!(socket.try_clone()?.read_timeout()?, Some(Duration::from_secs(1)));
    ///     Ok(())
    /// }
    /// ```
    pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(self.timeouts.read())
    }

    /// Sets how long a send waits for room in the socket's buffer before
    /// it gives up with an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error;
    /// `None` waits for ever, a zero duration is refused. As
    /// [`std::net::UdpSocket::set_write_timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_write_timeout(Some(Duration::from_secs(1)))?;
    ///     socket.send_to(b"fits", socket.local_addr()?)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.timeouts.set_write(timeout)
    }

    /// The write timeout set by
    /// [`set_write_timeout`](UdpSocket::set_write_timeout); `None` (the
    /// default) for none. As [`std::net::UdpSocket::write_timeout`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert_eq!(socket.write_timeout()?, None);
    ///     Ok(())
    /// }
    /// ```
    pub fn write_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(self.timeouts.write())
    }

    /// Moves the socket into or out of non-blocking mode, as
    /// [`std::net::UdpSocket::set_nonblocking`]: in non-blocking mode an
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
    /// use green::compat::net::UdpSocket;
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     socket.set_nonblocking(true)?;
    ///     let mut buf = [0u8; 8];
    ///     assert_eq!(socket.recv_from(&mut buf).unwrap_err().kind(), ErrorKind::WouldBlock);
    ///     let sender = UdpSocket::bind("127.0.0.1:0")?;
    ///     sender.send_to(b"self", socket.local_addr()?)?;
    ///     let n = loop {
    ///         match socket.recv_from(&mut buf) {
    ///             Ok((n, _)) => break n,
    ///             Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(1)),
    ///             Err(e) => return Err(e),
    ///         }
    ///     };
    ///     assert_eq!(&buf[..n], b"self");
    ///     Ok(())
    /// }
    /// ```
    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.timeouts.set_nonblocking(nonblocking);
        Ok(())
    }

    /// Takes the pending error of the socket (`SO_ERROR`), if any. As
    /// [`std::net::UdpSocket::take_error`].
    ///
    /// ```
    /// use green::compat::net::UdpSocket;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let socket = UdpSocket::bind("127.0.0.1:0")?;
    ///     assert!(socket.take_error()?.is_none());
    ///     Ok(())
    /// }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UdpSocket");
        if let Ok(addr) = self.local_addr() {
            debug.field("addr", &addr);
        }
        #[cfg(unix)]
        debug.field("fd", &std::os::fd::AsRawFd::as_raw_fd(&*self.inner));
        debug.finish()
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for UdpSocket {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for UdpSocket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.inner.as_raw_fd()
    }
}
