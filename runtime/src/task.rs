//! Green tasks: `spawn`, the `Greenlet` handle, `current`.

use core::fmt;
use core::future::{Future, IntoFuture};
use core::num::NonZeroU64;
use core::pin::Pin;
use core::task::{Context, Poll};
use core::time::Duration;
use std::any::Any;
use std::cell::{Cell, OnceCell, RefCell};
use std::mem;
use std::panic::{AssertUnwindSafe, Location, catch_unwind};
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU64, Ordering};

use pin_project_lite::pin_project;
use tokio::task::AbortHandle;

use crate::error::GreenError;
use crate::green::Green;
use crate::hub;
use crate::local::Locals;
use crate::parked::{Wait, WaitKind};
use crate::waiters::{Ticket, Waiters};
use crate::work::{Started, Work};

/// The identity of a green task, unique in the process.
///
/// ```
/// green::run(async {
///     let a = green::spawn(|| async {});
///     let b = green::spawn(|| async {});
///     assert_ne!(a.id(), b.id());
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(NonZeroU64);

impl TaskId {
    fn next() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        TaskId(NonZeroU64::new(id).expect("task id counter wrapped"))
    }

    /// The id whose number is `id` (0 is no id).
    pub(crate) fn from_u64(id: u64) -> Option<Self> {
        NonZeroU64::new(id).map(TaskId)
    }

    /// The id as a number.
    ///
    /// ```
    /// green::run(async {
    ///     assert!(green::current().id().as_u64() > 0);
    /// });
    /// ```
    pub fn as_u64(self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Running,
    Finished,
    Panicked,
    Killed,
}

/// What every task shares, whatever its output type.
///
/// Kept small: a parked task costs this plus its future. What only some tasks
/// need (a name, joiners, end callbacks, task-locals) lives in [`Extras`],
/// allocated on first use.
pub(crate) struct Header {
    id: TaskId,
    /// `None` for a hub's main task.
    spawned_at: Option<&'static Location<'static>>,
    state: Cell<State>,
    /// The green wait the task is parked in (`parked.rs`), in three cells,
    /// not one `Option<Wait>`, so that the kind and the flag share the
    /// padding of `state` and `cut_short`.
    wait_at: Cell<Option<&'static Location<'static>>>,
    wait_what: Cell<WaitKind>,
    wait_timed: Cell<bool>,
    /// How many of this task's waits a timeout has cut short (wrapping):
    /// see [`crate::timeout::CancelMark`].
    cut_short: Cell<u32>,
    abort: OnceCell<AbortHandle>,
    /// Boxed with its borrow flag: a task without extras pays one pointer.
    extras: OnceCell<Box<RefCell<Extras>>>,
}

#[derive(Default)]
struct Extras {
    name: Option<Rc<str>>,
    /// Tasks waiting for this one to end.
    done: Waiters,
    /// Run once when the task ends, before its joiners wake (pool slots,
    /// `iwait`); see [`Header::on_end`].
    on_end: Vec<Box<dyn FnOnce()>>,
    /// The task's `local!` values, dropped when it ends.
    locals: Locals,
}

impl Header {
    pub(crate) fn new(spawned_at: Option<&'static Location<'static>>) -> Self {
        Header {
            id: TaskId::next(),
            spawned_at,
            state: Cell::new(State::Running),
            wait_at: Cell::new(None),
            wait_what: Cell::new(WaitKind::Sleep),
            wait_timed: Cell::new(false),
            cut_short: Cell::new(0),
            abort: OnceCell::new(),
            extras: OnceCell::new(),
        }
    }

    pub(crate) fn main() -> Self {
        let header = Self::new(None);
        header.set_name("MainGreenlet");
        header
    }

    /// Runs `f` on the extras, allocating them on first use.
    fn extras<R>(&self, f: impl FnOnce(&mut Extras) -> R) -> R {
        f(&mut self.extras.get_or_init(Box::default).borrow_mut())
    }

    pub(crate) fn id(&self) -> TaskId {
        self.id
    }

    pub(crate) fn name(&self) -> String {
        let extras = self.extras.get().map(|e| e.borrow());
        match extras.as_ref().and_then(|e| e.name.as_ref()) {
            Some(name) => name.to_string(),
            None => format!("Greenlet-{}", self.id),
        }
    }

    pub(crate) fn set_name(&self, name: &str) {
        self.extras(|e| e.name = Some(Rc::from(name)));
        crate::monitor::task_named(self.id, name);
    }

    fn is_named(&self) -> bool {
        self.extras.get().is_some_and(|e| e.borrow().name.is_some())
    }

