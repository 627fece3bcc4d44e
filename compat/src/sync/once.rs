//! `Once`: run green initialisation code exactly once.

use core::fmt;
use core::future::{Future, IntoFuture};

use green_runtime::Green;

/// Green version of [`std::sync::Once`]: [`call_once`](Once::call_once)
/// runs its closure's green work the first time only; callers that come while
/// it runs wait (green) for it to finish.
///
/// If the work panics or is cancelled, the `Once` is not completed and the
/// next caller runs its own work (std would poison it instead).
///
/// ```
/// use green::compat::sync::Once;
///
/// static INIT: Once = Once::new();
///
/// #[green::green]
/// fn setup() {
///     green::idle(); // green work: open files, connect ...
/// }
///
/// #[green::main]
/// fn main() {
///     INIT.call_once(|| setup());
///     INIT.call_once(|| setup()); // does nothing
///     assert!(INIT.is_completed());
/// }
/// ```
pub struct Once {
    cell: tokio::sync::OnceCell<()>,
}

impl Once {
    /// As [`std::sync::Once::new`]: a `Once` that has not run.
    ///
    /// ```
    /// static START: green::compat::sync::Once = green::compat::sync::Once::new();
    /// assert!(!START.is_completed());
    /// ```
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Once {
            cell: tokio::sync::OnceCell::const_new(),
        }
    }

    /// Green version of [`std::sync::Once::call_once`]: runs `f`'s green
    /// work if no call has completed yet, else returns at once; a call made
    /// while another runs waits (green) for it.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use green::compat::sync::Once;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let once = Once::new();
    ///     let runs = Cell::new(0);
    ///     for _ in 0..3 {
    ///         once.call_once(|| async { runs.set(runs.get() + 1) });
    ///     }
    ///     assert_eq!(runs.get(), 1);
    /// }
    /// ```
    pub fn call_once<F, G>(&self, f: F) -> Green<impl Future<Output = ()>>
    where
        F: FnOnce() -> G,
        G: IntoFuture<Output = ()>,
    {
        Green::new(async move {
            self.cell.get_or_init(move || f().into_future()).await;
        })
    }

    /// As [`std::sync::Once::is_completed`]: `true` once a `call_once` has
    /// finished.
    ///
    /// ```
    /// use green::compat::sync::Once;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let once = Once::new();
    ///     assert!(!once.is_completed());
    ///     once.call_once(|| async {});
    ///     assert!(once.is_completed());
    /// }
    /// ```
    pub fn is_completed(&self) -> bool {
        self.cell.initialized()
    }
}

impl fmt::Debug for Once {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Once")
            .field("completed", &self.is_completed())
            .finish_non_exhaustive()
    }
}
