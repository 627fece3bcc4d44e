//! # green — gevent for Rust, done stackless
//!
//! Write plain blocking-looking Rust, mark the functions with `#[green]`, use
//! `green::compat` instead of `std`, and run thousands of cooperative green
//! tasks on one tokio thread (a *hub*) at async/await speed.
//!
//! ```
//! use std::time::Duration;
//!
//! #[green::green]
//! fn worker(id: u32) -> u32 {
//!     green::sleep(Duration::from_millis(10)); // awaited for you
//!     id * 2
//! }
//!
//! #[green::main]
//! fn main() {
//!     let tasks: Vec<_> = (0..100).map(|i| green::spawn(move || worker(i))).collect();
//!     let results = green::joinall(tasks);
//!     assert_eq!(results.len(), 100);
//!     assert_eq!(results[21], Ok(42));
//! }
//! ```
//!
//! See the README for the rules of the `#[green]` rewrite and the
//! gevent-to-green cheat sheet.
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![forbid(unsafe_code)]

pub use green_macros::{green, main, test};
pub use green_runtime::*;

/// Green versions of std's blocking modules (gevent's monkey-patched stdlib):
/// the `green-compat` crate. Re-exported item by item rather than as
/// `pub use green_compat as compat`, so that rustc's messages name its types
/// `green::compat::net::TcpStream`, not `green::green_compat::..`.
pub mod compat {
    #[doc(inline)]
    pub use green_compat::*;
}

/// Servers (gevent.server, eventlet.convenience): `StreamServer`,
/// `DatagramServer`, `listen`, `connect`, `serve`. The `green-server`
/// crate, re-exported item by item so that rustc names its types
/// `green::server::StreamServer`.
pub mod server {
    #[doc(inline)]
    pub use green_server::*;
}

/// HTTP server (gevent's pywsgi) on hyper: handlers are `#[green]` fns from
/// [`http::Request`] to [`http::Response`]; and [`http::client`],
/// `reqwest::blocking`'s API made green. The `green-http` crate, behind the
/// `http` feature (on by default).
#[cfg(feature = "http")]
pub mod http {
    #[doc(inline)]
    pub use green_http::*;
}

/// WebSocket (eventlet's websocket, gevent-websocket) on tokio-tungstenite:
/// `accept`, `connect`, green `read`/`send`/`close`, `split` for a reader
/// and a writer task; with the `http` feature too, `upgrade` from inside a
/// `green::http` handler (eventlet's `WebSocketWSGI`). The `green-ws` crate, behind the `ws` feature (on by
/// default).
#[cfg(feature = "ws")]
pub mod ws {
    #[doc(inline)]
    pub use green_ws::*;
}

pub mod prelude;

/// Leaves `expr` exactly as written inside a `#[green]` body: nothing in it is
/// awaited, so a green value stays a value (to store, spawn or race it later).
///
/// ```
/// use std::time::Duration;
///
/// #[green::green]
/// fn later() -> u32 {
///     7
/// }
///
/// #[green::main]
/// fn main() {
///     let work = green::nowait!(later()); // a Green value, not 7
///     let task = green::spawn(move || work);
///     assert_eq!(task.join(), Ok(7));
/// }
/// ```
#[macro_export]
macro_rules! nowait {
    ($expr:expr) => {
        $expr
    };
}
