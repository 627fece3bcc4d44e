//! Groups of green tasks (gevent.pool, eventlet's GreenPool and GreenPile):
//! `Pool` (at most `size` running), `Group` (unbounded), `Pile` (results in
//! spawn order), and the `map`/`imap` family.
//!
//! `Pool` and `Group` are one type, [`Tracker<S>`](Tracker), whose slot
//! strategy `S` is [`Bounded`] or [`Unbounded`]: the shared methods (`map`,
//! `imap`, `join`, `kill`, ..) are written once; only construction, `spawn`
//! (which waits for a slot in a pool) and the slot queries differ.
//!
//! A member's slot is released when it ends in any way: returned, panicked,
//! killed (its destructors ran first).
//!
//! # Spawning from inside the pool
//!
//! A task of a pool that spawns into its own pool while every slot is taken
//! would wait for a slot that may only come free once it returns itself. As
//! gevent's `Pool.apply` runs the function in the calling worker in that
//! case, green lends the caller's slot: [`Pool::spawn`] from a member of a
//! full pool starts the task at once and waits for it to end before
//! returning its (finished) handle, so no more than `size` tasks of the pool
//! make progress and nothing deadlocks. `map`, `imap` and `imap_unordered`
//! called by a member run their items one at a time the same way (input
//! order).

use core::fmt;
use core::future::{Future, IntoFuture};
use core::time::Duration;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::panic::Location;
use std::rc::{Rc, Weak};

use crate::error::GreenError;
use crate::green::Green;
use crate::iter::GreenIterator;
use crate::line::SignalWait;
use crate::lock::{Permits, SemaphoreGuard};
use crate::task::{AnyTask, Greenlet, TaskId, current, spawn_at};
use crate::timeout::poll_until_elapsed;
use crate::waiters::Waiters;
use crate::work::Work;

/// The error of [`Pool::try_spawn`]: every slot is taken. The work is given
/// back.
///
/// ```
/// #[green::main]
/// fn main() {
///     let pool = green::Pool::new(0);
///     let green::PoolFull(work) = pool.try_spawn(|| async { 1 }).unwrap_err();
///     assert_eq!(green::spawn(work).join(), Ok(1));
/// }
/// ```
#[derive(Clone, Copy)]
pub struct PoolFull<W>(pub W);

impl<W> fmt::Debug for PoolFull<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PoolFull(..)")
    }
}

impl<W> fmt::Display for PoolFull<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("pool is full")
    }
}

impl<W> std::error::Error for PoolFull<W> {}

/// The members of a [`Tracker`], and its slots as its strategy `S` has them.
struct Core<S> {
    slots: S,
    members: RefCell<HashMap<TaskId, Rc<dyn AnyTask>>>,
    emptied: Waiters,
}

impl<S: Slots> Core<S> {
    fn new(slots: S) -> Rc<Self> {
        Rc::new(Core {
            slots,
            members: RefCell::new(HashMap::new()),
            emptied: Waiters::new(),
        })
    }

    fn len(&self) -> usize {
        self.members.borrow().len()
    }

    fn is_member(&self, id: TaskId) -> bool {
        self.members.borrow().contains_key(&id)
    }