    /// The green wait the task is parked in.
    pub(crate) fn wait(&self) -> Option<Wait> {
        self.wait_at.get().map(|at| Wait {
            what: self.wait_what.get(),
            at,
            timed: self.wait_timed.get(),
        })
    }

    /// Sets the green wait the task is parked in (the pending path): true if
    /// the previous one was counted (`Wait::counted`).
    #[inline]
    pub(crate) fn replace_wait(&self, wait: Option<Wait>) -> bool {
        let was = self.wait_at.get().is_some() && !self.wait_timed.get();
        match wait {
            Some(wait) => {
                self.wait_at.set(Some(wait.at));
                self.wait_what.set(wait.what);
                self.wait_timed.set(wait.timed);
            }
            None => self.wait_at.set(None),
        }
        was
    }

    /// Sets the green wait the task is parked in; gives the previous one.
    pub(crate) fn set_wait(&self, wait: Option<Wait>) -> Option<Wait> {
        let was = self.wait();
        if let Some(wait) = wait {
            self.wait_what.set(wait.what);
            self.wait_timed.set(wait.timed);
        }
        self.wait_at.set(wait.map(|w| w.at));
        was
    }

    /// Counts a wait of this task cut short by a timeout.
    pub(crate) fn note_cut_short(&self) {
        self.cut_short.set(self.cut_short.get().wrapping_add(1));
    }

    pub(crate) fn cut_short(&self) -> u32 {
        self.cut_short.get()
    }

    pub(crate) fn spawned_at(&self) -> Option<&'static Location<'static>> {
        self.spawned_at
    }

    pub(crate) fn is_ready(&self) -> bool {
        self.state.get() != State::Running
    }

    pub(crate) fn kill_nowait(&self) {
        if !self.is_ready() {
            if let Some(handle) = self.abort.get() {
                handle.abort();
            }
        }
    }

    /// Resolves once the task has ended and its destructors have run.
    pub(crate) fn done(&self) -> Done<'_> {
        Done {
            header: self,
            ticket: Ticket::default(),
        }
    }

    /// Calls `callback` once the task has ended (at once if it has).
    pub(crate) fn on_end(&self, callback: Box<dyn FnOnce()>) {
        if self.is_ready() {
            callback();
        } else {
            self.extras(|e| e.on_end.push(callback));
        }
    }

    /// This task's value for the `local!` key at address `key`.
    pub(crate) fn local(&self, key: usize) -> Option<Rc<dyn Any>> {
        let extras = self.extras.get()?.borrow();
        extras.locals.values.get(&key).cloned()
    }

    pub(crate) fn set_local(&self, key: usize, value: Rc<dyn Any>) {
        self.extras(|e| e.locals.values.insert(key, value));
    }

    fn end(&self, state: State) {
        self.state.set(state);
        if self.spawned_at.is_some() {
            crate::parked::unregister(self.set_wait(None));
        }
        if self.is_named() {
            crate::monitor::task_ended(self.id);
        }
        // Taken out before running: destructors and callbacks may look at
        // this header again.
        let Some(extras) = self.extras.get() else {
            return;
        };
        let (locals, callbacks) = {
            let mut e = extras.borrow_mut();
            (mem::take(&mut e.locals), mem::take(&mut e.on_end))
        };
        drop(locals);
        for callback in callbacks {
            callback();
        }
        extras.borrow().done.notify_all();
    }
}

/// A task's shared cell: its header and, once it ended, its result.
pub(crate) struct TaskCell<T> {
    header: Header,
    result: Cell<Option<Result<T, GreenError>>>,
}

/// A task seen without its output type (the current task, group members).
pub(crate) trait AnyTask {
    fn header(&self) -> &Header;
}

impl<T> AnyTask for TaskCell<T> {
    fn header(&self) -> &Header {
        &self.header
    }
}

impl<T> TaskCell<T> {
    fn end(&self, result: Result<T, GreenError>) {
        let state = match &result {
            Ok(_) => State::Finished,
            Err(GreenError::Panicked(_)) => State::Panicked,
            Err(GreenError::Killed) => State::Killed,
        };
        self.result.set(Some(result));
        self.header.end(state);
    }
}

/// Future of [`Header::done`].
pub(crate) struct Done<'a> {
    header: &'a Header,
    ticket: Ticket,
}

impl Future for Done<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        loop {
            if this.header.is_ready() {
                this.cancel();
                return Poll::Ready(());
            }
            let ticket = &mut this.ticket;
            if this
                .header
                .extras(|e| e.done.poll_wait(ticket, cx))
                .is_pending()
            {
                return Poll::Pending;
            }
        }
    }
}

