//! `#[green::main(workers = n)]`: gunicorn's n workers in one process.
//! main's body runs once on each of n hubs (threads `green-hub-0` ..), each
//! with its own tasks and state; [`worker`] tells a body which it is.
//!
//! Listeners are shared by order: the k-th `TcpListener::bind` of every
//! hub binds one address with SO_REUSEPORT (Linux), the first hub to get
//! there choosing it (port 0: the kernel's pick) and the others binding
//! the address it got — so `bind("127.0.0.1:0")` gives one port that every
//! hub accepts on, the kernel spreading connections over them.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, Location, catch_unwind, resume_unwind};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use pin_project_lite::pin_project;
use tokio::sync::watch;

use crate::hub::{self, Place};

/// Which of the hubs of a `#[green::main(workers = n)]` the caller runs on,
/// as [`worker`] gives it.
///
/// ```
/// #[green::main(workers = 2)]
/// fn main() {
///     let me = green::worker().unwrap();
///     assert_eq!(me.count, 2);
///     assert!(me.index < 2);
///     assert_eq!(me.index, green::hub_index());
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Worker {
    /// This hub's number, 0 to `count - 1`.
    pub index: usize,
    /// How many hubs run main.
    pub count: usize,
}

thread_local! {
    static WORKER: Cell<Option<Worker>> = const { Cell::new(None) };
    /// This hub's binds so far, and the table they share with the others.
    static BINDS: RefCell<Option<(Arc<Binds>, usize)>> = const { RefCell::new(None) };
}

/// The worker the caller runs on inside `#[green::main(workers = n)]`
/// (also in green tasks it spawns: they run on the same hub); `None`
/// elsewhere, hubs of a [`Hubs`](crate::Hubs) included.
///
/// ```
/// #[green::main]
/// fn main() {
///     assert_eq!(green::worker(), None); // a lone hub
/// }
/// ```
pub fn worker() -> Option<Worker> {
    WORKER.with(Cell::get)
}

/// What main may return under `workers = n`: the values of several hubs
/// become one, the first failure (in time) winning.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`#[green::main(workers = n)]` cannot tell whether `{Self}` is a failure",
    label = "main returns `{Self}` here",
    note = "return `()` or a `Result<T, E>`: the first hub's `Err` is main's result"
)]
pub trait WorkerOutcome {
    /// True if this hub's main failed.
    fn failed(&self) -> bool;
}

impl WorkerOutcome for () {
    fn failed(&self) -> bool {
        false
    }
}

impl<T, E> WorkerOutcome for Result<T, E> {
    fn failed(&self) -> bool {
        self.is_err()
    }
}

/// The body of `#[green::main(workers = n)]` (and `#[green::test]` with
/// it): runs `main()` on each of `workers` hubs (0: one per core), until
/// every hub's main returned. The first `Err` (in time) stops the other
/// hubs (their mains are dropped, their tasks killed) and is the result;
/// without one, hub 0's value. A hub whose main panics (its thread's panic
/// message is the report) stops the others the same way, and the panic
/// goes on in the caller: the process fails, as a std program whose main
/// panics.
#[doc(hidden)]
#[track_caller]
pub fn run_workers<M, F>(
    name: &'static str,
    workers: usize,
    timeout_ms: Option<u64>,
    main: M,
) -> F::Output
where
    M: Fn() -> F + Sync,
    F: Future,
    F::Output: WorkerOutcome + Send,
{
    let count = if workers == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        workers
    };
    let site = Location::caller();
    let binds = Arc::new(Binds::default());
    let (stop, stopped) = watch::channel(false);
    let (done, ended) = mpsc::channel::<(usize, Ended<F::Output>)>();
    let main = &main;
    std::thread::scope(|scope| {
        for index in 0..count {
            let binds = binds.clone();
            let mut stopped = stopped.clone();
            let done = done.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("green-hub-{index}"))
                .spawn_scoped(scope, move || {
                    let place = Place { index, count };
                    hub::set_place(Some(place));
                    WORKER.set(Some(Worker { index, count }));
                    BINDS.set(Some((binds, 0)));
                    let body = async move {
                        let work = StopOr {
                            work: crate::hub::with_timeout(name, timeout_ms, main()),
                            stop: async move {
                                let _ = stopped.wait_for(|stop| *stop).await;
                            },
                        };
                        work.await
                    };
                    let ended = match catch_unwind(AssertUnwindSafe(|| hub::run_at(body, site))) {
                        Ok(Some(output)) => Ended::Returned(output),
                        Ok(None) => Ended::Stopped,
                        Err(payload) => Ended::Panicked(payload),
                    };
                    BINDS.set(None);
                    WORKER.set(None);
                    hub::set_place(None);
                    let _ = done.send((index, ended));
                });
            if let Err(error) = spawned {
                // As `std::thread::spawn`: no thread, no program. The hubs
                // started are stopped by the scope's end below.
                stop.send_replace(true);
                panic!("green: cannot start the thread of worker {index}: {error}");
            }
        }
        drop(done);
        let mut outputs: Vec<Option<F::Output>> = (0..count).map(|_| None).collect();
        let mut failure: Option<F::Output> = None;
        let mut panic: Option<Box<dyn Any + Send>> = None;
        for (index, ended) in ended {
            match ended {
                Ended::Returned(output) if output.failed() => {
                    if failure.is_none() && panic.is_none() {
                        failure = Some(output);
                    }
                    stop.send_replace(true);
                }
                Ended::Returned(output) => outputs[index] = Some(output),
                Ended::Stopped => {}
                Ended::Panicked(payload) => {
                    if panic.is_none() && failure.is_none() {
                        panic = Some(payload);
                    }
                    stop.send_replace(true);
                }
            }
        }
        if let Some(payload) = panic {
            resume_unwind(payload);
        }
        match failure {
            Some(failure) => failure,
            None => outputs
                .swap_remove(0)
                .expect("every worker returned when none failed"),
        }
    })
}