    /// Spawns `work` as a member; `permit` (its slot) is released when it ends.
    fn start<W, G>(
        self: &Rc<Self>,
        work: W,
        permit: Option<SemaphoreGuard>,
        location: &'static Location<'static>,
    ) -> Greenlet<G::Output>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let handle = spawn_at(work, location);
        let task = handle.as_any();
        let id = handle.id();
        self.members.borrow_mut().insert(id, task.clone());
        let tracker = Rc::downgrade(self);
        task.header().on_end(Box::new(move || {
            if let Some(tracker) = tracker.upgrade() {
                tracker.remove(id);
            }
            drop(permit);
        }));
        handle
    }

    fn remove(&self, id: TaskId) {
        let mut members = self.members.borrow_mut();
        members.remove(&id);
        if members.is_empty() {
            drop(members);
            self.emptied.notify_all();
        }
    }

    /// Runs `work` in a new member that uses the caller's slot: returns its
    /// handle once it ended; kills it if the caller is cancelled meanwhile.
    async fn lend<W, G>(
        self: &Rc<Self>,
        work: W,
        location: &'static Location<'static>,
    ) -> Greenlet<G::Output>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let handle = self.start(work, None, location);
        let _kill = KillUnlessDone(handle.as_any());
        handle.wait_done().await;
        handle
    }

    /// Waits for a slot (or lends the caller's) and spawns `work`.
    async fn spawn<W, G>(
        self: &Rc<Self>,
        work: W,
        location: &'static Location<'static>,
    ) -> Greenlet<G::Output>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let Some(Bounded { permits: slots }) = self.slots.bounded() else {
            return self.start(work, None, location);
        };
        if self.is_member(current().id()) {
            if slots.try_take() {
                return self.start(work, Some(SemaphoreGuard::new(slots.clone())), location);
            }
            return self.lend(work, location).await;
        }
        let permit = slots.acquire().await;
        self.start(work, Some(permit), location)
    }

    fn join(&self) -> SignalWait<'_, impl Fn() -> bool + Unpin + '_> {
        SignalWait::new(&self.emptied, move || self.members.borrow().is_empty())
    }

    async fn join_timeout(&self, timeout: Duration) -> bool {
        poll_until_elapsed(timeout, &mut self.join()).await.is_ok()
    }

    async fn kill(&self) {
        let members: Vec<_> = self.members.borrow().values().cloned().collect();
        for task in &members {
            task.header().kill_nowait();
        }
        for task in &members {
            task.header().done().await;
        }
    }

    fn imap<F, I, G>(
        self: &Rc<Self>,
        f: F,
        items: I,
        ordered: bool,
        location: &'static Location<'static>,
    ) -> IMap<G::Output>
    where
        F: Fn(I::Item) -> G + 'static,
        I: IntoIterator,
        I::IntoIter: 'static,
        I::Item: 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let f = Rc::new(f);
        let mut items = items.into_iter();
        let state = Rc::new(MapState {
            ordered,
            queue: RefCell::new(VecDeque::new()),
            running: RefCell::new(HashMap::new()),
            fed_all: Cell::new(false),
            changed: Waiters::new(),
        });
        if self.slots.bounded().is_some() && self.is_member(current().id()) {
            let tracker = self.clone();
            let next_work = Box::new(move || {
                let item = items.next()?;
                let f = f.clone();
                Some(tracker.start(move || f(item), None, location))
            });
            return IMap {
                state,
                source: Source::Inline(next_work),
            };
        }
        let tracker = self.clone();
        let feeder_state = state.clone();
        let feeder = spawn_at(
            move || async move {
                let state = feeder_state;
                let _fed = FedAll(state.clone());
                for item in items {
                    let f = f.clone();
                    let handle = tracker.spawn(move || f(item), location).await;
                    state.add(handle);
                }
            },
            location,
        );
        IMap {
            state,
            source: Source::Fed(feeder),
        }
    }

    fn map<F, I, G>(
        self: &Rc<Self>,
        f: F,
        items: I,
        location: &'static Location<'static>,
    ) -> impl Future<Output = Vec<Result<G::Output, GreenError>>> + use<F, I, G, S>
    where
        F: Fn(I::Item) -> G + 'static,
        I: IntoIterator,
        I::IntoIter: 'static,
        I::Item: 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let mut results = self.imap(f, items, true, location);
        async move {
            let mut all = Vec::new();
            while let Some(result) = results.next_result().await {
                all.push(result);
            }
            all
        }
    }
}

/// Kills a task on drop unless it has ended.
struct KillUnlessDone(Rc<dyn AnyTask>);

impl Drop for KillUnlessDone {
    fn drop(&mut self) {
        self.0.header().kill_nowait();
    }
}

/// How a [`Tracker`] limits its running members: [`Bounded`] (a [`Pool`])
/// or [`Unbounded`] (a [`Group`]). Sealed: the two are all there is.
///
/// ```
/// use green::{Slots, Tracker};
///
/// fn members<S: Slots>(tasks: &Tracker<S>) -> usize {
///     tasks.len()
/// }
///
/// assert_eq!(members(&green::Pool::new(2)), 0);
/// assert_eq!(members(&green::Group::new()), 0);
/// ```
pub trait Slots: slots::Strategy {}

/// At most `size` members run at once: the strategy of a [`Pool`].
///
/// ```
/// let pool: green::Tracker<green::Bounded> = green::Pool::new(2);
/// assert_eq!(pool.size(), 2);
/// ```
pub struct Bounded {
    permits: Rc<Permits>,
}