impl Done<'_> {
    fn cancel(&mut self) {
        if let Some(extras) = self.header.extras.get() {
            extras.borrow().done.cancel(&mut self.ticket);
        }
    }
}

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.cancel();
    }
}

pin_project! {
    /// The future tokio runs for a green task: catches its panic, marks it
    /// current while it runs, and records how it ended.
    struct TaskFuture<T, F> {
        #[pin]
        future: F,
        // Declared after `future`: dropped after it, so a killed task is
        // reported dead only once its destructors ran.
        finish: Finish<T>,
    }
}

struct Finish<T> {
    cell: Rc<TaskCell<T>>,
}

impl<T> Drop for Finish<T> {
    fn drop(&mut self) {
        if !self.cell.header.is_ready() {
            self.cell.end(Err(GreenError::Killed));
        }
    }
}

impl<T: 'static, F: Future<Output = T>> Future for TaskFuture<T, F> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        let cell = &this.finish.cell;
        let future = this.future;
        let _polling = crate::monitor::polling(cell.header.id(), cell.header.spawned_at());
        crate::parked::poll_starts();
        // The task stays the running one while it ends: its `local!` values,
        // end callbacks and panic report still see it as `current()`.
        hub::run_as(cell, || {
            match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
                Ok(Poll::Pending) => {
                    crate::parked::poll_pending(&cell.header);
                    Poll::Pending
                }
                Ok(Poll::Ready(value)) => {
                    cell.end(Ok(value));
                    Poll::Ready(())
                }
                Err(payload) => {
                    let message = panic_message(&*payload);
                    crate::panic_report::task_panicked(&cell.header, &message);
                    cell.end(Err(GreenError::Panicked(message)));
                    Poll::Ready(())
                }
            }
        })
    }
}

/// The message of a panic's payload: the `&str` of `panic!("..")`, the
/// `String` of `panic!("{x}")`, or `Box<dyn Any>` for another payload.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

/// Starts `work` as a new green task on the current hub; it runs from the
/// hub's next turn, as `gevent.spawn`.
///
/// `work` is a closure returning green work: `spawn(|| f(x))` where `f` is a
/// `#[green]` function. The task needs `'static` data but not `Send`: tasks of
/// one hub share `Rc` and `RefCell` freely. Dropping the returned handle does
/// not stop the task. A panic in the task is reported on stderr once and ends
/// only that task.
///
/// ```
/// use std::time::Duration;
///
/// #[green::green]
/// fn greet(name: &'static str) -> String {
///     green::sleep(Duration::from_millis(5));
///     format!("hello {name}")
/// }
///
/// #[green::main]
/// fn main() {
///     let task = green::spawn(|| greet("world"));
///     assert_eq!(task.join().unwrap(), "hello world");
/// }
/// ```
///
/// # Panics
///
/// Panics if called outside a hub (outside `green::run`, `#[green::main]` or
/// `#[green::test]`), like `tokio::task::spawn_local`.
#[track_caller]
pub fn spawn<W, G>(work: W) -> Greenlet<G::Output>
where
    W: Work<G> + 'static,
    G: IntoFuture + 'static,
    G::Output: 'static,
{
    spawn_at(work, Location::caller())
}

/// Starts `work` as a new green task after `delay` (gevent's `spawn_later`).
/// The handle exists at once: killing it before the delay ran out means the
/// work never starts.
///
/// ```
/// use std::time::{Duration, Instant};
///
/// #[green::main]
/// fn main() {
///     let start = Instant::now();
///     let task = green::spawn_later(Duration::from_millis(20), || async { "late" });
///     assert_eq!(task.join(), Ok("late"));
///     assert!(start.elapsed() >= Duration::from_millis(20));
/// }
/// ```
///
/// # Panics
///
/// Panics if called outside a hub, as [`spawn`].
#[track_caller]
pub fn spawn_later<W, G>(delay: core::time::Duration, work: W) -> Greenlet<G::Output>
where
    W: Work<G> + 'static,
    G: IntoFuture + 'static,
    G::Output: 'static,
{
    let later = move || async move {
        tokio::time::sleep(delay).await;
        work.start().await
    };
    spawn_at(later, Location::caller())
}

