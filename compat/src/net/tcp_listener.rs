//! `TcpListener` and its `Incoming` green iterator.

use core::fmt;
use core::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use green_runtime::{Green, GreenIterator};

use super::TcpStream;
use super::accept_pacing::AcceptPacing;
use super::addr::ToSocketAddrs;
use super::timeouts::{Mode, within};

/// Green version of [`std::net::TcpListener`]: a TCP socket server,
/// listening for connections.
///
/// [`bind`](TcpListener::bind) and [`accept`](TcpListener::accept) are
/// green; [`incoming`](TcpListener::incoming) is a green iterator of
/// connections, which a `for` loop in a `#[green]` body iterates. As std's,
/// `bind` sets `SO_REUSEADDR` on Unix. The listening socket closes when the
/// last handle (see [`try_clone`](TcpListener::try_clone)) is dropped.
///
/// ```
/// use green::compat::io::Write;
/// use green::compat::net::{TcpListener, TcpStream};
///
/// #[green::green]
/// fn handle(mut stream: TcpStream) -> std::io::Result<()> {
///     stream.write_all(b"hello\n")
/// }
///
/// #[green::green]
/// fn serve(listener: TcpListener) -> std::io::Result<()> {
///     for stream in listener.incoming() {
///         let stream = stream?;
///         green::spawn(move || handle(stream));
///     }
///     Ok(())
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     use green::compat::io::Read;
///
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let addr = listener.local_addr()?;
///     let server = green::spawn(move || serve(listener));
///     for _ in 0..3 {
///         let mut greeting = String::new();
///         TcpStream::connect(addr)?.read_to_string(&mut greeting)?;
///         assert_eq!(greeting, "hello\n");
///     }
///     server.kill();
///     Ok(())
/// }
/// ```
pub struct TcpListener {
    inner: Arc<tokio::net::TcpListener>,
    mode: Arc<Mode>,
    pacing: Arc<AcceptPacing>,
}

impl TcpListener {
    /// A listener bound to `addr`: the first of its addresses that binds.
    /// Port 0 asks the OS for a free port (see
    /// [`local_addr`](TcpListener::local_addr)). Green, as the name lookup
    /// can block. As [`std::net::TcpListener::bind`].
    ///
    /// Inside `#[green::main(workers = n)]` (on Linux) the k-th bind of
    /// each hub shares one address with SO_REUSEPORT: the first hub there
    /// binds `addr` and the others bind the address it got, so `bind
    /// ("127.0.0.1:0")` gives every hub a listener on one port, and the
    /// kernel spreads the connections over them (docs/multicore.md).
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    ///     assert_ne!(listener.local_addr().unwrap().port(), 0);
    ///     assert!(TcpListener::bind("not an address").is_err());
    /// }
    /// ```
    pub fn bind<A: ToSocketAddrs>(addr: A) -> Green<impl Future<Output = io::Result<TcpListener>>> {
        Green::new(async move {
            let inner = super::shared_bind::bind(&addr).await?;
            Ok(TcpListener {
                inner: Arc::new(inner),
                mode: Arc::default(),
                pacing: Arc::default(),
            })
        })
    }

