//! Green version of [`std::time`]: std's time types, plus a green
//! [`sleep`].
//!
//! [`Duration`], [`Instant`], [`SystemTime`] and the rest are std's,
//! re-exported. `sleep` lives here too (std has it in `std::thread`; it is
//! also in [`compat::thread`](crate::thread)), so that
//! `use green::compat::time::{sleep, Duration}` is enough.
//!
//! ```
//! use green::compat::time::{Duration, Instant, sleep};
//!
//! #[green::main]
//! fn main() {
//!     let start = Instant::now();
//!     sleep(Duration::from_millis(10));
//!     assert!(start.elapsed() >= Duration::from_millis(10));
//! }
//! ```

pub use std::time::{
    Duration, Instant, SystemTime, SystemTimeError, TryFromFloatSecsError, UNIX_EPOCH,
};

use green_runtime::{Green, Sleep};

/// Suspends the current green task for at least `dur`; other tasks run
/// meanwhile. The green version of [`std::thread::sleep`] (the same as
/// `green::sleep`): it blocks the task, not the thread.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use green::compat::time::{Duration, sleep};
///
/// #[green::main]
/// fn main() {
///     let ticks = Rc::new(Cell::new(0));
///     let ticker = {
///         let ticks = ticks.clone();
///         green::spawn(move || async move { ticks.set(ticks.get() + 1) })
///     };
///     sleep(Duration::from_millis(5)); // the ticker runs meanwhile
///     assert_eq!(ticks.get(), 1);
///     ticker.join().unwrap();
/// }
/// ```
pub fn sleep(dur: Duration) -> Green<Sleep> {
    green_runtime::sleep(dur)
}
