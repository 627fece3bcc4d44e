//! `Barrier`: a meeting point for a fixed number of green tasks.

use core::fmt;
use core::future::Future;

use green_runtime::Green;

/// Green version of [`std::sync::Barrier`]: [`wait`](Barrier::wait) is green
/// and returns once `n` tasks are waiting; then the barrier is ready for the
/// next round. `Barrier::new(0)` behaves as `Barrier::new(1)`, as in std.
///
/// A task whose `wait` is cancelled (killed, timed out) still counts as
/// arrived for that round.
///
/// ```
/// use std::rc::Rc;
/// use green::compat::sync::Barrier;
///
/// #[green::main]
/// fn main() {
///     let barrier = Rc::new(Barrier::new(3));
///     let tasks: Vec<_> = (0..3).map(|_| {
///         let barrier = barrier.clone();
///         green::spawn(move || async move { barrier.wait().await.is_leader() })
///     }).collect();
///     let leaders = green::joinall(tasks).into_iter().filter(|r| *r == Ok(true)).count();
///     assert_eq!(leaders, 1);
/// }
/// ```
pub struct Barrier {
    inner: tokio::sync::Barrier,
    n: usize,
}

/// Green version of [`std::sync::BarrierWaitResult`]: tells the one leader
/// of each round.
///
/// ```
/// use green::compat::sync::Barrier;
///
/// #[green::main]
/// fn main() {
///     let result = Barrier::new(1).wait();
///     assert!(result.is_leader());
/// }
/// ```
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// As [`std::sync::BarrierWaitResult::is_leader`]: `true` for exactly one
    /// waiter of each round.
    ///
    /// ```
    /// use green::compat::sync::Barrier;
    ///
    /// #[green::main]
    /// fn main() {
    ///     assert!(Barrier::new(1).wait().is_leader());
    /// }
    /// ```
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// As [`std::sync::Barrier::new`]: a barrier for `n` tasks.
    ///
    /// ```
    /// let barrier = green::compat::sync::Barrier::new(10);
    /// # let _ = barrier;
    /// ```
    pub fn new(n: usize) -> Self {
        Barrier {
            inner: tokio::sync::Barrier::new(n),
            n,
        }
    }

    /// Green version of [`std::sync::Barrier::wait`]: waits (green) until
    /// `n` tasks are waiting.
    ///
    /// ```
    /// use std::rc::Rc;
    /// use green::compat::sync::Barrier;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let barrier = Rc::new(Barrier::new(2));
    ///     let other = {
    ///         let barrier = barrier.clone();
    ///         green::spawn(move || async move { barrier.wait().await; })
    ///     };
    ///     barrier.wait();
    ///     other.join().unwrap();
    /// }
    /// ```
    pub fn wait(&self) -> Green<impl Future<Output = BarrierWaitResult>> {
        Green::new(async move { BarrierWaitResult(self.inner.wait().await.is_leader()) })
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("n", &self.n)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for BarrierWaitResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWaitResult")
            .field("is_leader", &self.0)
            .finish()
    }
}
