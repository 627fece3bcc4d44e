//! `ToSocketAddrs`: what `bind` and `connect` accept, with green name lookup.

use core::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::{iter, option, slice, vec};

use green_runtime::Green;

/// Green version of [`std::net::ToSocketAddrs`]: values that name one or
/// more socket addresses, given to [`TcpListener::bind`](super::TcpListener::bind)
/// and [`TcpStream::connect`](super::TcpStream::connect).
///
/// Implemented for the same types as std's: [`SocketAddr`] and its V4/V6
/// forms, `(IpAddr, u16)` and the V4/V6 pairs, `(&str, u16)`,
/// `(String, u16)`, `str` and `String` (`"host:port"`), `&[SocketAddr]` and
/// references to any of these. A host name is looked up on tokio's blocking
/// pool, so [`to_socket_addrs`](ToSocketAddrs::to_socket_addrs) is green
/// (std's blocks the thread). A string that is not `host:port` gives an
/// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput) error, as
/// std.
///
/// ```
/// use green::compat::net::{SocketAddr, ToSocketAddrs};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let addrs: Vec<SocketAddr> = "127.0.0.1:80".to_socket_addrs()?.collect();
///     assert_eq!(addrs, ["127.0.0.1:80".parse().unwrap()]);
///     let local: Vec<SocketAddr> = ("localhost", 80).to_socket_addrs()?.collect();
///     assert!(local.iter().all(|addr| addr.ip().is_loopback()));
///     let error = "no port here".to_socket_addrs().unwrap_err();
///     assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
///     Ok(())
/// }
/// ```
pub trait ToSocketAddrs {
    /// The addresses, in the order to try them.
    type Iter: Iterator<Item = SocketAddr>;

    /// Resolves this value to socket addresses. Green: a host name is looked
    /// up without blocking the hub. As
    /// [`std::net::ToSocketAddrs::to_socket_addrs`].
    ///
    /// ```
    /// use green::compat::net::{Ipv4Addr, ToSocketAddrs};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut addrs = (Ipv4Addr::LOCALHOST, 8080).to_socket_addrs()?;
    ///     assert_eq!(addrs.next().unwrap().port(), 8080);
    ///     assert!(addrs.next().is_none());
    ///     Ok(())
    /// }
    /// ```
    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>>;
}

/// Resolved at once: no lookup needed.
macro_rules! ready_addr {
    ($($ty:ty => |$this:ident| $addr:expr;)*) => {$(
        impl ToSocketAddrs for $ty {
            type Iter = option::IntoIter<SocketAddr>;

            fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
                let $this = self;
                let addr: SocketAddr = $addr;
                Green::new(core::future::ready(Ok(Some(addr).into_iter())))
            }
        }
    )*};
}

ready_addr! {
    SocketAddr => |this| *this;
    SocketAddrV4 => |this| SocketAddr::V4(*this);
    SocketAddrV6 => |this| SocketAddr::V6(*this);
    (IpAddr, u16) => |this| SocketAddr::new(this.0, this.1);
    (Ipv4Addr, u16) => |this| SocketAddr::new(IpAddr::V4(this.0), this.1);
    (Ipv6Addr, u16) => |this| SocketAddr::new(IpAddr::V6(this.0), this.1);
}

impl ToSocketAddrs for (&str, u16) {
    type Iter = vec::IntoIter<SocketAddr>;

    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
        let (host, port) = *self;
        Green::new(async move {
            if let Ok(ip) = host.parse::<IpAddr>() {
                return Ok(vec![SocketAddr::new(ip, port)].into_iter());
            }
            lookup((host, port)).await
        })
    }
}

impl ToSocketAddrs for (String, u16) {
    type Iter = vec::IntoIter<SocketAddr>;

    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
        Green::new(async move { (self.0.as_str(), self.1).to_socket_addrs().await })
    }
}

impl ToSocketAddrs for str {
    type Iter = vec::IntoIter<SocketAddr>;

    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
        Green::new(async move {
            if let Ok(addr) = self.parse::<SocketAddr>() {
                return Ok(vec![addr].into_iter());
            }
            lookup(self).await
        })
    }
}

impl ToSocketAddrs for String {
    type Iter = vec::IntoIter<SocketAddr>;

    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
        self.as_str().to_socket_addrs()
    }
}

impl<'a> ToSocketAddrs for &'a [SocketAddr] {
    type Iter = iter::Cloned<slice::Iter<'a, SocketAddr>>;

    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
        Green::new(core::future::ready(Ok(self.iter().cloned())))
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {
    type Iter = T::Iter;

    fn to_socket_addrs(&self) -> Green<impl Future<Output = io::Result<Self::Iter>>> {
        (**self).to_socket_addrs()
    }
}

/// A name lookup on tokio's blocking pool (std's resolver, std's errors).
async fn lookup<A>(host: A) -> io::Result<vec::IntoIter<SocketAddr>>
where
    A: tokio::net::ToSocketAddrs,
{
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host(host).await?.collect();
    Ok(addrs.into_iter())
}

/// Runs `attempt` on each address of `addr` in turn until one succeeds, as
/// std's `bind` and `connect` do; the last error otherwise.
pub(crate) async fn each_addr<A, T, F, Fut>(addr: &A, mut attempt: F) -> io::Result<T>
where
    A: ToSocketAddrs + ?Sized,
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let mut last_error = None;
    for addr in addr.to_socket_addrs().await? {
        match attempt(addr).await {
            Ok(value) => return Ok(value),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve to any addresses",
        )
    }))
}