/// Any number of members run at once: the strategy of a [`Group`].
///
/// ```
/// let group: green::Tracker<green::Unbounded> = green::Group::new();
/// assert!(group.is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Unbounded;

impl Slots for Bounded {}
impl Slots for Unbounded {}

impl fmt::Debug for Bounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bounded")
            .field("size", &self.permits.bound())
            .field("free", &self.permits.available())
            .finish()
    }
}

/// The sealed workings of [`Slots`].
mod slots {
    use super::*;

    /// The names of a tracker's green waits.
    #[derive(Debug)]
    pub struct WaitNames {
        pub(crate) apply: crate::parked::WaitKind,
        pub(crate) map: crate::parked::WaitKind,
        pub(crate) join: crate::parked::WaitKind,
        pub(crate) join_timeout: crate::parked::WaitKind,
        pub(crate) kill: crate::parked::WaitKind,
    }

    pub trait Strategy: fmt::Debug + 'static {
        /// The public name of the tracker, for `Debug`.
        const NAME: &'static str;
        /// The names of its green waits, for `green::tasks()`.
        const WAITS: WaitNames;
        /// The slots to take before a member starts; `None` if unbounded.
        fn bounded(&self) -> Option<&Bounded>;
    }

    impl Strategy for Bounded {
        const NAME: &'static str = "Pool";
        const WAITS: WaitNames = WaitNames {
            apply: crate::parked::WaitKind::PoolApply,
            map: crate::parked::WaitKind::PoolMap,
            join: crate::parked::WaitKind::PoolJoin,
            join_timeout: crate::parked::WaitKind::PoolJoinTimeout,
            kill: crate::parked::WaitKind::PoolKill,
        };
        fn bounded(&self) -> Option<&Bounded> {
            Some(self)
        }
    }

    impl Strategy for Unbounded {
        const NAME: &'static str = "Group";
        const WAITS: WaitNames = WaitNames {
            apply: crate::parked::WaitKind::GroupApply,
            map: crate::parked::WaitKind::GroupMap,
            join: crate::parked::WaitKind::GroupJoin,
            join_timeout: crate::parked::WaitKind::GroupJoinTimeout,
            kill: crate::parked::WaitKind::GroupKill,
        };
        fn bounded(&self) -> Option<&Bounded> {
            None
        }
    }
}

/// A set of green tasks tracked together, to join, kill or map over them:
/// the one type behind [`Pool`] (`Tracker<Bounded>`, at most `size`
/// running) and [`Group`] (`Tracker<Unbounded>`), as gevent's `Pool`
/// subclasses its `Group`. A cloneable handle: clones share the members.
///
/// A member's slot (in a pool) is freed and it leaves the tracker when it
/// ends in any way: returned, panicked, or killed (after its destructors
/// ran).
///
/// ```
/// use green::{Group, Pool};
///
/// #[green::main]
/// fn main() {
///     let pool = Pool::new(2);
///     let group = Group::new();
///     assert_eq!(pool.map(|x: u8| async move { x + 1 }, [1, 2]), [Ok(2), Ok(3)]);
///     assert_eq!(group.map(|x: u8| async move { x + 1 }, [1, 2]), [Ok(2), Ok(3)]);
/// }
/// ```
pub struct Tracker<S: Slots> {
    core: Rc<Core<S>>,
}

/// A pool of green tasks of which at most `size` run at once (gevent's
/// `Pool`, eventlet's `GreenPool`): a [`Tracker`] with [`Bounded`] slots. A
/// cloneable handle: clones share the pool.
///
/// `Pool::new(0)` is legal and always full, as in gevent. A member's slot is
/// freed when it ends in any way: returned, panicked, or killed (after its
/// destructors ran).
///
/// # Spawning from inside the pool
///
/// A member that spawns into its own pool while every slot is taken would
/// wait for a slot that may only come free once it returns itself. gevent's
/// `Pool.apply` runs the function in the calling worker in that case; green
/// lends the caller's slot: [`spawn`](Pool::spawn) (and so
/// [`apply`](Tracker::apply)) from a member of a full pool starts the task at
/// once and waits for it to end before giving back its (finished) handle, so
/// no more than `size` tasks of the pool make progress and nothing
/// deadlocks. [`map`](Tracker::map), [`imap`](Tracker::imap) and
/// [`imap_unordered`](Tracker::imap_unordered) called by a member run their
/// items one at a time the same way (in input order).
///
/// ```
/// use std::time::Duration;
///
/// #[green::green]
/// fn fetch(n: u64) -> u64 {
///     green::sleep(Duration::from_millis(n));
///     n * 10
/// }
///
/// #[green::main]
/// fn main() {
///     let pool = green::Pool::new(2);
///     let results = pool.map(|n| fetch(n), [3, 1, 2]);
///     assert_eq!(results, [Ok(30), Ok(10), Ok(20)]);
/// }
/// ```
pub type Pool = Tracker<Bounded>;

