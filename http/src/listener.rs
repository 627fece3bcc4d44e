//! The accept loop and connection tracking: `max_connections`, and the
//! drain-then-kill of [`stop`](crate::ServerHandle::stop).
//!
//! Kept in this one small file on purpose: it is a stand-in for
//! `green::server::StreamServer` (gevent's StreamServer: accept loop,
//! `max_connections`, `backlog`, `stop(timeout)`), being written in the
//! `server` crate. When that lands, this file is replaced by a StreamServer
//! whose per-connection handler is `connection::serve`; nothing else in
//! green-http knows how connections are accepted or counted.

use std::cell::Cell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// Where the server is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    /// `stop` was called: no more accepts, connections finish their
    /// in-flight request and close.
    Draining,
    /// The stop timeout ran out: connections are dropped where they are.
    Killing,
}

/// Shared by the accept loop, every connection and the server's handle.
#[derive(Debug)]
pub(crate) struct Tracker {
    state: Cell<State>,
    /// Woken (`notify_waiters`) on every change of `state`.
    changed: Notify,
    active: Cell<usize>,
    max: usize,
    /// One permit per closed connection, for an accept loop at `max`.
    slot_free: Notify,
    /// Woken when `active` drops to 0.
    all_closed: Notify,
}

impl Tracker {
    pub(crate) fn new(max: usize) -> Rc<Tracker> {
        Rc::new(Tracker {
            state: Cell::new(State::Running),
            changed: Notify::new(),
            active: Cell::new(0),
            max: max.max(1),
            slot_free: Notify::new(),
            all_closed: Notify::new(),
        })
    }

    pub(crate) fn state(&self) -> State {
        self.state.get()
    }

    /// Resolves at the next change of state. Create it *before* reading the
    /// state, so that no change is missed.
    pub(crate) fn changed(&self) -> tokio::sync::futures::Notified<'_> {
        self.changed.notified()
    }

    fn set_state(&self, state: State) {
        self.state.set(state);
        self.changed.notify_waiters();
    }

    /// Connections open now.
    pub(crate) fn active(&self) -> usize {
        self.active.get()
    }

    async fn all_closed(&self) {
        loop {
            let closed = self.all_closed.notified();
            if self.active.get() == 0 {
                return;
            }
            closed.await;
        }
    }
}

/// One connection's place in the count, given back on drop.
#[derive(Debug)]
pub(crate) struct Slot(Rc<Tracker>);

impl Drop for Slot {
    fn drop(&mut self) {
        let tracker = &self.0;
        tracker.active.set(tracker.active.get() - 1);
        tracker.slot_free.notify_one();
        if tracker.active.get() == 0 {
            tracker.all_closed.notify_waiters();
        }
    }
}

/// Accepts connections until the tracker leaves `Running`, at most
/// `tracker.max` open at once (accept waits for a free slot), calling
/// `on_connection` for each (which spawns its task). The listening socket
/// closes when this returns.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    tracker: Rc<Tracker>,
    mut on_connection: impl FnMut(TcpStream, SocketAddr, Slot),
) {
    loop {
        let changed = tracker.changed();
        if tracker.state() != State::Running {
            return;
        }
        if tracker.active.get() >= tracker.max {
            tokio::select! {
                _ = changed => {}
                _ = tracker.slot_free.notified() => {}
            }
            continue;
        }
        tokio::select! {
            _ = changed => {}
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    tracker.active.set(tracker.active.get() + 1);
                    on_connection(stream, peer, Slot(tracker.clone()));
                }
                Err(err) => accept_failed(&err).await,
            },
        }
    }
}

/// Out of file descriptors or a connection reset before accept: say so and
/// go on after a pause (as gevent's StreamServer does).
async fn accept_failed(err: &io::Error) {
    eprintln!("green::http: accept failed: {err}");
    tokio::time::sleep(Duration::from_millis(10)).await;
}

/// Stops accepting, waits up to `timeout` for the open connections to finish
/// their in-flight requests and close, then drops the rest.
pub(crate) async fn stop(tracker: &Tracker, timeout: Duration) {
    if tracker.state() == State::Running {
        tracker.set_state(State::Draining);
    }
    if tokio::time::timeout(timeout, tracker.all_closed())
        .await
        .is_err()
    {
        tracker.set_state(State::Killing);
        tracker.all_closed().await;
    }
}