/// [`spawn`] with the spawn location given (pools, `spawn_later`).
pub(crate) fn spawn_at<W, G>(work: W, location: &'static Location<'static>) -> Greenlet<G::Output>
where
    W: Work<G> + 'static,
    G: IntoFuture + 'static,
    G::Output: 'static,
{
    hub::assert_in_hub("green::spawn");
    let cell = Rc::new(TaskCell {
        header: Header::new(Some(location)),
        result: Cell::new(None),
    });
    let weak: Weak<dyn AnyTask> = Rc::downgrade(&cell) as Weak<TaskCell<G::Output>>;
    crate::parked::register(weak);
    let future = TaskFuture {
        future: in_spawners_span(Started::new(work)),
        finish: Finish { cell: cell.clone() },
    };
    let handle = tokio::task::spawn_local(future);
    let _ = cell.header.abort.set(handle.abort_handle());
    Greenlet { cell }
}

/// The task's work inside the `tracing` span current where it was spawned
/// (feature `tracing`), so that its events belong to the request, job or
/// connection that started it.
#[cfg(feature = "tracing")]
fn in_spawners_span<F: Future>(work: F) -> tracing::instrument::Instrumented<F> {
    use tracing::Instrument as _;
    work.in_current_span()
}

/// Without the `tracing` feature, the work as it is.
#[cfg(not(feature = "tracing"))]
fn in_spawners_span<F>(work: F) -> F {
    work
}

/// A handle to a green task (gevent's `Greenlet`).
///
/// `join` waits for the task's result, `kill` stops it and returns once its
/// destructors ran. Dropping the handle leaves the task running.
///
/// ```
/// use std::time::Duration;
/// use green::GreenError;
///
/// #[green::main]
/// fn main() {
///     let sleeper = green::spawn(|| green::sleep(Duration::from_secs(60)));
///     sleeper.set_name("sleeper");
///     assert_eq!(sleeper.name(), "sleeper");
///     assert!(!sleeper.is_ready());
///     sleeper.kill();
///     assert!(sleeper.is_ready());
///     assert_eq!(sleeper.join(), Err(GreenError::Killed));
/// }
/// ```
pub struct Greenlet<T> {
    cell: Rc<TaskCell<T>>,
}

impl<T: 'static> Greenlet<T> {
    /// Waits for the task to end and gives its result: the value it returned,
    /// or why it has none ([`GreenError::Panicked`], [`GreenError::Killed`]).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async { 6 * 7 });
    ///     assert_eq!(task.join(), Ok(42));
    /// }
    /// ```
    #[track_caller]
    pub fn join(self) -> Green<impl Future<Output = Result<T, GreenError>>> {
        crate::parked::green_wait(crate::parked::WaitKind::GreenletJoin, async move {
            self.cell.header.done().await;
            self.take_result()
        })
    }

    /// Waits at most `timeout` for the task to end, as gevent's
    /// `join(timeout)`: its result, or — the time ran out, the task still
    /// running — the handle back, to join, kill or wait on again.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let slow = green::spawn(|| async {
    ///         green::sleep(Duration::from_millis(200)).await;
    ///         "done"
    ///     });
    ///     let slow = slow.join_timeout(Duration::from_millis(10)).unwrap_err();
    ///     assert!(!slow.is_ready());
    ///     assert_eq!(slow.join_timeout(Duration::from_secs(10)).ok(), Some(Ok("done")));
    /// }
    /// ```
    #[track_caller]
    pub fn join_timeout(
        self,
        timeout: Duration,
    ) -> Green<impl Future<Output = Result<Result<T, GreenError>, Greenlet<T>>>> {
        crate::parked::green_wait_timed(crate::parked::WaitKind::GreenletJoinTimeout, async move {
            let ended = {
                let mut done = self.cell.header.done();
                crate::timeout::poll_until_elapsed(timeout, &mut done)
                    .await
                    .is_ok()
            };
            if ended {
                Ok(self.take_result())
            } else {
                Err(self)
            }
        })
    }

    /// Stops the task and returns once it is dead and its destructors ran.
    /// Harmless on a task that already ended, and on a task killed twice.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| green::sleep(Duration::from_secs(60)));
    ///     task.kill();
    ///     task.kill();
    ///     assert!(task.is_ready());
    /// }
    /// ```
    #[track_caller]
    pub fn kill(&self) -> Green<impl Future<Output = ()> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::GreenletKill, async move {
            self.kill_nowait();
            self.cell.header.done().await;
        })
    }

    /// Asks the task to stop and returns at once; the task dies on the hub's
    /// next turn.
    ///
    /// ```
    /// use std::time::Duration;
    /// use green::GreenError;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| green::sleep(Duration::from_secs(60)));
    ///     task.kill_nowait();
    ///     assert_eq!(task.join(), Err(GreenError::Killed));
    /// }
    /// ```
    pub fn kill_nowait(&self) {
        self.cell.header.kill_nowait();
    }

    /// Waits for the task to end without taking its result.
    pub(crate) fn wait_done(&self) -> Done<'_> {
        self.cell.header.done()
    }

    /// The result of a task that has ended; `Killed` if it was already taken.
    pub(crate) fn take_result(&self) -> Result<T, GreenError> {
        self.cell.result.take().unwrap_or(Err(GreenError::Killed))
    }

    /// Hands the task's result to `deliver` when it ends (at once if it
    /// has): how a [`HubTask`](crate::HubTask) gets its value across
    /// threads. The callback holds the task's cell until it runs, which
    /// every ending does (a killed task, or one dropped with its hub, ends
    /// `Killed`).
    pub(crate) fn on_result(self, deliver: impl FnOnce(Result<T, GreenError>) + 'static) {
        let cell = self.cell.clone();
        self.cell.header.on_end(Box::new(move || {
            let result = cell.result.take().unwrap_or(Err(GreenError::Killed));
            deliver(result);
        }));
    }

    /// The task seen without its output type.
    pub(crate) fn as_any(&self) -> Rc<dyn AnyTask> {
        self.cell.clone()
    }
}

