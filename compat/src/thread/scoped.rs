//! `scope`, `Scope` and `ScopedJoinHandle`: green work that borrows from its
//! caller.
//!
//! `green::spawn` needs `'static` work, as `tokio::task::spawn_local` does:
//! a task on the hub may outlive the stack frame that spawned it. Scoped
//! work does not go to the hub: the future returned by [`scope`] owns every
//! future spawned in the scope and polls them itself, beside the scope's
//! body. They live inside the caller's own future, so they cannot outlive
//! what they borrow, and dropping (killing, timing out) the caller drops
//! them too: no `unsafe`, no leak-based unsoundness.
//!
//! The scope keeps its running work in a `FuturesUnordered`, which gives
//! each future its own waker: a wake-up polls the work that was woken, not
//! all of it, so N scoped futures cost O(N) polls in all (not one pass over
//! every future per wake-up, which made 10,000 of them quadratic).

use core::cell::{Cell, RefCell};
use core::fmt;
use core::future::{Future, IntoFuture, poll_fn};
use core::marker::PhantomData;
use core::pin::{Pin, pin};
use core::task::{Context, Poll, Waker};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::rc::Rc;

use futures_util::stream::{FuturesUnordered, StreamExt};
use green_runtime::{Green, Work};

use super::{Thread, current};

/// A scope to spawn green work that borrows from outside it, made by
/// [`scope`]. The green version of [`std::thread::Scope`].
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let words = vec!["scoped", "green", "work"];
///     let total = thread::scope(async |s| {
///         let first = s.spawn(|| async { words[0].len() });
///         let rest = s.spawn(|| async { words[1..].iter().map(|w| w.len()).sum::<usize>() });
///         first.join().unwrap() + rest.join().unwrap()
///     });
///     assert_eq!(total, 15);
/// }
/// ```
pub struct Scope<'scope, 'env: 'scope> {
    /// Spawned and not yet taken over by the scope's driver.
    spawned: RefCell<Vec<Pin<Box<dyn Future<Output = ()> + 'env>>>>,
    /// Panics of scoped work whose handle has not been joined.
    unhandled_panics: Rc<Cell<usize>>,
    /// The task running the scope, which runs the scoped work too.
    thread: Thread,
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// The handle of work spawned with [`Scope::spawn`]. The green version of
/// [`std::thread::ScopedJoinHandle`].
///
/// ```
/// use green::compat::thread;
///
/// #[green::main]
/// fn main() {
///     let mut counts = [0u32; 3];
///     thread::scope(async |s| {
///         let handles: Vec<_> = counts
///             .iter_mut()
///             .enumerate()
///             .map(|(i, count)| s.spawn(move || async move { *count = i as u32 * 2 }))
///             .collect();
///         for handle in handles {
///             handle.join().unwrap();
///         }
///     });
///     assert_eq!(counts, [0, 2, 4]);
/// }
/// ```
pub struct ScopedJoinHandle<'scope, T> {
    packet: Rc<Packet<T>>,
    unhandled_panics: Rc<Cell<usize>>,
    thread: Thread,
    scope: PhantomData<&'scope ()>,
}

/// Where scoped work leaves its result for its handle.
struct Packet<T> {
    result: RefCell<Option<std::thread::Result<T>>>,
    joiner: RefCell<Option<Waker>>,
}

/// Runs `f` with a [`Scope`] in which green work that borrows local data
/// can be spawned, and returns once `f` and all the work spawned in the
/// scope have finished. The green version of [`std::thread::scope`].
///
/// What differs from std:
///
/// - `f` is an async closure (`async |s| { .. }`, whose body a `#[green]`
///   fn rewrites like its own), not a plain closure: the scope's body must
///   be able to wait for green work;
/// - the scoped work does not become green tasks of the hub: it runs
///   inside the task that called `scope`, concurrently with the body and
///   with each other, so [`ScopedJoinHandle::thread`] and
///   [`current`](super::current) in the work describe that task;
/// - a wake-up of scoped work polls that work (and the body), not the
///   rest: many thousands of scoped futures cost about as much as as many
///   green tasks;
/// - killing the task (or a `green::timeout` around `scope`) drops the body
///   and the work unfinished, running their destructors.
///
/// # Panics
///
/// As std: if the body panicked, with its panic, once every spawned work
/// finished (the scope waits for them first); else if some spawned work
/// panicked and its handle was not joined, with the message "a scoped
/// thread panicked".
///
/// ```
/// use green::compat::thread;
/// use green::compat::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let mut a = vec![1, 2, 3];
///     let mut x = 0;
///     thread::scope(async |s| {
///         s.spawn(|| async {
///             thread::sleep(Duration::from_millis(5)).await;
///             println!("borrowed: {a:?}");
///         });
///         s.spawn(|| async {
///             x += a[0] + a[2];
///         });
///     });
///     a.push(4);
///     assert_eq!(x, a.len());
/// }
/// ```
pub fn scope<'env, F, T>(f: F) -> Green<impl Future<Output = T>>
where
    F: for<'scope> AsyncFnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    Green::new(async move {
        let scope = Scope {
            spawned: RefCell::new(Vec::new()),
            unhandled_panics: Rc::new(Cell::new(0)),
            thread: current(),
            scope: PhantomData,
            env: PhantomData,
        };
        let mut body = pin!(f(&scope));
        let mut output = None;
        let mut running: FuturesUnordered<Pin<Box<dyn Future<Output = ()> + 'env>>> =
            FuturesUnordered::new();
        poll_fn(|cx| {
            loop {
                if output.is_none() {
                    if let Poll::Ready(result) = poll_catching(body.as_mut(), cx) {
                        output = Some(result);
                    }
                }
                for work in scope.spawned.borrow_mut().drain(..) {
                    running.push(work);
                }
                // Polls only the work woken since the last turn (and the
                // work just pushed).
                let mut ended = false;
                while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {
                    ended = true;
                }
                // Work that ended may have woken a join in the body: go
                // round again rather than wait for the hub's next turn.
                if !ended {
                    break;
                }
            }
            if output.is_some() && running.is_empty() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
        match output {
            Some(Ok(value)) if scope.unhandled_panics.get() == 0 => value,
            Some(Ok(_)) => panic!("a scoped thread panicked"),
            Some(Err(payload)) => resume_unwind(payload),
            None => unreachable!("the scope ends after its body"),
        }
    })
}

