//! `green::hubs(n)`: n hubs, one OS thread each, in one process — the way to
//! use every core without asking green code to be `Send`.
//!
//! Each hub is green's usual hub (`hub::run`: a current-thread tokio runtime
//! and a `LocalSet`, with its own deadlock check, run info and monitor
//! watch) on a thread named `green-hub-N`. Its main task serves an inbox: a
//! tokio channel of `Send` closures, each of which it spawns as a green task
//! there. The task's result goes back through a [`HubTask`]'s hand-off.
//! What crosses threads is the closure and the result; the green work the
//! closure makes, and everything it shares with its hub's other tasks
//! (`Rc`, `RefCell`, green queues and events), stays on the hub.

use core::fmt;
use core::future::IntoFuture;
use core::time::Duration;
use std::panic::Location;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;

use tokio::sync::mpsc;

use crate::hub::{self, Place};
use crate::hub_task::{self, HubTask};

/// How long a hub that was told to stop may take to end its thread after
/// its deadline (its tasks are killed then, which is quick unless a task
/// holds the thread) before the handle stops waiting for it.
const STOP_GRACE: Duration = Duration::from_secs(1);

/// What a hub's inbox carries.
enum Message {
    /// Spawn this work as a green task.
    Run(Job),
    /// Take no more work; let the tasks run until the deadline, then kill
    /// what is left and end the thread.
    Stop(Instant),
}

/// Work on its way to a hub; counted in the hub's load from the moment it
/// is sent, so that spawns in a burst spread out.
struct Job {
    start: Option<Box<dyn FnOnce() + Send>>,
    load: &'static AtomicUsize,
}

