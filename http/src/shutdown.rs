//! The server's stop as its connections see it: once
//! [`stop`](crate::ServerHandle::stop) begins, each connection finishes its
//! requests in flight and closes (HTTP/1.1: no more keep-alive; HTTP/2: a
//! GOAWAY). Killing what outlives the timeout is green-server's.

use std::cell::Cell;

use tokio::sync::Notify;

/// Set once, by `stop`; every connection waits on it.
#[derive(Debug, Default)]
pub(crate) struct Shutdown {
    begun: Cell<bool>,
    notify: Notify,
}

impl Shutdown {
    pub(crate) fn begin(&self) {
        self.begun.set(true);
        self.notify.notify_waiters();
    }

    pub(crate) fn is_begun(&self) -> bool {
        self.begun.get()
    }

    /// Resolves when `begin` is called. Create it *before* reading
    /// [`is_begun`](Shutdown::is_begun), so that the call is not missed.
    pub(crate) fn begun(&self) -> tokio::sync::futures::Notified<'_> {
        self.notify.notified()
    }
}
