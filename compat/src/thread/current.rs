//! `Thread`, `ThreadId` and `current`: what describes a green task.

use core::fmt;
use std::sync::Arc;

use green_runtime::TaskId;

use super::park::{Parker, current_parker};

/// Green version of [`std::thread::ThreadId`]: the identity of a green
/// task, unique in the process. Our own type (std's cannot be built); it
/// holds the task's `green::TaskId`.
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let other = thread::spawn(|| async { thread::current().id() });
///     let other_id = other.join().unwrap();
///     assert_ne!(other_id, thread::current().id());
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadId(pub(crate) TaskId);

impl ThreadId {
    /// The id as a number (std's `as_u64` is unstable; this one is not).
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(thread::current().id().as_u64() > 0);
    /// }
    /// ```
    pub fn as_u64(&self) -> u64 {
        self.0.as_u64()
    }
}

impl fmt::Debug for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ThreadId({})", self.0)
    }
}

/// Green version of [`std::thread::Thread`]: a description of a green task,
/// given by [`current`] and [`JoinHandle::thread`](super::JoinHandle::thread).
///
/// Our own type (std's cannot be built outside std). The name is the one
/// given by [`Builder::name`](super::Builder::name) or
/// `Greenlet::set_name`, `"main"` for the hub's main work (gevent's main
/// greenlet), and `None` for a task left unnamed.
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     assert_eq!(thread::current().name(), Some("main"));
///     let worker = thread::Builder::new()
///         .name("worker".into())
///         .spawn(|| async { thread::current().name().map(String::from) })
///         .unwrap();
///     assert_eq!(worker.thread().name(), Some("worker"));
///     assert_eq!(worker.join().unwrap().as_deref(), Some("worker"));
/// }
/// ```
#[derive(Clone)]
pub struct Thread {
    id: ThreadId,
    name: Option<String>,
    parker: Arc<Parker>,
}

impl Thread {
    pub(super) fn new(id: ThreadId, name: Option<String>, parker: Arc<Parker>) -> Self {
        Thread { id, name, parker }
    }

    /// Makes the task's park token available: a task blocked in
    /// [`park`](super::park) or [`park_timeout`](super::park_timeout) goes
    /// on, and if it is not parked its next `park` returns at once. Several
    /// `unpark`s before a `park` leave one token. Not blocking, and callable
    /// from any thread (a `Thread` is `Send`). As
    /// [`std::thread::Thread::unpark`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// // Plain code: unparks from an OS thread.
    /// fn unpark_elsewhere(thread: thread::Thread) -> std::thread::JoinHandle<()> {
    ///     std::thread::spawn(move || thread.unpark())
    /// }
    ///
    /// #[green::main]
    /// fn main() {
    ///     let waiter = thread::spawn(|| async {
    ///         thread::park().await;
    ///         "unparked"
    ///     });
    ///     // From an OS thread as well as from a green task.
    ///     let os_thread = unpark_elsewhere(waiter.thread().clone());
    ///     assert_eq!(waiter.join().unwrap(), "unparked");
    ///     os_thread.join().unwrap();
    /// }
    /// ```
    pub fn unpark(&self) {
        self.parker.unpark();
    }

    /// The task's id. As [`std::thread::Thread::id`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert_eq!(thread::current().id(), thread::current().id());
    /// }
    /// ```
    pub fn id(&self) -> ThreadId {
        self.id
    }

    /// The task's name, if it has one. As [`std::thread::Thread::name`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let unnamed = thread::spawn(|| async { thread::current().name().is_none() });
    ///     assert!(unnamed.join().unwrap());
    /// }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl fmt::Debug for Thread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Thread")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The [`Thread`] of the running green task (the hub's main work outside
/// any spawned task). The green version of [`std::thread::current`].
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let me = thread::current();
///     assert_eq!(me.name(), Some("main"));
///     let task = thread::spawn(|| async { thread::current().id() });
///     let task_id = task.thread().id();
///     assert_eq!(task.join().unwrap(), task_id);
/// }
/// ```
pub fn current() -> Thread {
    let task = green_runtime::current();
    let id = task.id();
    let name = task.name();
    // The runtime names unnamed tasks "Greenlet-N" and the main work
    // "MainGreenlet"; std says `None` and "main".
    let name = if name == "MainGreenlet" {
        Some(String::from("main"))
    } else if name == format!("Greenlet-{id}") {
        None
    } else {
        Some(name)
    };
    Thread::new(ThreadId(id), name, current_parker())
}