/// An unbounded group of green tasks (gevent's `Group`): a [`Tracker`] with
/// [`Unbounded`] slots, which tracks its members to join or kill them
/// together. A cloneable handle.
///
/// ```
/// #[green::main]
/// fn main() {
///     let group = green::Group::new();
///     let a = group.spawn(|| async { 1 });
///     let b = group.spawn(|| async { 2 });
///     assert_eq!(group.len(), 2);
///     group.join();
///     assert_eq!((a.join(), b.join()), (Ok(1), Ok(2)));
/// }
/// ```
pub type Group = Tracker<Unbounded>;

impl<S: Slots> Clone for Tracker<S> {
    fn clone(&self) -> Self {
        Tracker {
            core: self.core.clone(),
        }
    }
}

impl<S: Slots> fmt::Debug for Tracker<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct(S::NAME);
        out.field("len", &self.len());
        if let Some(Bounded { permits }) = self.core.slots.bounded() {
            out.field("free", &permits.available());
        }
        out.finish()
    }
}

impl Tracker<Bounded> {
    /// A pool running at most `size` tasks at once.
    ///
    /// ```
    /// let pool = green::Pool::new(4);
    /// assert_eq!(pool.free_count(), 4);
    /// ```
    pub fn new(size: usize) -> Self {
        Tracker {
            core: Core::new(Bounded {
                permits: Permits::new(size, Some(size)),
            }),
        }
    }

    fn permits(&self) -> &Rc<Permits> {
        &self.core.slots.permits
    }

    /// The most tasks the pool runs at once.
    ///
    /// ```
    /// assert_eq!(green::Pool::new(3).size(), 3);
    /// ```
    pub fn size(&self) -> usize {
        self.permits().bound().unwrap_or(0)
    }

    /// Spawns `work` as a member, first waiting for a free slot (waiting
    /// spawners are served in arrival order). The slot is freed when the task
    /// ends, however it ends. From a member of a full pool, the caller's slot
    /// is lent (see [Spawning from inside the pool](Pool#spawning-from-inside-the-pool)).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(1);
    ///     let first = pool.spawn(|| green::sleep(Duration::from_millis(10)));
    ///     assert!(pool.is_full());
    ///     let second = pool.spawn(|| async { "second" }); // waits for the first
    ///     assert!(first.is_ready());
    ///     assert_eq!(second.join(), Ok("second"));
    /// }
    /// ```
    #[track_caller]
    pub fn spawn<W, G>(&self, work: W) -> Green<impl Future<Output = Greenlet<G::Output>> + '_>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let location = Location::caller();
        crate::parked::green_wait(
            crate::parked::WaitKind::PoolSpawn,
            self.core.spawn(work, location),
        )
    }

    /// Spawns `work` if a slot is free now; else gives it back in
    /// [`PoolFull`].
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(1);
    ///     let first = pool.try_spawn(|| green::sleep(Duration::from_millis(5)));
    ///     assert!(first.is_ok());
    ///     assert!(pool.try_spawn(|| async {}).is_err());
    /// }
    /// ```
    #[track_caller]
    pub fn try_spawn<W, G>(&self, work: W) -> Result<Greenlet<G::Output>, PoolFull<W>>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let location = Location::caller();
        let permits = self.permits();
        if permits.try_take() {
            let permit = SemaphoreGuard::new(permits.clone());
            Ok(self.core.start(work, Some(permit), location))
        } else {
            Err(PoolFull(work))
        }
    }

    /// Number of free slots.
    ///
    /// ```
    /// assert_eq!(green::Pool::new(2).free_count(), 2);
    /// ```
    pub fn free_count(&self) -> usize {
        self.permits().available()
    }

    /// True if no slot is free (always for `Pool::new(0)`).
    ///
    /// ```
    /// assert!(green::Pool::new(0).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.free_count() == 0
    }

    /// Waits until a slot is free (without taking it) and gives the number
    /// of free slots.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(1);
    ///     pool.spawn(|| green::sleep(Duration::from_millis(5)));
    ///     assert_eq!(pool.wait_available(), 1);
    /// }
    /// ```
    #[track_caller]
    pub fn wait_available(&self) -> Green<impl Future<Output = usize> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::PoolWaitAvailable, async move {
            drop(self.permits().acquire().await);
            self.free_count()
        })
    }
}

