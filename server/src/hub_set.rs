//! The hubs a sharded server runs on: a [`Hubs`] of its own, whose threads
//! end with the server's `stop`, and live on if the handle is dropped
//! unstopped (as a server on one hub does).

use core::cell::RefCell;
use core::future::Future;
use std::time::Duration;

use green_runtime::{HubTask, Hubs};

/// The hubs of one sharded server.
#[derive(Debug)]
pub(crate) struct HubSet {
    /// Taken by the first `stop`.
    hubs: RefCell<Option<Hubs>>,
}

/// One hub's share of the server, to be joined from the handle's hub.
pub(crate) type ShareTask = HubTask<()>;

impl HubSet {
    /// `n` hubs, one thread each (fewer if threads run out); an error if
    /// not even one can start (`green::hubs` panics then).
    pub(crate) fn start(n: usize) -> std::io::Result<HubSet> {
        let hubs = std::panic::catch_unwind(|| green_runtime::hubs(n))
            .map_err(|_| std::io::Error::other("cannot start a hub thread for the server"))?;
        Ok(HubSet {
            hubs: RefCell::new(Some(hubs)),
        })
    }

    /// How many hubs started (fewer than asked if threads ran out).
    pub(crate) fn len(&self) -> usize {
        self.hubs.borrow().as_ref().map_or(0, Hubs::len)
    }

    /// Runs `work()` on hub `index`.
    pub(crate) fn spawn_on<F, G>(&self, index: usize, work: F) -> Option<ShareTask>
    where
        F: FnOnce() -> G + Send + 'static,
        G: Future<Output = ()> + 'static,
    {
        let hubs = self.hubs.borrow();
        Some(hubs.as_ref()?.spawn_on(index, work))
    }

    /// Ends the hubs' threads, once their shares have ended: off the hub,
    /// as it waits for the threads.
    pub(crate) async fn shut_down(&self) {
        let hubs = self.hubs.borrow_mut().take();
        if let Some(hubs) = hubs {
            let _ = green_runtime::spawn_blocking(move || hubs.shutdown(Duration::ZERO))
                .join()
                .await;
        }
    }
}

impl HubSet {
    /// Ends the hubs' threads from a thread of its own, giving their
    /// shares a second to end: what a killed `serve` does, which cannot
    /// wait.
    pub(crate) fn shut_down_detached(&self) {
        if let Some(hubs) = self.hubs.borrow_mut().take() {
            let _ = std::thread::Builder::new()
                .name("green-hubs-stop".into())
                .spawn(move || hubs.shutdown(Duration::from_secs(1)));
        }
    }
}

impl Drop for HubSet {
    fn drop(&mut self) {
        // A handle dropped without `stop`: the server goes on serving until
        // the process ends, as the handle's docs say. (Dropping `Hubs`
        // would stop them at once.)
        if let Some(hubs) = self.hubs.get_mut().take() {
            core::mem::forget(hubs);
        }
    }
}
