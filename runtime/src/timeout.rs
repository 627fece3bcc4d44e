//! Timeouts: `timeout`, `with_timeout` (gevent's `Timeout` and `with_timeout`).

use core::fmt;
use core::future::{Future, IntoFuture, poll_fn};
use core::pin::{Pin, pin};
use core::task::Poll;
use core::time::Duration;

use tokio::time::Instant;

use crate::green::Green;
use crate::work::Work;

/// The error of [`timeout`]: the work did not finish in time and was
/// cancelled.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let result = green::timeout(Duration::from_millis(10), || {
///         green::sleep(Duration::from_secs(60))
///     });
///     assert_eq!(result, Err(green::Elapsed));
///     assert_eq!(green::Elapsed.to_string(), "deadline has elapsed");
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

/// Runs `work` for at most `duration` (gevent's `with Timeout(seconds):`).
///
/// Gives `Ok` with the work's output if it finished in time, else
/// `Err(Elapsed)`: the work is cancelled where it was blocked (a sleep, a
/// queue `get`, a lock, a join) and its destructors run, so that no permit,
/// slot or lock is leaked. The clock starts when the work starts. Nested
/// timeouts fire innermost-first, and an outer timeout is never swallowed by
/// an inner one: each gives its `Elapsed` to its own caller.
///
/// A zero `duration` lets the work run until it first blocks.
///
/// ```
/// use std::time::Duration;
///
/// #[green::green]
/// fn slow() -> u32 {
///     green::sleep(Duration::from_secs(60));
///     1
/// }
///
/// #[green::green]
/// fn quick() -> u32 {
///     2
/// }
///
/// #[green::main]
/// fn main() {
///     assert_eq!(green::timeout(Duration::from_millis(10), || slow()), Err(green::Elapsed));
///     assert_eq!(green::timeout(Duration::from_millis(10), || quick()), Ok(2));
/// }
/// ```
pub fn timeout<W: Work<G>, G: IntoFuture>(
    duration: Duration,
    work: W,
) -> Green<impl Future<Output = Result<G::Output, Elapsed>>> {
    Green::new(async move {
        let mut future = pin!(work.start());
        within(duration, &mut future).await.ok_or(Elapsed)
    })
}

/// Runs `work` for at most `duration` and gives `fallback` if it did not
/// finish in time (gevent's `with_timeout(seconds, func, timeout_value=...)`).
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let answer = green::with_timeout(
///         Duration::from_millis(10),
///         || async {
///             green::sleep(Duration::from_secs(60)).await;
///             "late"
///         },
///         "gave up",
///     );
///     assert_eq!(answer, "gave up");
/// }
/// ```
pub fn with_timeout<W: Work<G>, G: IntoFuture>(
    duration: Duration,
    work: W,
    fallback: G::Output,
) -> Green<impl Future<Output = G::Output>> {
    Green::new(async move {
        let mut future = pin!(work.start());
        within(duration, &mut future).await.unwrap_or(fallback)
    })
}

/// Polls `future` until it finishes (`Some`) or `duration` has passed
/// (`None`); the future is left to the caller either way, so that it can take
/// back what the future holds (an item to put).
pub(crate) async fn within<F>(duration: Duration, future: &mut F) -> Option<F::Output>
where
    F: Future + Unpin + ?Sized,
{
    let deadline = Instant::now().checked_add(duration);
    let mut sleep = pin!(deadline.map(tokio::time::sleep_until));
    poll_fn(|cx| {
        if let Poll::Ready(output) = Pin::new(&mut *future).poll(cx) {
            return Poll::Ready(Some(output));
        }
        // No deadline: the duration overflows the clock, wait forever.
        let Some(deadline) = deadline else {
            return Poll::Pending;
        };
        let sleep = sleep.as_mut().as_pin_mut().expect("deadline has a timer");
        if Instant::now() >= deadline || sleep.poll(cx).is_ready() {
            Poll::Ready(None)
        } else {
            Poll::Pending
        }
    })
    .await
}