impl<T> Greenlet<T> {
    /// True once the task has ended: returned, panicked or been killed.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async {});
    ///     assert!(!task.is_ready());
    ///     green::idle();
    ///     assert!(task.is_ready());
    /// }
    /// ```
    pub fn is_ready(&self) -> bool {
        self.cell.header.is_ready()
    }

    /// The task's id.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async { green::current().id() });
    ///     let id = task.id();
    ///     assert_eq!(task.join(), Ok(id));
    /// }
    /// ```
    pub fn id(&self) -> TaskId {
        self.cell.header.id()
    }

    /// The task's name: "Greenlet-N" unless set with [`set_name`](Self::set_name).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async {});
    ///     assert_eq!(task.name(), format!("Greenlet-{}", task.id()));
    /// }
    /// ```
    pub fn name(&self) -> String {
        self.cell.header.name()
    }

    /// Names the task; the name appears in its panic report.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async { green::current().name() });
    ///     task.set_name("worker");
    ///     assert_eq!(task.join().unwrap(), "worker");
    /// }
    /// ```
    pub fn set_name(&self, name: impl AsRef<str>) {
        self.cell.header.set_name(name.as_ref());
    }
}

impl<T> fmt::Debug for Greenlet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = &self.cell.header;
        f.debug_struct("Greenlet")
            .field("id", &header.id())
            .field("name", &header.name())
            .field("state", &header.state.get())
            .finish()
    }
}

/// The running green task, as returned by [`current`].
///
/// ```
/// #[green::main]
/// fn main() {
///     let me = green::current();
///     assert_eq!(me.name(), "MainGreenlet");
/// }
/// ```
pub struct CurrentTask {
    task: Rc<dyn AnyTask>,
}

impl CurrentTask {
    /// The task's id.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async { green::current().id() });
    ///     let id = task.id();
    ///     assert_eq!(task.join(), Ok(id));
    /// }
    /// ```
    pub fn id(&self) -> TaskId {
        self.task.header().id()
    }

    /// The task's name ("MainGreenlet" for the work given to `green::run`).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async { green::current().name() });
    ///     let name = task.name();
    ///     assert_eq!(task.join(), Ok(name));
    /// }
    /// ```
    pub fn name(&self) -> String {
        self.task.header().name()
    }

    /// Renames the running task.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let task = green::spawn(|| async {
    ///         green::current().set_name("renamed");
    ///     });
    ///     task.join().unwrap();
    /// }
    /// ```
    pub fn set_name(&self, name: impl AsRef<str>) {
        self.task.header().set_name(name.as_ref());
    }
}

impl fmt::Debug for CurrentTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CurrentTask")
            .field("id", &self.id())
            .field("name", &self.name())
            .finish()
    }
}

/// The running green task (gevent's `getcurrent()`): inside a spawned task that
/// task, elsewhere the thread's main task, named "MainGreenlet".
///
/// ```
/// #[green::main]
/// fn main() {
///     let worker = green::spawn(|| async { green::current().name() });
///     worker.set_name("worker");
///     assert_eq!(worker.join().unwrap(), "worker");
///     assert_eq!(green::current().name(), "MainGreenlet");
/// }
/// ```
pub fn current() -> CurrentTask {
    CurrentTask {
        task: hub::current_task(),
    }
}