impl Default for Tracker<Unbounded> {
    fn default() -> Self {
        Self::new()
    }
}

impl Tracker<Unbounded> {
    /// A new, empty group.
    ///
    /// ```
    /// assert!(green::Group::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Tracker {
            core: Core::new(Unbounded),
        }
    }

    /// Spawns `work` as a member, at once.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let group = green::Group::new();
    ///     let task = group.spawn(|| async { "member" });
    ///     assert_eq!(task.join(), Ok("member"));
    /// }
    /// ```
    #[track_caller]
    pub fn spawn<W, G>(&self, work: W) -> Greenlet<G::Output>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        self.core.start(work, None, Location::caller())
    }
}

impl<S: Slots> Tracker<S> {
    /// Runs `work` as a member (in a pool, once a slot is free) and waits
    /// for its result (gevent's `apply`).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(1);
    ///     assert_eq!(pool.apply(|| async { 6 * 7 }), Ok(42));
    /// }
    /// ```
    #[track_caller]
    pub fn apply<W, G>(
        &self,
        work: W,
    ) -> Green<impl Future<Output = Result<G::Output, GreenError>> + '_>
    where
        W: Work<G> + 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let location = Location::caller();
        crate::parked::green_wait(S::WAITS.apply, async move {
            self.core.spawn(work, location).await.join().await
        })
    }

    /// Applies `f` to every item, each in a member (in a pool, at most
    /// `size` at once), and gives the results in input order; an item that
    /// panicked or was killed gives its [`GreenError`] in its place.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(3);
    ///     let squares = pool.map(|x: u32| async move { x * x }, 1..=4);
    ///     assert_eq!(squares, [Ok(1), Ok(4), Ok(9), Ok(16)]);
    /// }
    /// ```
    #[track_caller]
    pub fn map<F, I, G>(
        &self,
        f: F,
        items: I,
    ) -> Green<impl Future<Output = Vec<Result<G::Output, GreenError>>> + use<F, I, G, S>>
    where
        F: Fn(I::Item) -> G + 'static,
        I: IntoIterator,
        I::IntoIter: 'static,
        I::Item: 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        let location = Location::caller();
        crate::parked::green_wait(S::WAITS.map, self.core.map(f, items, location))
    }

    /// Applies `f` to every item, each in a member, and gives a green
    /// iterator over the results in input order. Items are started as slots
    /// come free, while the caller reads results.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(2);
    ///     let mut results = pool.imap(|x: u32| async move { x + 1 }, [1, 2, 3]);
    ///     let mut seen = Vec::new();
    ///     while let Some(result) = results.next() {
    ///         seen.push(result.unwrap());
    ///     }
    ///     assert_eq!(seen, [2, 3, 4]);
    /// }
    /// ```
    #[track_caller]
    pub fn imap<F, I, G>(&self, f: F, items: I) -> IMap<G::Output>
    where
        F: Fn(I::Item) -> G + 'static,
        I: IntoIterator,
        I::IntoIter: 'static,
        I::Item: 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        self.core.imap(f, items, true, Location::caller())
    }

    /// Like [`imap`](Self::imap), but gives results in completion order.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(3);
    ///     let mut results = pool.imap_unordered(
    ///         |ms: u64| async move {
    ///             green::sleep(Duration::from_millis(ms)).await;
    ///             ms
    ///         },
    ///         [40, 5, 20],
    ///     );
    ///     let mut seen = Vec::new();
    ///     while let Some(result) = results.next() {
    ///         seen.push(result.unwrap());
    ///     }
    ///     assert_eq!(seen, [5, 20, 40]);
    /// }
    /// ```
    #[track_caller]
    pub fn imap_unordered<F, I, G>(&self, f: F, items: I) -> IMap<G::Output>
    where
        F: Fn(I::Item) -> G + 'static,
        I: IntoIterator,
        I::IntoIter: 'static,
        I::Item: 'static,
        G: IntoFuture + 'static,
        G::Output: 'static,
    {
        self.core.imap(f, items, false, Location::caller())
    }

    /// Waits until every member has ended.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(2);
    ///     pool.spawn(|| green::sleep(Duration::from_millis(5)));
    ///     pool.join();
    ///     assert_eq!(pool.len(), 0);
    /// }
    /// ```
    #[track_caller]
    pub fn join(&self) -> Green<impl Future<Output = ()> + '_> {
        crate::parked::green_wait(S::WAITS.join, self.core.join())
    }

    /// Waits at most `timeout` for every member to end: true if they did.
    /// A `bool`, as gevent's `Group.join(timeout)` gives, since running out
    /// of time leaves nothing to give back (see the crate docs' table of
    /// outcomes).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(1);
    ///     pool.spawn(|| green::sleep(Duration::from_secs(60)));
    ///     assert!(!pool.join_timeout(Duration::from_millis(5)));
    ///     pool.kill();
    ///     assert!(pool.join_timeout(Duration::ZERO));
    /// }
    /// ```
    #[track_caller]
    pub fn join_timeout(&self, timeout: Duration) -> Green<impl Future<Output = bool> + '_> {
        crate::parked::green_wait_timed(S::WAITS.join_timeout, self.core.join_timeout(timeout))
    }

    /// Kills every member and returns once all are dead (their slots free).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(2);
    ///     pool.spawn(|| green::sleep(Duration::from_secs(60)));
    ///     pool.kill();
    ///     assert_eq!(pool.free_count(), 2);
    /// }
    /// ```
    #[track_caller]
    pub fn kill(&self) -> Green<impl Future<Output = ()> + '_> {
        crate::parked::green_wait(S::WAITS.kill, self.core.kill())
    }

    /// Number of members (running tasks).
    ///
    /// ```
    /// let pool = green::Pool::new(2);
    /// assert_eq!(pool.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.core.len()
    }

    /// True if there is no member.
    ///
    /// ```
    /// assert!(green::Pool::new(2).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.core.len() == 0
    }
}

