//! The hubs a sharded server runs on: for now one thread per share, each
//! running its own hub with `green::run`.

use core::future::Future;

use tokio::sync::oneshot;

/// One share's work on its hub, to be joined from the handle's hub.
#[derive(Debug)]
pub(crate) struct ShareTask {
    done: oneshot::Receiver<()>,
}

impl ShareTask {
    /// Waits for the share to end: `Err` if it panicked.
    pub(crate) async fn join(self) -> Result<(), String> {
        self.done
            .await
            .map_err(|_| "its hub panicked".to_owned())
    }
}

/// Runs `work()` on hub `index` of the server, a thread of its own.
pub(crate) fn spawn_share<F, G>(index: usize, work: F) -> std::io::Result<ShareTask>
where
    F: FnOnce() -> G + Send + 'static,
    G: Future<Output = ()> + 'static,
{
    let (tx, done) = oneshot::channel();
    std::thread::Builder::new()
        .name(format!("green-hub-{index}"))
        .spawn(move || {
            green_runtime::run(async move {
                work().await;
                let _ = tx.send(());
            });
        })?;
    Ok(ShareTask { done })
}
