//! A side future polled only after it woke the task: a connection's task
//! waits on hyper's connection, the server's stop and a timeout at once, and
//! wakes about once per request, nearly always for the connection. Polling
//! the stop's `Notified` and the timer's `Sleep` on every such wake, as
//! `tokio::select!` does, re-registers both each time (a lock, a timer-entry
//! check): measured at a tenth of what green::http spent per keep-alive
//! request beyond its hyper twin. With a `WakeFlag`, a side future is polled
//! once to register, then only when its own waker has fired; and the task's
//! own waker is handed over once, not on every poll.

use core::task::{Context, Poll, Waker};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Wake;

/// The waker handed to one side future: notes that it fired, then wakes the
/// task that polls it.
#[derive(Debug)]
struct Flag {
    woken: AtomicBool,
    /// The task's waker. Kept when woken (unlike an `AtomicWaker`, which
    /// gives it up), so that a task polled again with the same waker need
    /// not hand it over again. Locked only to change it and to wake.
    task: Mutex<Option<Waker>>,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Set before the lock: a poll that hands over a new waker after this
        // wake took the old one sees the flag up (its lock comes after ours).
        self.woken.store(true, Ordering::Release);
        let task = self.task.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(task) = task.as_ref() {
            task.wake_by_ref();
        }
    }
}

/// Polls side futures (new ones may take the place of the last, as a
/// connection's loop makes a new timer per deadline) only when one of them
/// may have become ready.
#[derive(Debug)]
pub(crate) struct WakeFlag {
    flag: Arc<Flag>,
    waker: Waker,
    /// What was last put in `flag.task`, kept on the polling side to compare
    /// without the lock.
    registered: RefCell<Option<Waker>>,
}

impl WakeFlag {
    pub(crate) fn new() -> WakeFlag {
        let flag = Arc::new(Flag {
            woken: AtomicBool::new(true),
            task: Mutex::new(None),
        });
        WakeFlag {
            waker: Waker::from(flag.clone()),
            flag,
            registered: RefCell::new(None),
        }
    }

    /// Marks the next `poll` as due: for a new side future, which has not
    /// registered its waker yet.
    pub(crate) fn arm(&self) {
        self.flag.woken.store(true, Ordering::Relaxed);
    }

    /// Runs `side` (which polls side futures with the context it is given)
    /// if one of their wakers fired since the last run (or `arm`); `Pending`
    /// without running it otherwise. Either way the task behind `cx` is
    /// woken when one of their wakers fires.
    #[inline]
    pub(crate) fn poll_with<T>(
        &self,
        cx: &mut Context<'_>,
        side: impl FnOnce(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        let mut registered = self.registered.borrow_mut();
        if !registered.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            let waker = cx.waker().clone();
            *self
                .flag
                .task
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(waker.clone());
            *registered = Some(waker);
        }
        drop(registered);
        // A load first: the flag is nearly always down (the connection woke
        // the task), and a load is cheaper than a swap.
        if !self.flag.woken.load(Ordering::Acquire)
            || !self.flag.woken.swap(false, Ordering::AcqRel)
        {
            return Poll::Pending;
        }
        side(&mut Context::from_waker(&self.waker))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::future::Future;
    use core::future::poll_fn;
    use core::pin::Pin;
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
            let polled =
                poll_fn(|cx| Poll::Ready(flag.poll_with(cx, |cx| side.as_mut().poll(cx)))).await;
            assert!(polled.is_pending());
        }
        assert_eq!(polls.get(), 1);
        // Its wake makes the next poll due, and that poll sees it ready.
        ready.set(true);
        Rc::clone(&waker).take().expect("registered").wake();
        let polled =
            poll_fn(|cx| Poll::Ready(flag.poll_with(cx, |cx| side.as_mut().poll(cx)))).await;
        assert!(polled.is_ready());
        assert_eq!(polls.get(), 2);
    }

    #[tokio::test]
    async fn waits_for_the_side_future_through_the_task() {
        let notify = Rc::new(tokio::sync::Notify::new());
        let flag = WakeFlag::new();
        let notified = notify.notified();
        let mut notified = core::pin::pin!(notified);
        let waiter = poll_fn(|cx| flag.poll_with(cx, |cx| notified.as_mut().poll(cx)));
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

    /// Counts the wakes of the task that polls.
    struct CountingTask(std::sync::atomic::AtomicUsize);

    impl Wake for CountingTask {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[test]
    fn every_wake_reaches_the_task_though_its_waker_is_handed_over_once() {
        let task = Arc::new(CountingTask(Default::default()));
        let task_waker = Waker::from(task.clone());
        let mut cx = Context::from_waker(&task_waker);
        let (polls, waker, ready) = (Rc::default(), Rc::default(), Rc::default());
        let mut side = Side {
            polls: Rc::clone(&polls),
            waker: Rc::clone(&waker),
            ready,
        };
        let flag = WakeFlag::new();
        let mut side = Pin::new(&mut side);
        assert!(
            flag.poll_with(&mut cx, |cx| side.as_mut().poll(cx))
                .is_pending()
        );
        // Woken, polled again (the side future registers anew), woken
        // again: each wake reaches the task.
        for wakes in 1..=3u32 {
            Rc::clone(&waker).take().expect("registered").wake();
            assert_eq!(task.0.load(Ordering::Relaxed), wakes as usize);
            assert!(
                flag.poll_with(&mut cx, |cx| side.as_mut().poll(cx))
                    .is_pending()
            );
            assert_eq!(polls.get(), wakes + 1);
        }
    }
}
