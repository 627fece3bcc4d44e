//! Timeouts: `timeout`, `with_timeout` (gevent's `Timeout` and `with_timeout`).

use core::fmt;
use core::future::{Future, IntoFuture, poll_fn};
use core::pin::{Pin, pin};
use core::task::Poll;
use core::time::Duration;

use tokio::time::Instant;

use crate::green::Green;
use crate::hub;
use crate::task::TaskId;
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
        poll_until_elapsed(duration, &mut future).await
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
        poll_until_elapsed(duration, &mut future)
            .await
            .unwrap_or(fallback)
    })
}

/// The instant `duration` after `now`; `None` when that overflows the clock
/// (as `Duration::MAX` does): such a timeout never fires.
fn deadline_after(now: Instant, duration: Duration) -> Option<Instant> {
    now.checked_add(duration)
}

/// Polls `future` until it finishes (`Ok`) or `duration` has passed
/// (`Err(Elapsed)`): the one timeout behind every `*_timeout` of the crate.
/// The future is left to the caller either way, so that it can take back
/// what the future holds (an item to put). A zero `duration` still polls the
/// future once: what is ready at once is taken.
pub(crate) async fn poll_until_elapsed<F>(
    duration: Duration,
    future: &mut F,
) -> Result<F::Output, Elapsed>
where
    F: Future + Unpin + ?Sized,
{
    let deadline = deadline_after(Instant::now(), duration);
    let mut sleep = pin!(deadline.map(tokio::time::sleep_until));
    poll_fn(|cx| {
        // A green wait inside ends by itself: no deadlock (`parked.rs`).
        let poll = crate::parked::under_timer(|| Pin::new(&mut *future).poll(cx));
        if let Poll::Ready(output) = poll {
            return Poll::Ready(Ok(output));
        }
        // No deadline: the duration overflows the clock, wait forever.
        let Some(sleep) = sleep.as_mut().as_pin_mut() else {
            return Poll::Pending;
        };
        if Instant::now() >= sleep.deadline() || sleep.poll(cx).is_ready() {
            hub::current_task().header().note_cut_short();
            Poll::Ready(Err(Elapsed))
        } else {
            Poll::Pending
        }
    })
    .await
}

/// Where the running task stands with its timeouts: two marks differ when
/// taken in different tasks, or in one task with a timeout running out in
/// between. Compat's sockets keep the mark of a read (or write) that waits:
/// a later poll with another mark is a new operation, the last one having
/// been cut short (by a timeout, or by a kill, which ends its task), and
/// gets a socket timeout of its own, as each of std's `read(2)` does.
/// Support for compat, not a public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelMark {
    task: TaskId,
    cut_short: u32,
}

/// The running task's [`CancelMark`].
#[doc(hidden)]
pub fn cancel_mark() -> CancelMark {
    let task = hub::current_task();
    let header = task.header();
    CancelMark {
        task: header.id(),
        cut_short: header.cut_short(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::future::pending;

    #[test]
    fn a_duration_past_the_clock_has_no_deadline() {
        let now = Instant::now();
        assert_eq!(deadline_after(now, Duration::MAX), None);
        assert_eq!(deadline_after(now, Duration::ZERO), Some(now));
        assert_eq!(
            deadline_after(now, Duration::from_secs(1)),
            Some(now + Duration::from_secs(1))
        );
    }

    #[test]
    fn zero_takes_what_is_ready_and_gives_up_on_the_rest() {
        crate::run(async {
            assert_eq!(
                poll_until_elapsed(Duration::ZERO, &mut pin!(async { 7 })).await,
                Ok(7)
            );
            let mut never = pin!(pending::<()>());
            assert_eq!(
                poll_until_elapsed(Duration::ZERO, &mut never).await,
                Err(Elapsed)
            );
        });
    }

    #[test]
    fn the_mark_moves_when_a_timeout_runs_out_and_differs_between_tasks() {
        crate::run(async {
            let before = cancel_mark();
            let mut quick = pin!(async { 1 });
            assert_eq!(
                poll_until_elapsed(Duration::from_secs(5), &mut quick).await,
                Ok(1)
            );
            assert_eq!(cancel_mark(), before);
            let mut never = pin!(pending::<()>());
            assert_eq!(
                poll_until_elapsed(Duration::ZERO, &mut never).await,
                Err(Elapsed)
            );
            let after = cancel_mark();
            assert_ne!(after, before);
            let other = crate::spawn(|| async { cancel_mark() }).join().await;
            assert_ne!(other.ok(), Some(after));
        });
    }

    #[test]
    fn duration_max_waits_for_the_future() {
        crate::run(async {
            let mut late = pin!(async {
                tokio::time::sleep(Duration::from_millis(5)).await;
                "done"
            });
            assert_eq!(
                poll_until_elapsed(Duration::MAX, &mut late).await,
                Ok("done")
            );
        });
    }

    #[test]
    fn the_future_is_left_to_the_caller_after_a_timeout() {
        crate::run(async {
            let ticks = std::cell::Cell::new(0);
            let mut counting = pin!(core::future::poll_fn(|_| {
                ticks.set(ticks.get() + 1);
                Poll::<()>::Pending
            }));
            let result = poll_until_elapsed(Duration::from_millis(1), &mut counting).await;
            assert_eq!(result, Err(Elapsed));
            // Still the caller's: it can be polled (or emptied) again.
            let polled = ticks.get();
            assert!(polled >= 1);
            let again = poll_until_elapsed(Duration::ZERO, &mut counting).await;
            assert_eq!((again, ticks.get()), (Err(Elapsed), polled + 1));
        });
    }
}