/// What `imap` shares with its feeder task and its members.
struct MapState<T> {
    ordered: bool,
    /// In order: every spawned task, in input order. Unordered: tasks that
    /// ended, in completion order.
    queue: RefCell<VecDeque<Greenlet<T>>>,
    /// Unordered only: spawned tasks still running.
    running: RefCell<HashMap<TaskId, Greenlet<T>>>,
    fed_all: Cell<bool>,
    changed: Waiters,
}

impl<T: 'static> MapState<T> {
    fn add(self: &Rc<Self>, handle: Greenlet<T>) {
        if self.ordered {
            self.queue.borrow_mut().push_back(handle);
            self.changed.notify_all();
            return;
        }
        let id = handle.id();
        let task = handle.as_any();
        self.running.borrow_mut().insert(id, handle);
        let state: Weak<Self> = Rc::downgrade(self);
        task.header().on_end(Box::new(move || {
            if let Some(state) = state.upgrade() {
                let handle = state.running.borrow_mut().remove(&id);
                if let Some(handle) = handle {
                    state.queue.borrow_mut().push_back(handle);
                    state.changed.notify_all();
                }
            }
        }));
    }
}

/// Marks the feeding done when the feeder ends, however it ends.
struct FedAll<T>(Rc<MapState<T>>);

impl<T> Drop for FedAll<T> {
    fn drop(&mut self) {
        self.0.fed_all.set(true);
        self.0.changed.notify_all();
    }
}

type NextWork<T> = Box<dyn FnMut() -> Option<Greenlet<T>>>;

enum Source<T> {
    /// A feeder task spawns the items into the pool.
    Fed(Greenlet<()>),
    /// Called by a member: each `next` runs one item on the caller's slot.
    Inline(NextWork<T>),
}

/// A green iterator over the results of `imap` or `imap_unordered`: each
/// item is the task's output, or the [`GreenError`] of an item that panicked
/// or was killed (later items still come). Dropping it stops feeding new
/// items; items already started run to their end.
///
/// ```
/// #[green::main]
/// fn main() {
///     let pool = green::Pool::new(2);
///     let mut results = pool.imap(
///         |x: i32| async move {
///             assert!(x != 2, "two is bad");
///             x
///         },
///         [1, 2, 3],
///     );
///     assert_eq!(results.next(), Some(Ok(1)));
///     assert!(results.next().unwrap().is_err());
///     assert_eq!(results.next(), Some(Ok(3)));
///     assert_eq!(results.next(), None);
/// }
/// ```
pub struct IMap<T> {
    state: Rc<MapState<T>>,
    source: Source<T>,
}

