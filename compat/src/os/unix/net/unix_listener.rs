//! `UnixListener`: a Unix domain socket server whose accepts are green.

use core::fmt;
use core::future::Future;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::path::Path;
use std::sync::Arc;

use green_runtime::{Green, GreenIterator};

use super::{SocketAddr, UnixStream, on_hub};
use crate::net::accept_pacing::AcceptPacing;
use crate::net::timeouts::{Mode, within};

/// Green version of [`std::os::unix::net::UnixListener`]: a Unix domain
/// socket server, listening for connections.
///
/// [`accept`](UnixListener::accept) and the iterator of
/// [`incoming`](UnixListener::incoming) are green: they block the task, not
/// the thread, so one task per connection is the natural server shape. As
/// with std, dropping the listener does not remove its file.
///
/// ```
/// use green::compat::io::{Read, Write};
/// use green::compat::os::unix::net::{UnixListener, UnixStream};
///
/// #[green::green]
/// fn handle(mut stream: UnixStream) -> std::io::Result<()> {
///     let mut request = String::new();
///     stream.read_to_string(&mut request)?;
///     stream.write_all(format!("{} bytes", request.len()).as_bytes())
/// }
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let path = std::env::temp_dir().join(format!("green-doc-listener-{}.sock", std::process::id()));
///     let _ = green::compat::fs::remove_file(&path);
///     let listener = UnixListener::bind(&path)?;
///     let server = green::spawn(move || async move {
///         let (stream, _) = listener.accept().await?;
///         handle(stream).await
///     });
///     let mut client = UnixStream::connect(&path)?;
///     client.write_all(b"hello")?;
///     client.shutdown(std::net::Shutdown::Write)?;
///     let mut reply = String::new();
///     client.read_to_string(&mut reply)?;
///     assert_eq!(reply, "5 bytes");
///     server.join().unwrap()?;
///     green::compat::fs::remove_file(&path)
/// }
/// ```
pub struct UnixListener {
    inner: Arc<tokio::net::UnixListener>,
    mode: Arc<Mode>,
    pacing: Arc<AcceptPacing>,
}

impl UnixListener {
    /// A listener bound to the socket file `path`, which must not exist
    /// yet ([`ErrorKind::AddrInUse`](std::io::ErrorKind::AddrInUse)
    /// otherwise). Not green: binding never blocks. As
    /// [`std::os::unix::net::UnixListener::bind`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-bind-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let again = UnixListener::bind(&path).unwrap_err();
    ///     assert_eq!(again.kind(), std::io::ErrorKind::AddrInUse);
    ///     drop(listener);
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixListener> {
        on_hub()?;
        let inner = tokio::net::UnixListener::bind(path)?;
        Ok(UnixListener {
            inner: Arc::new(inner),
            mode: Arc::default(),
            pacing: Arc::default(),
        })
    }

