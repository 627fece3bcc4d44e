//! `JoinHandle`: the handle of a task started by `compat::thread::spawn`.

use core::fmt;
use core::future::Future;
use std::any::Any;
use std::sync::Arc;

use green_runtime::{Green, GreenError, Greenlet};

use super::park::Parker;
use super::{Thread, ThreadId};

/// Green version of [`std::thread::JoinHandle`]: the handle of a green task
/// started by [`spawn`](super::spawn) or [`Builder::spawn`](super::Builder::spawn).
///
/// [`join`](JoinHandle::join) is green and gives [`std::thread::Result`]:
/// the task's value, or the payload of its panic (a `String` holding the
/// message; the `String` `"killed"` if the task was killed). Dropping the
/// handle leaves the task running, as std detaches a thread.
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
    task: Greenlet<T>,
    thread: Thread,
}

impl<T: 'static> JoinHandle<T> {
    pub(super) fn new(task: Greenlet<T>, name: Option<String>, parker: Arc<Parker>) -> Self {
        let thread = Thread::new(ThreadId(task.id()), name, parker);
        JoinHandle { task, thread }
    }

    /// Waits for the task to end and gives its value, or `Err` with the
    /// payload of its panic: a `String` holding the panic message (or
    /// `"killed"` for a killed task). Green: blocks the calling task, not
    /// the thread. As [`std::thread::JoinHandle::join`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let handle = thread::spawn(|| async { panic!("oops") });
    ///     let payload = handle.join().unwrap_err();
    ///     assert_eq!(payload.downcast_ref::<String>().unwrap(), "oops");
    /// }
    /// ```
    pub fn join(self) -> Green<impl Future<Output = std::thread::Result<T>>> {
        Green::new(async move {
            self.task
                .join()
                .await
                .map_err(|error| -> Box<dyn Any + Send> {
                    match error {
                        GreenError::Panicked(message) => Box::new(message),
                        _ => Box::new(String::from("killed")),
                    }
                })
        })
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
        self.task.is_ready()
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