/// Polls `future`, giving a panic in it as an `Err` with its payload.
pub(super) fn poll_catching<F: Future + ?Sized>(
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Poll<std::thread::Result<F::Output>> {
    match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
        Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(payload) => Poll::Ready(Err(payload)),
    }
}

impl<'scope, 'env> Scope<'scope, 'env> {
    /// Spawns `f` in the scope and gives its handle. `f` is green work as
    /// [`spawn`](super::spawn) takes it (a closure returning a `#[green]`
    /// call, a `#[green]` closure or an async block) that may borrow
    /// anything that outlives the scope. It starts on the scope's next turn
    /// and runs concurrently with the body and the other work; the scope
    /// waits for it. As [`std::thread::Scope::spawn`], except that `f`
    /// needs neither `Send` nor a `Send` result, and must outlive `'env`
    /// rather than `'scope`: scoped work cannot itself spawn in the scope
    /// (the body can).
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::green]
    /// fn sum(numbers: &[u64]) -> u64 {
    ///     thread::yield_now();
    ///     numbers.iter().sum()
    /// }
    ///
    /// #[green::main]
    /// fn main() {
    ///     let numbers: Vec<u64> = (1..=100).collect();
    ///     let (low, high) = numbers.split_at(50);
    ///     let total = thread::scope(async |s| {
    ///         let low = s.spawn(|| sum(low));
    ///         let high = s.spawn(|| sum(high));
    ///         low.join().unwrap() + high.join().unwrap()
    ///     });
    ///     assert_eq!(total, 5050);
    /// }
    /// ```
    pub fn spawn<F, G>(&'scope self, f: F) -> ScopedJoinHandle<'scope, G::Output>
    where
        F: Work<G> + 'env,
        G: IntoFuture + 'env,
        G::Output: 'env,
    {
        let packet = Rc::new(Packet {
            result: RefCell::new(None),
            joiner: RefCell::new(None),
        });
        let work = {
            let packet = packet.clone();
            let unhandled_panics = self.unhandled_panics.clone();
            async move {
                let mut future = pin!(async move { f.start().await });
                let result = poll_fn(|cx| poll_catching(future.as_mut(), cx)).await;
                if result.is_err() {
                    unhandled_panics.set(unhandled_panics.get() + 1);
                }
                *packet.result.borrow_mut() = Some(result);
                if let Some(joiner) = packet.joiner.borrow_mut().take() {
                    joiner.wake();
                }
            }
        };
        self.spawned.borrow_mut().push(Box::pin(work));
        ScopedJoinHandle {
            packet,
            unhandled_panics: self.unhandled_panics.clone(),
            thread: self.thread.clone(),
            scope: PhantomData,
        }
    }
}

impl<'scope, T> ScopedJoinHandle<'scope, T> {
    /// Waits for the work to finish and gives its value, or `Err` with the
    /// payload of its panic. Green. As
    /// [`std::thread::ScopedJoinHandle::join`]; a panic given here is
    /// handled: the scope does not panic for it.
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let caught = thread::scope(async |s| {
    ///         let failing = s.spawn(|| async { panic!("scoped oops") });
    ///         failing.join().is_err()
    ///     });
    ///     assert!(caught); // and the scope itself did not panic
    /// }
    /// ```
    pub fn join(self) -> Green<impl Future<Output = std::thread::Result<T>> + 'scope>
    where
        T: 'scope,
    {
        Green::new(poll_fn(move |cx| {
            match self.packet.result.borrow_mut().take() {
                Some(result) => {
                    if result.is_err() {
                        let panics = &self.unhandled_panics;
                        panics.set(panics.get() - 1);
                    }
                    Poll::Ready(result)
                }
                None => {
                    *self.packet.joiner.borrow_mut() = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }))
    }

    /// True once the work has finished (returned or panicked). As
    /// [`std::thread::ScopedJoinHandle::is_finished`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     thread::scope(async |s| {
    ///         let quick = s.spawn(|| async {});
    ///         assert!(!quick.is_finished()); // it starts on the scope's next turn
    ///         thread::yield_now();
    ///         assert!(quick.is_finished());
    ///     });
    /// }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.packet.result.borrow().is_some()
    }

    /// The [`Thread`] running the work: the task that called [`scope`]
    /// (scoped work runs inside it, not as a task of its own). As
    /// [`std::thread::ScopedJoinHandle::thread`].
    ///
    /// ```
    /// use green::compat::thread;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let me = thread::current().id();
    ///     thread::scope(async |s| {
    ///         let handle = s.spawn(|| async { thread::current().id() });
    ///         assert_eq!(handle.thread().id(), me);
    ///         assert_eq!(handle.join().unwrap(), me);
    ///     });
    /// }
    /// ```
    pub fn thread(&self) -> &Thread {
        &self.thread
    }
}

impl fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("thread", &self.thread)
            .field("unhandled_panics", &self.unhandled_panics.get())
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopedJoinHandle")
            .field("thread", &self.thread)
            .field("finished", &self.is_finished())
            .finish()
    }
}