    /// A listener bound to `socket_addr` (a path or, on Linux, an abstract
    /// name). As [`std::os::unix::net::UnixListener::bind_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::{SocketAddr, UnixListener};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-bindaddr-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let addr = SocketAddr::from_pathname(&path)?;
    ///     let listener = UnixListener::bind_addr(&addr)?;
    ///     assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn bind_addr(socket_addr: &SocketAddr) -> io::Result<UnixListener> {
        on_hub()?;
        let socket_addr = tokio::net::unix::SocketAddr::from(socket_addr.clone());
        let inner = tokio::net::UnixListener::bind_addr(&socket_addr)?;
        Ok(UnixListener {
            inner: Arc::new(inner),
            mode: Arc::default(),
            pacing: Arc::default(),
        })
    }

    /// Waits for the next connection and gives the stream and the
    /// client's address. Green. As
    /// [`std::os::unix::net::UnixListener::accept`].
    ///
    /// ```
    /// use green::compat::os::unix::net::{UnixListener, UnixStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-accept-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let _client = UnixStream::connect(&path)?;
    ///     let (stream, client_addr) = listener.accept()?;
    ///     assert!(client_addr.is_unnamed());
    ///     assert_eq!(stream.local_addr()?.as_pathname(), Some(path.as_path()));
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn accept(&self) -> Green<impl Future<Output = io::Result<(UnixStream, SocketAddr)>> + '_> {
        Green::new(async move {
            let accept = self.pacing.accept(self.inner.accept());
            let (stream, addr) = within(self.mode.wait(None), accept).await?;
            Ok((UnixStream::from_tokio(stream), SocketAddr::from(addr)))
        })
    }

    /// The connections of this listener, as a green iterator that never
    /// ends. As [`std::os::unix::net::UnixListener::incoming`].
    ///
    /// ```
    /// use green::compat::io::Write;
    /// use green::compat::os::unix::net::{UnixListener, UnixStream};
    ///
    /// #[green::green]
    /// fn serve(listener: UnixListener, count: usize) -> std::io::Result<()> {
    ///     let mut served = 0;
    ///     for stream in listener.incoming() {
    ///         stream?.write_all(b"welcome")?;
    ///         served += 1;
    ///         if served == count {
    ///             break;
    ///         }
    ///     }
    ///     Ok(())
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-incoming-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let server = green::spawn(move || serve(listener, 2));
    ///     let _a = UnixStream::connect(&path)?;
    ///     let _b = UnixStream::connect(&path)?;
    ///     server.join().unwrap()?;
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn incoming(&self) -> Incoming<'_> {
        Incoming { listener: self }
    }

    /// The address this listener is bound to. As
    /// [`std::os::unix::net::UnixListener::local_addr`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-laddr-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr().map(SocketAddr::from)
    }

    /// Another handle to the same listener. As
    /// [`std::os::unix::net::UnixListener::try_clone`] (shared, not
    /// duplicated).
    ///
    /// ```
    /// use green::compat::os::unix::net::{UnixListener, UnixStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-lclone-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let other = listener.try_clone()?;
    ///     let _client = UnixStream::connect(&path)?;
    ///     other.accept()?;
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn try_clone(&self) -> io::Result<UnixListener> {
        Ok(UnixListener {
            inner: self.inner.clone(),
            mode: self.mode.clone(),
            pacing: self.pacing.clone(),
        })
    }

    /// Moves the socket into or out of non-blocking mode, as
    /// [`std::os::unix::net::UnixListener::set_nonblocking`]: in
    /// non-blocking mode [`accept`](UnixListener::accept) (and
    /// [`incoming`](UnixListener::incoming)) gives an
    /// [`ErrorKind::WouldBlock`](std::io::ErrorKind::WouldBlock) error at
    /// once when no connection waits (the mode is shared by every handle of
    /// the socket). Accepted streams start in blocking mode, as std's.
    ///
    /// ```
    /// use std::io::ErrorKind;
    /// use green::compat::os::unix::net::UnixListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-lnonblock-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     listener.set_nonblocking(true)?;
    ///     assert_eq!(listener.accept().unwrap_err().kind(), ErrorKind::WouldBlock);
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        self.mode.set_nonblocking(nonblocking);
        Ok(())
    }

    /// Takes the pending error of the socket (`SO_ERROR`), if any. As
    /// [`std::os::unix::net::UnixListener::take_error`].
    ///
    /// ```
    /// use green::compat::os::unix::net::UnixListener;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-lerr-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     assert!(listener.take_error()?.is_none());
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }
}

impl fmt::Debug for UnixListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("UnixListener");
        debug.field("fd", &self.inner.as_raw_fd());
        if let Ok(addr) = self.local_addr() {
            debug.field("local", &addr);
        }
        debug.finish()
    }
}

impl AsFd for UnixListener {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl AsRawFd for UnixListener {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

/// Green version of [`std::os::unix::net::Incoming`]: the connections of a
/// [`UnixListener`], made by [`UnixListener::incoming`].
///
/// A *green iterator*: instead of `Iterator` it has an inherent green
/// [`next`](Incoming::next), which a `for` loop in a `#[green]` body calls
/// and awaits. It never ends.
///
/// ```
/// use green::compat::os::unix::net::{UnixListener, UnixStream};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let path = std::env::temp_dir().join(format!("green-doc-inc-{}.sock", std::process::id()));
///     let _ = green::compat::fs::remove_file(&path);
///     let listener = UnixListener::bind(&path)?;
///     let _client = UnixStream::connect(&path)?;
///     let mut incoming = listener.incoming();
///     let server_side = incoming.next().unwrap()?;
///     assert!(server_side.peer_addr()?.is_unnamed());
///     green::compat::fs::remove_file(&path)
/// }
/// ```
#[derive(Debug)]
pub struct Incoming<'a> {
    listener: &'a UnixListener,
}

impl<'a> Incoming<'a> {
    /// Waits for the next connection: always `Some`, holding the stream or
    /// the accept error.
    ///
    /// ```
    /// use green::compat::os::unix::net::{UnixListener, UnixStream};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let path = std::env::temp_dir().join(format!("green-doc-next-{}.sock", std::process::id()));
    ///     let _ = green::compat::fs::remove_file(&path);
    ///     let listener = UnixListener::bind(&path)?;
    ///     let _client = UnixStream::connect(&path)?;
    ///     let stream = listener.incoming().next();
    ///     assert!(matches!(stream, Some(Ok(_))));
    ///     green::compat::fs::remove_file(&path)
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(
        &mut self,
    ) -> Green<impl Future<Output = Option<io::Result<UnixStream>>> + use<'a>> {
        let listener = self.listener;
        Green::new(async move { Some(listener.accept().await.map(|(stream, _)| stream)) })
    }
}

impl GreenIterator for Incoming<'_> {
    type Item = io::Result<UnixStream>;

    fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<UnixStream>>> + '_> {
        Incoming::next(self)
    }
}