impl<T: 'static> IMap<T> {
    /// The next result; `None` when every item has been given.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let group = green::Group::new();
    ///     let mut results = group.imap(|x: u8| async move { x * 2 }, [4]);
    ///     assert_eq!(results.next(), Some(Ok(8)));
    ///     assert_eq!(results.next(), None);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<Result<T, GreenError>>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::IMapNext, self.next_result())
    }

    async fn next_result(&mut self) -> Option<Result<T, GreenError>> {
        if let Source::Inline(next_work) = &mut self.source {
            let handle = next_work()?;
            let _kill = KillUnlessDone(handle.as_any());
            handle.wait_done().await;
            return Some(handle.take_result());
        }
        let state = &*self.state;
        loop {
            let front = state.queue.borrow().front().map(|h| h.as_any());
            if let Some(task) = front {
                // Wait without taking the handle: a cancelled `next` loses
                // nothing.
                task.header().done().await;
                let handle = state.queue.borrow_mut().pop_front()?;
                return Some(handle.take_result());
            }
            let exhausted = || state.fed_all.get() && state.running.borrow().is_empty();
            if exhausted() {
                return None;
            }
            SignalWait::new(&state.changed, || {
                !state.queue.borrow().is_empty() || exhausted()
            })
            .await;
        }
    }
}

impl<T: 'static> GreenIterator for IMap<T> {
    type Item = Result<T, GreenError>;

    #[track_caller]
    fn next(&mut self) -> Green<impl Future<Output = Option<Result<T, GreenError>>> + '_> {
        IMap::next(self)
    }
}

impl<T> Drop for IMap<T> {
    fn drop(&mut self) {
        if let Source::Fed(feeder) = &self.source {
            feeder.kill_nowait();
        }
    }
}

impl<T> fmt::Debug for IMap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IMap")
            .field("ordered", &self.state.ordered)
            .field("ready", &self.state.queue.borrow().len())
            .field("fed_all", &self.state.fed_all.get())
            .finish()
    }
}

/// Tasks whose results come back in spawn order (eventlet's `GreenPile`),
/// running unbounded ([`new`](Pile::new), `Pile<T, Unbounded>`) or in a
/// [`Pool`] ([`with_pool`](Pile::with_pool), `Pile<T, Bounded>`).
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let pile = green::Pile::new();
///     for ms in [20, 1, 10] {
///         pile.spawn(move || async move {
///             green::sleep(Duration::from_millis(ms)).await;
///             ms
///         });
///     }
///     let mut order = Vec::new();
///     while let Some(result) = pile.next() {
///         order.push(result.unwrap());
///     }
///     assert_eq!(order, [20, 1, 10]);
/// }
/// ```
pub struct Pile<T, S: Slots = Unbounded> {
    core: Rc<Core<S>>,
    handles: RefCell<VecDeque<Greenlet<T>>>,
}

impl<T, S: Slots> fmt::Debug for Pile<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pile")
            .field("pending", &self.handles.borrow().len())
            .finish()
    }
}

impl<T: 'static> Default for Pile<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: 'static> Pile<T> {
    /// A pile whose tasks all run at once.
    ///
    /// ```
    /// let pile: green::Pile<u8> = green::Pile::new();
    /// assert!(pile.is_empty());
    /// ```
    pub fn new() -> Self {
        Pile {
            core: Core::new(Unbounded),
            handles: RefCell::new(VecDeque::new()),
        }
    }
}

impl<T: 'static> Pile<T, Bounded> {
    /// A pile whose tasks run in `pool` (at most its size at once).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let pool = green::Pool::new(1);
    ///     let pile = green::Pile::with_pool(&pool);
    ///     pile.spawn(|| async { 1 });
    ///     pile.spawn(|| async { 2 });
    ///     assert_eq!(pile.next(), Some(Ok(1)));
    ///     assert_eq!(pile.next(), Some(Ok(2)));
    /// }
    /// ```
    pub fn with_pool(pool: &Pool) -> Self {
        Pile {
            core: pool.core.clone(),
            handles: RefCell::new(VecDeque::new()),
        }
    }
}