impl Job {
    fn run(mut self) {
        if let Some(start) = self.start.take() {
            start();
        }
        // `Drop` takes it off the load: the task it spawned counts now.
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.load.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A hub of the set, as its handle sees it.
struct Member {
    inbox: mpsc::UnboundedSender<Message>,
    /// Live green tasks on the hub plus work queued for it.
    load: &'static AtomicUsize,
    thread: Option<JoinHandle<()>>,
    /// Set when the thread is done with the hub (it may still be unwinding
    /// its thread-locals, which `JoinHandle::is_finished` waits for).
    ended: Arc<AtomicBool>,
}

/// Load counters of hubs that ended, to reuse: the hub's spawn path reads
/// its counter through a plain `&'static`, so a counter is leaked once and
/// recycled, and no more exist than hubs ever ran at once.
static FREE_LOADS: Mutex<Vec<&'static AtomicUsize>> = Mutex::new(Vec::new());

fn take_load() -> &'static AtomicUsize {
    let free = FREE_LOADS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .pop();
    let load = free.unwrap_or_else(|| Box::leak(Box::new(AtomicUsize::new(0))));
    load.store(0, Ordering::Relaxed);
    load
}

/// Hubs that have not ended their thread yet, and a signal when one does.
#[derive(Default)]
struct Running {
    count: Mutex<usize>,
    ended: Condvar,
}

/// Ends a hub's count in [`Running`] when its thread ends, panicking or not.
struct EndOfThread {
    running: Arc<Running>,
    /// This hub's own flag: its thread is past the hub and about to end.
    ended: Arc<AtomicBool>,
}

impl Drop for EndOfThread {
    fn drop(&mut self) {
        self.ended.store(true, Ordering::Release);
        let mut count = self
            .running
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *count = count.saturating_sub(1);
        self.running.ended.notify_all();
    }
}

/// Starts `n` hubs now, each on its own thread named `green-hub-0` ..
/// `green-hub-{n-1}`; `n = 0` starts one per core
/// (`std::thread::available_parallelism`, 1 if unknown).
///
/// Send work to them with [`Hubs::spawn_on`] (a chosen hub) or
/// [`Hubs::spawn`] (the least loaded); the closure crosses threads and must
/// be `Send`, the green work it returns runs on that hub and need not be.
/// The hubs stop when the handle is dropped or [`Hubs::shutdown`] is called.
///
/// ```
/// use std::rc::Rc;
/// use std::cell::Cell;
///
/// #[green::green]
/// fn count_to(n: u32) -> u32 {
///     let counter = Rc::new(Cell::new(0)); // not Send: stays on its hub
///     for _ in 0..n {
///         counter.set(counter.get() + 1);
///         green::idle();
///     }
///     counter.get()
/// }
///
/// let hubs = green::hubs(2);
/// assert_eq!(hubs.len(), 2);
/// let tasks: Vec<_> = (0..4).map(|_| hubs.spawn(|| count_to(10))).collect();
/// let total: u32 = tasks.into_iter().map(|t| t.join_blocking().unwrap()).sum();
/// assert_eq!(total, 40);
/// ```
///
/// # Panics
///
/// Panics if not even one hub's thread can be started (as
/// `std::thread::spawn` does); if only some can, the set has fewer hubs,
/// which [`Hubs::len`] tells.
#[track_caller]
pub fn hubs(n: usize) -> Hubs {
    let n = if n == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        n
    };
    let running = Arc::new(Running::default());
    let mut members = Vec::with_capacity(n);
    for index in 0..n {
        let (inbox, receiver) = mpsc::unbounded_channel();
        let load = take_load();
        let ended = Arc::new(AtomicBool::new(false));
        let end = EndOfThread {
            running: running.clone(),
            ended: ended.clone(),
        };
        let place = Place { index, count: n };
        *running.count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        let spawned = std::thread::Builder::new()
            .name(format!("green-hub-{index}"))
            .spawn(move || {
                let _end = end;
                hub_thread(place, load, receiver);
            });
        match spawned {
            Ok(thread) => members.push(Member {
                inbox,
                load,
                thread: Some(thread),
                ended,
            }),
            // The closure, and `end` in it, were dropped: the count is right.
            Err(error) if index == 0 => panic!("green::hubs: cannot start a hub thread: {error}"),
            Err(error) => {
                FREE_LOADS
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(load);
                // The started hubs keep their place ("hub 1 of {n}").
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    format!(
                        "green::hubs: started {index} hubs of {n}: cannot start another thread: {error}\n"
                    )
                    .as_bytes(),
                );
                break;
            }
        }
    }
    Hubs {
        members,
        running,
        rotation: AtomicUsize::new(0),
    }
}

/// The body of a hub's thread: a hub whose main task serves the inbox.
fn hub_thread(
    place: Place,
    load: &'static AtomicUsize,
    mut inbox: mpsc::UnboundedReceiver<Message>,
) {
    hub::set_place(Some(place));
    crate::parked::set_load(Some(load));
    hub::run_at(
        async move {
            let deadline = loop {
                match inbox.recv().await {
                    Some(Message::Run(job)) => job.run(),
                    Some(Message::Stop(deadline)) => break deadline,
                    // The handle is gone without a word (not possible
                    // through `Hubs`, which always says stop): stop now.
                    None => break Instant::now(),
                }
            };
            // Work still queued will not run: its joiners get `Killed`.
            drop(inbox);
            let left = deadline.saturating_duration_since(Instant::now());
            let _ = tokio::time::timeout(left, crate::parked::drained()).await;
            // Returning ends the hub: `run` kills the tasks still alive
            // (their destructors run) and the thread ends.
        },
        Location::caller(),
    );
    crate::parked::set_load(None);
    hub::set_place(None);
}

/// A set of hubs, one thread each: made by [`hubs`].
///
/// The handle is `Send` and `Sync`: share it (in an `Arc`) with green code
/// on its own hubs to spread work from there. Dropping it stops every hub
/// at once, as [`shutdown`](Self::shutdown) with no time to finish.
///
/// ```
/// use std::time::Duration;
///
/// let hubs = green::hubs(2);
/// let task = hubs.spawn_on(0, || async { "hello from hub 0" });
/// assert_eq!(task.join_blocking(), Ok("hello from hub 0"));
/// hubs.shutdown(Duration::from_secs(1));
/// ```
pub struct Hubs {
    members: Vec<Member>,
    running: Arc<Running>,
    /// Where the search for the least-loaded hub starts, turning, so that
    /// ties do not all go to hub 0.
    rotation: AtomicUsize,
}