    /// A listener on a socket bound and listening already, such as one made
    /// with `socket2` (to set `SO_REUSEPORT`) or handed to this thread by
    /// another: it is registered with the hub this is called on, which
    /// every later `accept` must run on. Not green. tokio's
    /// `TcpListener::from_std`; the socket is put in non-blocking mode,
    /// which the hub needs. An error outside a hub.
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// fn main() -> std::io::Result<()> {
    ///     // Made on a plain thread, as a server making one per hub does.
    ///     let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let other = std_listener.try_clone()?;
    ///     assert!(TcpListener::from_std(other).is_err()); // not on a hub
    ///     green::run(async move {
    ///         let listener = TcpListener::from_std(std_listener)?;
    ///         let client = TcpStream::connect(listener.local_addr()?).await?;
    ///         let (_stream, peer) = listener.accept().await?;
    ///         assert_eq!(peer, client.local_addr()?);
    ///         Ok(())
    ///     })
    /// }
    /// ```
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        super::stream_socket::on_hub("a green listener must be made")?;
        listener.set_nonblocking(true)?;
        Ok(TcpListener {
            inner: Arc::new(tokio::net::TcpListener::from_std(listener)?),
            mode: Arc::default(),
            pacing: Arc::default(),
        })
    }

    /// The address this listener is bound to. As
    /// [`std::net::TcpListener::local_addr`].
    ///
    /// ```
    /// use green::compat::net::{Ipv4Addr, TcpListener};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    ///     assert_eq!(listener.local_addr()?.ip(), Ipv4Addr::LOCALHOST);
    ///     Ok(())
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }

    /// Another handle to the same listening socket: connections are handed
    /// to whichever handle accepts first. As
    /// [`std::net::TcpListener::try_clone`] (the socket is shared, not
    /// duplicated: it closes when the last handle drops).
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let other = listener.try_clone()?;
    ///     assert_eq!(listener.local_addr()?, other.local_addr()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn try_clone(&self) -> io::Result<TcpListener> {
        Ok(TcpListener {
            inner: self.inner.clone(),
            mode: self.mode.clone(),
            pacing: self.pacing.clone(),
        })
    }

    /// Waits for a connection and gives its stream and the peer's address.
    /// Green: blocks the task, not the thread. As
    /// [`std::net::TcpListener::accept`], except that after an error that
    /// would come straight back (too many open files, no buffer space) the
    /// next accept first pauses, 1 ms growing to 100 ms, so that a loop that
    /// logs the error and goes on neither spins nor floods its log.
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let client = TcpStream::connect(listener.local_addr()?)?;
    ///     let (server, peer) = listener.accept()?;
    ///     assert_eq!(peer, client.local_addr()?);
    ///     assert_eq!(server.peer_addr()?, client.local_addr()?);
    ///     Ok(())
    /// }
    /// ```
    pub fn accept(&self) -> Green<impl Future<Output = io::Result<(TcpStream, SocketAddr)>> + '_> {
        Green::new(async move {
            let accept = self.pacing.accept(self.inner.accept());
            let (stream, addr) = within(self.mode.wait(None), accept).await?;
            Ok((TcpStream::from_tokio(stream), addr))
        })
    }

    /// A green iterator over the incoming connections: each `next` is an
    /// [`accept`](TcpListener::accept) without the peer address. It never
    /// ends; an accept error (such as too many open files) is given as an
    /// item and the iteration can go on. As
    /// [`std::net::TcpListener::incoming`].
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let addr = listener.local_addr()?;
    ///     let _clients = [TcpStream::connect(addr)?, TcpStream::connect(addr)?];
    ///     let mut accepted = 0;
    ///     for stream in listener.incoming() {
    ///         stream?;
    ///         accepted += 1;
    ///         if accepted == 2 {
    ///             break;
    ///         }
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming { listener: self }
    }

    /// Sets the IP time-to-live of the packets sent from this socket. As
    /// [`std::net::TcpListener::set_ttl`].
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     listener.set_ttl(42)?;
    ///     assert_eq!(listener.ttl()?, 42);
    ///     Ok(())
    /// }
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.inner.set_ttl(ttl)
    }

    /// The IP time-to-live of this socket. As
    /// [`std::net::TcpListener::ttl`].
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     assert!(listener.ttl()? > 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn ttl(&self) -> io::Result<u32> {
        self.inner.ttl()
    }

    /// Moves the socket into or out of non-blocking mode, as
    /// [`std::net::TcpListener::set_nonblocking`]: in non-blocking mode an
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
    /// use green::compat::net::{TcpListener, TcpStream};
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     listener.set_nonblocking(true)?;
    ///     assert_eq!(listener.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
    ///     let _client = TcpStream::connect(listener.local_addr()?)?;
    ///     let (_server, peer) = loop {
    ///         match listener.accept() {
    ///             Ok(accepted) => break accepted,
    ///             Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(1)),
    ///             Err(e) => return Err(e),
    ///         }
    ///     };
    ///     assert!(peer.ip().is_loopback());
    ///     Ok(())
    /// }
    /// ```
    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.mode.set_nonblocking(nonblocking);
        Ok(())
    }

    /// Takes the pending error of the socket (`SO_ERROR`), if any. As
    /// [`std::net::TcpListener::take_error`].
    ///
    /// ```
    /// use green::compat::net::TcpListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     assert!(listener.take_error()?.is_none());
    ///     Ok(())
    /// }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        socket2::SockRef::from(&*self.inner).take_error()
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("TcpListener");
        if let Ok(addr) = self.local_addr() {
            debug.field("addr", &addr);
        }
        #[cfg(unix)]
        debug.field("fd", &std::os::fd::AsRawFd::as_raw_fd(&*self.inner));
        debug.finish()
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for TcpListener {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for TcpListener {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.inner.as_raw_fd()
    }
}

/// Green version of [`std::net::Incoming`]: the connections of a
/// [`TcpListener`], made by [`TcpListener::incoming`].
///
/// A *green iterator*: instead of `Iterator` it has an inherent green
/// [`next`](Incoming::next), which a `for` loop in a `#[green]` body calls
/// and awaits. It never ends.
///
/// ```
/// use green::compat::net::{TcpListener, TcpStream};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let client = TcpStream::connect(listener.local_addr()?)?;
///     let mut incoming = listener.incoming();
///     let server = incoming.next().unwrap()?;
///     assert_eq!(server.peer_addr()?, client.local_addr()?);
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Incoming<'a> {
    listener: &'a TcpListener,
}

impl<'a> Incoming<'a> {
    /// Waits for the next connection: always `Some`, holding the stream or
    /// the accept error.
    ///
    /// ```
    /// use green::compat::net::{TcpListener, TcpStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0")?;
    ///     let _client = TcpStream::connect(listener.local_addr()?)?;
    ///     let stream = listener.incoming().next();
    ///     assert!(matches!(stream, Some(Ok(_))));
    ///     Ok(())
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<TcpStream>>> + use<'a>> {
        let listener = self.listener;
        Green::new(async move { Some(listener.accept().await.map(|(stream, _)| stream)) })
    }
}

impl GreenIterator for Incoming<'_> {
    type Item = io::Result<TcpStream>;

    fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<TcpStream>>> + '_> {
        Incoming::next(self)
    }
}