impl<T: 'static, S: Slots> Pile<T, S> {
    /// Spawns `work` (waiting for a slot of the pool, if any).
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let pile = green::Pile::new();
    ///     pile.spawn(|| async { "a" });
    ///     assert_eq!(pile.len(), 1);
    /// }
    /// ```
    #[track_caller]
    pub fn spawn<W, G>(&self, work: W) -> Green<impl Future<Output = ()> + '_>
    where
        W: Work<G> + 'static,
        G: IntoFuture<Output = T> + 'static,
    {
        let location = Location::caller();
        crate::parked::green_wait(crate::parked::WaitKind::PileSpawn, async move {
            let handle = self.core.spawn(work, location).await;
            self.handles.borrow_mut().push_back(handle);
        })
    }

    /// The result of the oldest task not yet given, waiting for it;
    /// `None` when every task's result was given.
    ///
    /// ```
    /// #[green::main]
    /// fn main() {
    ///     let pile = green::Pile::new();
    ///     pile.spawn(|| async { 5 });
    ///     assert_eq!(pile.next(), Some(Ok(5)));
    ///     assert_eq!(pile.next(), None);
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    #[track_caller]
    pub fn next(&self) -> Green<impl Future<Output = Option<Result<T, GreenError>>> + '_> {
        crate::parked::green_wait(crate::parked::WaitKind::PileNext, async move {
            let task = self.handles.borrow().front()?.as_any();
            task.header().done().await;
            let handle = self.handles.borrow_mut().pop_front()?;
            Some(handle.take_result())
        })
    }

    /// Number of tasks whose results were not given yet.
    ///
    /// ```
    /// let pile: green::Pile<()> = green::Pile::new();
    /// assert_eq!(pile.len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.handles.borrow().len()
    }

    /// True if every result was given.
    ///
    /// ```
    /// let pile: green::Pile<()> = green::Pile::new();
    /// assert!(pile.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.handles.borrow().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{idle, run};

    #[test]
    fn never_more_than_size_members_run() {
        run(async {
            let pool = Pool::new(2);
            let running = Rc::new(Cell::new(0));
            let most = Rc::new(Cell::new(0));
            for _ in 0..6 {
                let (running, most) = (running.clone(), most.clone());
                pool.spawn(move || async move {
                    running.set(running.get() + 1);
                    most.set(most.get().max(running.get()));
                    idle().await;
                    idle().await;
                    running.set(running.get() - 1);
                })
                .await;
                assert!(pool.len() <= 2);
                assert_eq!(pool.free_count() + pool.len(), 2);
            }
            pool.join().await;
            assert_eq!(most.get(), 2);
            assert_eq!(pool.free_count(), 2);
        });
    }

    #[test]
    fn a_pool_of_zero_is_always_full() {
        run(async {
            let pool = Pool::new(0);
            assert_eq!(pool.size(), 0);
            assert!(pool.is_full());
            assert!(pool.try_spawn(|| async {}).is_err());
            let waited = crate::timeout(Duration::from_millis(1), || pool.spawn(|| async {})).await;
            assert!(waited.is_err(), "a pool of zero gave a slot");
            assert!(pool.is_empty());
        });
    }

    #[test]
    fn a_member_that_ends_in_any_way_frees_its_slot() {
        run(async {
            let pool = Pool::new(1);
            let crash = pool.try_spawn(|| async { panic!("slot test") }).unwrap();
            assert!(crash.join().await.is_err());
            assert_eq!(pool.free_count(), 1);
            let sleeper = pool
                .try_spawn(|| crate::sleep(Duration::from_secs(60)))
                .unwrap();
            assert!(pool.is_full());
            sleeper.kill().await;
            assert_eq!((pool.free_count(), pool.len()), (1, 0));
        });
    }

    #[test]
    fn a_group_has_no_slots_and_names_itself() {
        run(async {
            let group = Group::new();
            let tasks: Vec<_> = (0..100)
                .map(|i| group.spawn(move || async move { i }))
                .collect();
            assert_eq!(group.len(), 100);
            assert!(group.join_timeout(Duration::MAX).await);
            assert!(tasks.last().unwrap().is_ready());
            assert_eq!(format!("{group:?}"), "Group { len: 0 }");
            assert_eq!(format!("{:?}", Pool::new(3)), "Pool { len: 0, free: 3 }");
        });
    }
}