impl Hubs {
    /// How many hubs the set has.
    ///
    /// ```
    /// assert_eq!(green::hubs(3).len(), 3);
    /// assert!(green::hubs(0).len() >= 1); // one per core
    /// ```
    #[allow(clippy::len_without_is_empty)] // a set always has a hub
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Runs `work` as a green task on hub `hub` (from its next turn) and
    /// gives a handle to its result. An index past the last hub wraps
    /// around (`hub % len()`), as a shard number would; [`HubTask::hub`]
    /// tells where it went.
    ///
    /// `work` is a closure returning green work, as for
    /// [`spawn`](crate::spawn): the closure and the result cross threads
    /// (`Send`), the green work runs on the hub and may hold `Rc`s.
    ///
    /// ```
    /// use std::rc::Rc;
    ///
    /// let hubs = green::hubs(2);
    /// let task = hubs.spawn_on(1, || {
    ///     let shared = Rc::new(String::from("local")); // made on hub 1
    ///     async move {
    ///         green::idle().await;
    ///         (green::hub_index(), shared.len())
    ///     }
    /// });
    /// assert_eq!(task.join_blocking(), Ok((1, 5)));
    /// ```
    #[track_caller]
    pub fn spawn_on<F, G>(&self, hub: usize, work: F) -> HubTask<G::Output>
    where
        F: FnOnce() -> G + Send + 'static,
        G: IntoFuture + 'static,
        G::Output: Send + 'static,
    {
        let hub = hub % self.members.len();
        let member = &self.members[hub];
        let (sender, task) = hub_task::handoff(hub);
        let location = Location::caller();
        member.load.fetch_add(1, Ordering::Relaxed);
        let job = Job {
            start: Some(Box::new(move || {
                let greenlet = crate::task::spawn_at(work, location);
                greenlet.on_result(move |result| sender.send(result));
            })),
            load: member.load,
        };
        // A hub whose thread is gone (stopped, or its thread died) drops
        // the job: the handle's join gives `Killed`.
        let _ = member.inbox.send(Message::Run(job));
        task
    }

    /// Runs `work` on the least-loaded hub: the one with the fewest live
    /// green tasks (its own spawns included) and queued work.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let hubs = green::hubs(2);
    /// // Hub 0 gets 10 sleepers; the next spawns go to hub 1.
    /// let sleepers: Vec<_> = (0..10)
    ///     .map(|_| hubs.spawn_on(0, || green::sleep(Duration::from_millis(200))))
    ///     .collect();
    /// let next = hubs.spawn(|| async { green::hub_index() });
    /// assert_eq!(next.join_blocking(), Ok(1));
    /// # drop(sleepers);
    /// ```
    #[track_caller]
    pub fn spawn<F, G>(&self, work: F) -> HubTask<G::Output>
    where
        F: FnOnce() -> G + Send + 'static,
        G: IntoFuture + 'static,
        G::Output: Send + 'static,
    {
        let hub = self.least_loaded();
        self.spawn_on(hub, work)
    }

    fn least_loaded(&self) -> usize {
        let n = self.members.len();
        let start = self.rotation.fetch_add(1, Ordering::Relaxed) % n;
        (0..n)
            .map(|step| (start + step) % n)
            .min_by_key(|&hub| self.members[hub].load.load(Ordering::Relaxed))
            .unwrap_or(0)
    }

