//! The executor hyper's HTTP/2 server spawns each stream on: the streams run
//! inside their connection's green task, on the hub, so handlers need not be
//! `Send`, and killing the connection (a stop's timeout) drops its streams
//! with it.

use core::future::{Future, poll_fn};
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::cell::RefCell;
use std::rc::Rc;

use futures_util::stream::{FuturesUnordered, StreamExt};

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// The streams of one connection. Cloned into hyper's builder; the
/// connection's task polls them with [`run`](StreamTasks::run).
#[derive(Clone, Default)]
pub(crate) struct StreamTasks(Rc<RefCell<Tasks>>);

#[derive(Default)]
struct Tasks {
    running: FuturesUnordered<Task>,
    /// The connection task, woken when a stream is added.
    waker: Option<Waker>,
}

impl core::fmt::Debug for StreamTasks {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let running = self.0.try_borrow().map(|tasks| tasks.running.len()).ok();
        f.debug_struct("StreamTasks")
            .field("running", &running)
            .finish()
    }
}

impl<F> hyper::rt::Executor<F> for StreamTasks
where
    F: Future<Output = ()> + 'static,
{
    fn execute(&self, stream: F) {
        let tasks = self.0.borrow_mut();
        tasks.running.push(Box::pin(stream));
        if let Some(waker) = &tasks.waker {
            waker.wake_by_ref();
        }
    }
}

impl StreamTasks {
    /// Polls the streams as they are woken; never ends (the connection
    /// decides when they are dropped).
    pub(crate) fn run(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(|cx| self.poll_run(cx))
    }

    fn poll_run(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut running = {
            let mut tasks = self.0.borrow_mut();
            if !tasks
                .waker
                .as_ref()
                .is_some_and(|w| w.will_wake(cx.waker()))
            {
                tasks.waker = Some(cx.waker().clone());
            }
            core::mem::take(&mut tasks.running)
        };
        // Out of the cell while polled: a stream may add another.
        while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
        let mut tasks = self.0.borrow_mut();
        let added = core::mem::replace(&mut tasks.running, running);
        if !added.is_empty() {
            tasks.running.extend(added);
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::rt::Executor;
    use std::cell::Cell;

    #[test]
    fn runs_what_is_spawned_in_the_polling_task() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let tasks = StreamTasks::default();
        let done = Rc::new(Cell::new(0));
        for _ in 0..3 {
            let done = done.clone();
            tasks.execute(async move {
                tokio::task::yield_now().await;
                done.set(done.get() + 1);
            });
        }
        rt.block_on(async {
            let _ = tokio::time::timeout(std::time::Duration::from_millis(50), tasks.run()).await;
        });
        assert_eq!(done.get(), 3);
    }
}