/// How a worker's main ended.
enum Ended<T> {
    Returned(T),
    /// Stopped because another worker failed.
    Stopped,
    Panicked(Box<dyn Any + Send>),
}

pin_project! {
    /// `work`, or `None` as soon as `stop` resolves.
    struct StopOr<W, S> {
        #[pin]
        work: W,
        #[pin]
        stop: S,
    }
}

impl<W: Future, S: Future<Output = ()>> Future for StopOr<W, S> {
    type Output = Option<W::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if this.stop.poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        this.work.poll(cx).map(Some)
    }
}

/// The binds of every hub, by their order on each hub.
#[derive(Default)]
struct Binds {
    /// The k-th entry: the address the first hub to bind k-th got (`None`
    /// inside while it binds; `Some(None)` if it failed).
    slots: Mutex<Vec<watch::Sender<Option<Option<SocketAddr>>>>>,
}

/// This hub's turn at a shared bind inside a workers main, for compat's
/// `TcpListener::bind`; see [`shared_bind`].
#[doc(hidden)]
#[derive(Debug)]
pub struct SharedBind {
    turn: Turn,
}

#[derive(Debug)]
enum Turn {
    /// This hub binds first: what it gets, it publishes.
    First(Option<watch::Sender<Option<Option<SocketAddr>>>>),
    /// Another hub binds first: this one binds what it got.
    Then(watch::Receiver<Option<Option<SocketAddr>>>),
}

/// Inside a workers main: this hub's next bind, which shares one address
/// with the binds of the same number on the other hubs. `None` elsewhere.
#[doc(hidden)]
pub fn shared_bind() -> Option<SharedBind> {
    BINDS.with(|binds| {
        let mut binds = binds.borrow_mut();
        let (table, next) = binds.as_mut()?;
        let k = *next;
        *next += 1;
        let mut slots = table.slots.lock().unwrap_or_else(PoisonError::into_inner);
        let turn = match slots.get(k) {
            Some(slot) => Turn::Then(slot.subscribe()),
            None => {
                let (slot, _) = watch::channel(None);
                slots.push(slot.clone());
                Turn::First(Some(slot))
            }
        };
        Some(SharedBind { turn })
    })
}

impl SharedBind {
    /// True if this hub binds first and publishes the address.
    pub fn is_first(&self) -> bool {
        matches!(self.turn, Turn::First(_))
    }

    /// The first hub: tells the others the address it bound (`None`: it
    /// failed, and each binds on its own).
    pub fn publish(mut self, bound: Option<SocketAddr>) {
        if let Turn::First(slot) = &mut self.turn {
            if let Some(slot) = slot.take() {
                slot.send_replace(Some(bound));
            }
        }
    }

    /// Another hub: waits for the first one's address (`None`: it failed,
    /// bind on your own).
    pub async fn address(mut self) -> Option<SocketAddr> {
        match &mut self.turn {
            Turn::First(_) => None,
            Turn::Then(published) => match published.wait_for(Option::is_some).await {
                Ok(value) => value.flatten(),
                Err(_) => None,
            },
        }
    }
}

impl Drop for SharedBind {
    fn drop(&mut self) {
        // A first bind dropped before it published (its future dropped):
        // the others must not wait for it.
        if let Turn::First(Some(slot)) = &mut self.turn {
            slot.send_replace(Some(None));
        }
    }
}
