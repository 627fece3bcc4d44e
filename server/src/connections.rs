//! The running connection tasks of one server: its slots (gevent's
//! `spawn=Pool(n)`), and the handles that `stop` waits for and kills.

use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use green_runtime::{Event, Greenlet, Semaphore, SemaphoreGuard};
use pin_project_lite::pin_project;

#[derive(Debug)]
pub(crate) struct Connections {
    slots: Option<Semaphore>,
    running: RefCell<HashMap<u64, Greenlet<()>>>,
    next_key: Cell<u64>,
    /// Set while nothing runs.
    emptied: Event,
    /// The same count as `running`, for a sharded server's handle on
    /// another hub to read (none for a server on one hub).
    shared_len: Option<Arc<AtomicUsize>>,
}

impl Connections {
    pub(crate) fn new(limit: Option<usize>) -> Rc<Self> {
        Connections::counted(limit, None)
    }

    /// As [`new`](Connections::new), also keeping `shared_len` equal to
    /// the number running.
    pub(crate) fn counted(limit: Option<usize>, shared_len: Option<Arc<AtomicUsize>>) -> Rc<Self> {
        let emptied = Event::new();
        emptied.set();
        Rc::new(Connections {
            slots: limit.map(Semaphore::new),
            running: RefCell::new(HashMap::new()),
            next_key: Cell::new(0),
            emptied,
            shared_len,
        })
    }

    /// Waits for a free slot, if the number of connections is bounded.
    pub(crate) async fn slot(&self) -> Option<SemaphoreGuard> {
        match &self.slots {
            Some(slots) => Some(slots.acquire().await),
            None => None,
        }
    }

    /// Runs `work` in a new green task named `name`, holding `slot` until
    /// it ends, however it ends.
    pub(crate) fn spawn(
        self: &Rc<Self>,
        name: &str,
        slot: Option<SemaphoreGuard>,
        work: impl Future<Output = ()> + 'static,
    ) {
        let key = self.next_key.get();
        self.next_key.set(key + 1);
        let leave = Leave {
            connections: Rc::downgrade(self),
            key,
            _slot: slot,
        };
        let task = green_runtime::spawn(move || Connection {
            work,
            leave: Some(leave),
        });
        task.set_name(name);
        self.running.borrow_mut().insert(key, task);
        if let Some(len) = &self.shared_len {
            len.fetch_add(1, Ordering::Relaxed);
        }
        self.emptied.clear();
    }

    pub(crate) fn len(&self) -> usize {
        self.running.borrow().len()
    }

    /// Waits up to `timeout` for every connection to end; true if they did.
    pub(crate) async fn join_timeout(&self, timeout: Duration) -> bool {
        // A timeout too far to add to now (`Duration::MAX`) means no deadline.
        let deadline = Instant::now().checked_add(timeout);
        while self.len() > 0 {
            let left = deadline.map_or(timeout, |d| d.saturating_duration_since(Instant::now()));
            if left.is_zero() || !self.emptied.wait_timeout(left).await {
                return self.len() == 0;
            }
        }
        true
    }

    /// Asks every connection task to stop, at once.
    pub(crate) fn kill_nowait(&self) {
        for task in self.running.borrow().values() {
            task.kill_nowait();
        }
    }

    /// Kills every connection task and returns once their destructors ran.
    pub(crate) async fn kill(&self) {
        self.kill_nowait();
        while self.len() > 0 {
            self.emptied.wait().await;
        }
    }
}

pin_project! {
    /// A connection task's work, holding its place until the work ends.
    ///
    /// Not an `async` block: one that awaited the work would keep the work
    /// twice in its size (once as what it captured, once as what it awaits),
    /// and a connection's work is a server's whole per-connection state.
    struct Connection<W> {
        #[pin]
        work: W,
        // Declared after `work`: a killed connection's destructors run
        // before its slot is given back.
        leave: Option<Leave>,
    }
}

impl<W: Future<Output = ()>> Future for Connection<W> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        ready!(this.work.poll(cx));
        // The slot and the entry go as the work ends, before the task is
        // marked ended (as when this was an async block).
        this.leave.take();
        Poll::Ready(())
    }
}

/// Held by a connection task: drops its slot and its entry when it ends.
struct Leave {
    connections: Weak<Connections>,
    key: u64,
    _slot: Option<SemaphoreGuard>,
}

impl Drop for Leave {
    fn drop(&mut self) {
        if let Some(connections) = self.connections.upgrade() {
            let mut running = connections.running.borrow_mut();
            if running.remove(&self.key).is_some() {
                if let Some(len) = &connections.shared_len {
                    len.fetch_sub(1, Ordering::Relaxed);
                }
            }
            if running.is_empty() {
                drop(running);
                connections.emptied.set();
            }
        }
    }
}

/// Kills the connections when dropped: what a killed `serve` leaves behind.
pub(crate) struct KillOnDrop(pub(crate) Rc<Connections>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        self.0.kill_nowait();
    }
}
