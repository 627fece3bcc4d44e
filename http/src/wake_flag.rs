//! A side future polled only after it woke the task: a connection's task
//! waits on hyper's connection, the server's stop and a timeout at once, and
//! wakes about once per request, nearly always for the connection. Polling
//! the stop's `Notified` and the timer's `Sleep` on every such wake, as
//! `tokio::select!` does, re-registers both each time (a lock, a timer-entry
//! check): measured at a tenth of what green::http spent per keep-alive
//! request beyond its hyper twin. With a `WakeFlag`, a side future is polled
//! once to register, then only when its own waker has fired.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Wake;

use futures_util::task::AtomicWaker;

/// The waker handed to one side future: notes that it fired, then wakes the
/// task that polls it.
#[derive(Debug)]
struct Flag {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

/// Polls one side future at a time (a new one may take the place of the
/// last, as a connection's loop makes a new timer per deadline) only when it
/// may have become ready.
#[derive(Debug)]
pub(crate) struct WakeFlag {
    flag: Arc<Flag>,
    waker: Waker,
}

impl WakeFlag {
    pub(crate) fn new() -> WakeFlag {
        let flag = Arc::new(Flag {
            woken: AtomicBool::new(true),
            task: AtomicWaker::new(),
        });
        WakeFlag {
            waker: Waker::from(flag.clone()),
            flag,
        }
    }

    /// Marks the next `poll` as due: for a new side future, which has not
    /// registered its waker yet.
    pub(crate) fn arm(&self) {
        self.flag.woken.store(true, Ordering::Relaxed);
    }

    /// Polls `future` if its waker fired since its last poll (or `arm`);
    /// `Pending` without polling it otherwise. Either way the task behind
    /// `cx` is woken when `future`'s waker fires.
    pub(crate) fn poll<F: Future + ?Sized>(
        &self,
        cx: &mut Context<'_>,
        future: Pin<&mut F>,
    ) -> Poll<F::Output> {
        self.flag.task.register(cx.waker());
        if !self.flag.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        future.poll(&mut Context::from_waker(&self.waker))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::future::poll_fn;
    use std::cell::Cell;
    use std::rc::Rc;

    /// Counts its polls; ready once `ready` is set, waking through the
    /// waker of its last poll when set.
    struct Side {
        polls: Rc<Cell<u32>>,
        waker: Rc<Cell<Option<Waker>>>,
        ready: Rc<Cell<bool>>,
    }

    impl Future for Side {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            self.polls.set(self.polls.get() + 1);
            if self.ready.get() {
                return Poll::Ready(());
            }
            self.waker.set(Some(cx.waker().clone()));
            Poll::Pending
        }
    }

    #[tokio::test]
    async fn polls_the_side_future_only_after_it_woke_the_task() {
        let (polls, waker, ready) = (Rc::default(), Rc::default(), Rc::default());
        let mut side = Side {
            polls: Rc::clone(&polls),
            waker: Rc::clone(&waker),
            ready: Rc::clone(&ready),
        };
        let flag = WakeFlag::new();
        let mut side = Pin::new(&mut side);
        // First poll registers; later polls without a wake skip it.
        for _ in 0..3 {
            let polled = poll_fn(|cx| Poll::Ready(flag.poll(cx, side.as_mut()))).await;
            assert!(polled.is_pending());
        }
        assert_eq!(polls.get(), 1);
        // Its wake makes the next poll due, and that poll sees it ready.
        ready.set(true);
        Rc::clone(&waker).take().expect("registered").wake();
        let polled = poll_fn(|cx| Poll::Ready(flag.poll(cx, side.as_mut()))).await;
        assert!(polled.is_ready());
        assert_eq!(polls.get(), 2);
    }

    #[tokio::test]
    async fn waits_for_the_side_future_through_the_task() {
        let notify = Rc::new(tokio::sync::Notify::new());
        let flag = WakeFlag::new();
        let notified = notify.notified();
        let mut notified = core::pin::pin!(notified);
        let waiter = poll_fn(|cx| flag.poll(cx, notified.as_mut()));
        let notifier = async {
            tokio::task::yield_now().await;
            notify.notify_waiters();
        };
        // Ends only if the notify's wake reaches the waiting task.
        tokio::time::timeout(std::time::Duration::from_secs(10), async {
            tokio::join!(waiter, notifier)
        })
        .await
        .expect("the side future's wake reached the task");
    }
}
