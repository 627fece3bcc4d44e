//! `park`, `park_timeout` and `Thread::unpark`: one token per green task.

use core::cell::RefCell;
use core::fmt;
use core::future::Future;
use core::time::Duration;
use std::sync::Arc;

use green_runtime::Green;
use tokio::sync::Notify;

/// The park token of one green task, shared by every [`Thread`](super::Thread)
/// that describes it. `Notify` keeps at most one permit, as std's token:
/// `unpark` with nobody parked stores it, the next `park` takes it.
#[derive(Default)]
pub(super) struct Parker {
    token: Notify,
}

impl Parker {
    pub(super) fn unpark(&self) {
        self.token.notify_one();
    }

    async fn park(&self) {
        self.token.notified().await;
    }
}

impl fmt::Debug for Parker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parker { .. }")
    }
}

green_runtime::local! {
    /// The running task's token: installed by `compat::thread::spawn` (so
    /// that the `JoinHandle`'s `Thread` shares it), made on first use for
    /// the other tasks.
    static PARKER: RefCell<Option<Arc<Parker>>> = RefCell::new(None);
}

/// The running task's token.
pub(super) fn current_parker() -> Arc<Parker> {
    PARKER.with_borrow_mut(|slot| slot.get_or_insert_with(Arc::default).clone())
}

/// `work` that first makes `parker` its task's token.
pub(super) fn with_parker<F, G>(parker: Arc<Parker>, work: F) -> impl FnOnce() -> G
where
    F: FnOnce() -> G,
{
    move || {
        PARKER.with_borrow_mut(|slot| *slot = Some(parker));
        work()
    }
}

/// Blocks the running green task until its token is made available by
/// [`Thread::unpark`](super::Thread::unpark), then takes the token; returns
/// at once if the token is already there (an `unpark` came first). The green
/// version of [`std::thread::park`]: other tasks run meanwhile.
///
/// Each task has one token, which `unpark` sets whether or not the task is
/// parked and `park` consumes; unparking twice before a park leaves one
/// token. Unlike std's, our `park` never returns spuriously, but code
/// written for std (a loop checking a condition) works unchanged.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let ready = Rc::new(Cell::new(false));
///     let parked = {
///         let ready = ready.clone();
///         thread::spawn(move || async move {
///             while !ready.get() {
///                 thread::park().await;
///             }
///             "woken"
///         })
///     };
///     thread::sleep(std::time::Duration::from_millis(10));
///     ready.set(true);
///     parked.thread().unpark();
///     assert_eq!(parked.join().unwrap(), "woken");
/// }
/// ```
pub fn park() -> Green<impl Future<Output = ()>> {
    let parker = current_parker();
    Green::new(async move { parker.park().await })
}

/// As [`park`], but gives up after `dur` if no token came. The green version
/// of [`std::thread::park_timeout`]; like std's, it does not tell which
/// happened: check the condition the token stands for.
///
/// ```
/// use std::time::{Duration, Instant};
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let start = Instant::now();
///     thread::park_timeout(Duration::from_millis(20)); // nobody unparks
///     assert!(start.elapsed() >= Duration::from_millis(20));
///
///     thread::current().unpark();
///     let start = Instant::now();
///     thread::park_timeout(Duration::from_secs(10)); // the token is there
///     assert!(start.elapsed() < Duration::from_secs(10));
/// }
/// ```
pub fn park_timeout(dur: Duration) -> Green<impl Future<Output = ()>> {
    let parker = current_parker();
    Green::new(async move {
        let _ = tokio::time::timeout(dur, parker.park()).await;
    })
}
