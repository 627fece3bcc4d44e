//! `JoinHandle`: the handle of a task started by `compat::thread::spawn`.

use core::fmt;
use core::future::{Future, IntoFuture, poll_fn};
use core::pin::pin;
use std::any::Any;
use std::panic::resume_unwind;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use green_runtime::{Green, Work};
use tokio::sync::oneshot;

use super::park::with_parker;
use super::scoped::poll_catching;
use super::{Thread, ThreadId};

/// Green version of [`std::thread::JoinHandle`]: the handle of a green task
/// started by [`spawn`](super::spawn) or [`Builder::spawn`](super::Builder::spawn).
///
/// [`join`](JoinHandle::join) is green and gives [`std::thread::Result`]:
/// the task's value, or the payload of its panic, as std's (the `&str` of
/// `panic!("..")`, the `String` of `panic!("{x}")`; the `String` `"killed"`
/// if the task was killed). Dropping the
/// handle leaves the task running, as std detaches a thread.
///
/// As std's, the handle is `Send` and `Sync` when the task's value is
/// `Send`: it may be moved into another task (or a job for a thread pool)
/// and joined there, and the join also works from another hub or a plain
/// async runtime: the value comes back through a channel, not the hub.
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let handle = thread::spawn(|| async { "done" });
///     assert_eq!(handle.join().unwrap(), "done");
/// }
/// ```
pub struct JoinHandle<T> {
    /// The task's end, sent by its [`Report`]; the sender dropped unsent
    /// means the task was killed.
    result: oneshot::Receiver<std::thread::Result<T>>,
    finished: Arc<AtomicBool>,
    thread: Thread,
}

impl<T: 'static> JoinHandle<T> {
    /// Starts `f` as a green task named `name` and gives its handle.
    #[track_caller]
    pub(super) fn spawn<F, G>(f: F, name: Option<String>) -> Self
    where
        F: Work<G> + 'static,
        G: IntoFuture<Output = T> + 'static,
    {
        let parker = Arc::default();
        let (sender, result) = oneshot::channel();
        let finished = Arc::new(AtomicBool::new(false));
        let report = Report {
            sender: Some(sender),
            finished: Arc::clone(&finished),
        };
        let work = with_parker(Arc::clone(&parker), f);
        let task = green_runtime::spawn(move || async move {
            let mut report = report;
            let mut future = pin!(work().into_future());
            match poll_fn(|cx| poll_catching(future.as_mut(), cx)).await {
                Ok(value) => report.send(Ok(value)),
                Err(payload) => {
                    // The joiner gets the payload itself, as std's join does;
                    // the hub, which reports the panic as for any task, its
                    // message.
                    let message = green_runtime::__private::panic_message(&*payload);
                    report.send(Err(payload));
                    resume_unwind(Box::new(message))
                }
            }
        });
        if let Some(name) = &name {
            task.set_name(name);
        }
        let thread = Thread::new(ThreadId(task.id()), name, parker);
        JoinHandle {
            result,
            finished,
            thread,
        }
    }

    /// Waits for the task to end and gives its value, or `Err` with the
    /// payload of its panic, as std's (or the `String` `"killed"` for a
    /// killed task). Green: blocks the calling task, not
    /// the thread. As [`std::thread::JoinHandle::join`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::spawn(|| async { panic!("oops") });
    ///     let payload = handle.join().unwrap_err();
    ///     assert_eq!(payload.downcast_ref::<&str>(), Some(&"oops"));
    /// }
    /// ```
    pub fn join(self) -> Green<impl Future<Output = std::thread::Result<T>>> {
        Green::new(async move {
            match self.result.await {
                Ok(result) => result,
                Err(_) => Err(Box::new(String::from("killed")) as Box<dyn Any + Send>),
            }
        })
    }
}

/// Sends the end of a task to its [`JoinHandle`]: its value or its panic,
/// or, dropped unsent when the task is killed, that it was killed.
struct Report<T> {
    sender: Option<oneshot::Sender<std::thread::Result<T>>>,
    finished: Arc<AtomicBool>,
}

impl<T> Report<T> {
    fn send(&mut self, result: std::thread::Result<T>) {
        if let Some(sender) = self.sender.take() {
            // No handle left to receive it: the thread was detached.
            let _ = sender.send(result);
        }
        self.finished.store(true, Ordering::Release);
    }
}

impl<T> Drop for Report<T> {
    fn drop(&mut self) {
        self.finished.store(true, Ordering::Release);
    }
}

impl<T> JoinHandle<T> {
    /// True once the task has ended (returned, panicked or been killed). As
    /// [`std::thread::JoinHandle::is_finished`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::spawn(|| async {});
    ///     assert!(!handle.is_finished()); // it starts on the hub's next turn
    ///     thread::yield_now();
    ///     assert!(handle.is_finished());
    /// }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// The task's [`Thread`] description. As
    /// [`std::thread::JoinHandle::thread`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::spawn(|| async { thread::current().id() });
    ///     let id = handle.thread().id();
    ///     assert_eq!(handle.join().unwrap(), id);
    /// }
    /// ```
    pub fn thread(&self) -> &Thread {
        &self.thread
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("thread", &self.thread)
            .field("finished", &self.is_finished())
            .finish()
    }
}