    /// The load of each hub, by index: its live green tasks (spawned
    /// there by any means) plus work sent to it and not started yet. A
    /// snapshot: the hubs run on meanwhile.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let hubs = green::hubs(2);
    /// let sleeper = hubs.spawn_on(1, || green::sleep(Duration::from_millis(100)));
    /// assert_eq!(hubs.loads()[1], 1);
    /// sleeper.join_blocking().unwrap();
    /// # let start = std::time::Instant::now();
    /// # while hubs.loads()[1] != 0 && start.elapsed() < Duration::from_secs(5) {
    /// #     std::thread::sleep(Duration::from_millis(1));
    /// # }
    /// assert_eq!(hubs.loads(), [0, 0]);
    /// ```
    pub fn loads(&self) -> Vec<usize> {
        self.members
            .iter()
            .map(|member| member.load.load(Ordering::Relaxed))
            .collect()
    }

    /// Stops every hub: they take no more work, their tasks get until
    /// `timeout` to end by themselves, then whatever is left is killed
    /// (destructors run, joiners get [`GreenError::Killed`](crate::GreenError::Killed))
    /// and the threads are joined. A plain call: it blocks the calling
    /// thread for at most `timeout` and a second; a hub that does not end
    /// by then (a task holding its thread in a loop or a std call) is
    /// reported on stderr and left behind, not waited for.
    ///
    /// Called from green code it blocks that hub meanwhile; call it from a
    /// plain thread, or with a zero timeout.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let hubs = green::hubs(2);
    /// let quick = hubs.spawn_on(0, || green::sleep(Duration::from_millis(10)));
    /// let slow = hubs.spawn_on(1, || green::sleep(Duration::from_secs(60)));
    /// let start = Instant::now();
    /// hubs.shutdown(Duration::from_millis(200));
    /// assert!(start.elapsed() < Duration::from_secs(5));
    /// assert_eq!(quick.join_blocking(), Ok(()));
    /// assert_eq!(slow.join_blocking(), Err(green::GreenError::Killed));
    /// ```
    pub fn shutdown(mut self, timeout: Duration) {
        self.stop(timeout);
    }

    fn stop(&mut self, timeout: Duration) {
        let now = Instant::now();
        let deadline = now.checked_add(timeout).unwrap_or(now + STOP_GRACE * 3600);
        for member in &self.members {
            let _ = member.inbox.send(Message::Stop(deadline));
        }
        let give_up = deadline + STOP_GRACE;
        // Dropped on one of its own hubs (the last `Arc` held by a task
        // there): that hub ends once this task's poll returns, not before.
        let me = std::thread::current().id();
        let own = self.members.iter().position(|member| {
            member
                .thread
                .as_ref()
                .is_some_and(|thread| thread.thread().id() == me)
        });
        if let Some(own) = own {
            drop(self.members[own].thread.take());
        }
        {
            let mut count = self
                .running
                .count
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            while *count > usize::from(own.is_some()) {
                let left = give_up.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                count = self
                    .running
                    .ended
                    .wait_timeout(count, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
        let count = self.members.len();
        for (index, member) in self.members.iter_mut().enumerate() {
            let Some(thread) = member.thread.take() else {
                continue;
            };
            if member.ended.load(Ordering::Acquire) {
                // A panic of the hub's own loop was reported by its thread.
                let _ = thread.join();
                // Nothing uses the counter now: the next hub may.
                FREE_LOADS
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(member.load);
            } else {
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    format!(
                        "green: hub {index} of {} (thread green-hub-{index}) did not stop \
                         within {} ms of its deadline: a task holds its thread; it is left \
                         running\n",
                        count,
                        STOP_GRACE.as_millis()
                    )
                    .as_bytes(),
                );
            }
        }
    }
}

impl Drop for Hubs {
    fn drop(&mut self) {
        if self.members.iter().any(|member| member.thread.is_some()) {
            self.stop(Duration::ZERO);
        }
    }
}

impl fmt::Debug for Hubs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hubs")
            .field("len", &self.len())
            .field("loads", &self.loads())
            .finish()
    }
}
