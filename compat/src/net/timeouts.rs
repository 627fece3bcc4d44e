//! How long a socket operation may wait: the read and write timeouts
//! (`set_read_timeout` and friends) of [`UdpSocket`](super::UdpSocket),
//! [`TcpStream`](super::TcpStream) and
//! [`UnixStream`](crate::os::unix::net::UnixStream), and non-blocking mode
//! (`set_nonblocking`, of these and of the other Unix domain sockets of
//! [`os::unix::net`](crate::os::unix::net)), where it may not wait at all.
//!
//! std sets `SO_RCVTIMEO`/`SO_SNDTIMEO`, which only blocking sockets obey;
//! ours are non-blocking, so the timeout is a green timer: an operation
//! still waiting when it runs out gives a `WouldBlock` error, as std's
//! blocking call does on Linux.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use green_runtime::__private::{CancelMark, cancel_mark};
use tokio::time::{Instant, Sleep};

/// The read and write timeouts, shared by the handles of one socket as the
/// socket options are by std's clones, and by the tasks (of any hub) that
/// hold them: each is an atomic, read by every read and write, so it costs
/// a plain load.
#[derive(Default)]
pub(crate) struct Timeouts {
    read: Limit,
    write: Limit,
    nonblocking: Mode,
}

impl Timeouts {
    pub(crate) fn read(&self) -> Option<Duration> {
        self.read.get()
    }

    pub(crate) fn write(&self) -> Option<Duration> {
        self.write.get()
    }

    /// How long a read may wait.
    pub(crate) fn read_wait(&self) -> Wait {
        self.nonblocking.wait(self.read())
    }

    /// How long a write may wait.
    pub(crate) fn write_wait(&self) -> Wait {
        self.nonblocking.wait(self.write())
    }

    pub(crate) fn set_nonblocking(&self, nonblocking: bool) {
        self.nonblocking.set_nonblocking(nonblocking);
    }

    /// As std: a zero timeout is refused, `None` clears.
    pub(crate) fn set_read(&self, timeout: Option<Duration>) -> io::Result<()> {
        check_timeout(timeout)?;
        self.read.set(timeout);
        Ok(())
    }

    /// As std: a zero timeout is refused, `None` clears.
    pub(crate) fn set_write(&self, timeout: Option<Duration>) -> io::Result<()> {
        check_timeout(timeout)?;
        self.write.set(timeout);
        Ok(())
    }
}

/// One timeout in nanoseconds, 0 for none (a zero timeout is refused).
/// Nanoseconds in a `u64` reach 584 years: a timeout that long or longer
/// never runs out, and is kept (and given back) as `Duration::MAX`.
#[derive(Default)]
struct Limit(AtomicU64);

impl Limit {
    fn get(&self) -> Option<Duration> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            u64::MAX => Some(Duration::MAX),
            nanos => Some(Duration::from_nanos(nanos)),
        }
    }

    fn set(&self, timeout: Option<Duration>) {
        let nanos = timeout.map_or(0, |t| u64::try_from(t.as_nanos()).unwrap_or(u64::MAX));
        self.0.store(nanos, Ordering::Relaxed);
    }
}

/// Whether a socket is in non-blocking mode (`set_nonblocking`), shared by
/// its handles as std's clones share `O_NONBLOCK`.
#[derive(Default, Debug)]
pub(crate) struct Mode(AtomicBool);

impl Mode {
    pub(crate) fn set_nonblocking(&self, nonblocking: bool) {
        self.0.store(nonblocking, Ordering::Relaxed);
    }

    /// How long an operation may wait, `limit` being its timeout.
    pub(crate) fn wait(&self, limit: Option<Duration>) -> Wait {
        if self.0.load(Ordering::Relaxed) {
            Wait::Not
        } else {
            Wait::Within(limit)
        }
    }
}

/// How long an operation may wait before it gives up with `WouldBlock`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Wait {
    /// Blocking mode: for ever, or up to the timeout.
    Within(Option<Duration>),
    /// Non-blocking mode: not at all, as std's non-blocking socket.
    Not,
}

/// `operation` polled once, as a non-blocking socket makes its system call:
/// if it would wait, `WouldBlock`. Ready means ready as the hub last heard
/// from the OS: data that came in since is seen after the hub's next turn
/// (a `thread::sleep` in the caller's polling loop, say).
fn at_once<T>(operation: impl FnOnce(&mut Context<'_>) -> Poll<io::Result<T>>) -> io::Result<T> {
    match operation(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        Poll::Pending => Err(io::Error::from(io::ErrorKind::WouldBlock)),
    }
}

/// As std: a zero timeout is refused.
fn check_timeout(timeout: Option<Duration>) -> io::Result<()> {
    if timeout == Some(Duration::ZERO) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "cannot set a 0 duration timeout",
        ));
    }
    Ok(())
}

/// What an operation past its timeout gives: `EAGAIN`, as std's blocking
/// socket gives on Linux.
fn elapsed() -> io::Error {
    io::Error::new(io::ErrorKind::WouldBlock, "the socket timeout elapsed")
}

/// Runs `operation` for at most `wait`; past it, a `WouldBlock` error, as
/// std's `SO_RCVTIMEO`/`SO_SNDTIMEO` give on Linux, and std's non-blocking
/// socket at once.
pub(crate) async fn within<T>(
    wait: Wait,
    operation: impl Future<Output = io::Result<T>>,
) -> io::Result<T> {
    match wait {
        Wait::Within(None) => operation.await,
        Wait::Within(Some(limit)) => match tokio::time::timeout(limit, operation).await {
            Ok(result) => result,
            Err(_) => Err(elapsed()),
        },
        Wait::Not => {
            let mut operation = core::pin::pin!(operation);
            at_once(|cx| operation.as_mut().poll(cx))
        }
    }
}

/// [`within`] for operations that are polled rather than awaited (the
/// `poll_read` and `poll_write` behind the `Read` and `Write` traits), which
/// have no future of their own to hold a timer: the timer lives here, one
/// per handle and direction. It starts on the first poll that has to wait
/// and stops when the operation completes, so that every read (every
/// `read(2)` of std) gets the whole timeout.
///
/// A read cut short while waiting (by `green::timeout`, or by a kill)
/// leaves its timer running, and the next read on the handle cannot be
/// told from the rest of that one by its polls alone: both are polls of
/// the handle. What tells them apart is the task's [`CancelMark`], kept
/// with the timer: it moves when a timeout cuts one of the task's waits
/// short, and differs in another task, so a poll under another mark starts
/// a new timer. (A read dropped by other means, such as a `tokio::select!`,
/// leaves the mark where it was: the next read on the handle in that task
/// gets what was left of the timeout.)
///
/// The timer is behind a lock, taken only when a timeout is set and the
/// operation has to wait, never held across an await, as `&TcpStream`
/// reads too and may be shared by tasks of different hubs.
#[derive(Default)]
pub(crate) struct Deadline {
    /// Made on the first wait with a timeout, then reused: a handle
    /// without timeouts carries a pointer, not a timer.
    timer: Mutex<Option<Box<Timer>>>,
    /// Whether the timer runs for an operation in progress.
    armed: AtomicBool,
}

/// The timer of a [`Deadline`] and the mark of the operation it runs for.
struct Timer {
    sleep: Pin<Box<Sleep>>,
    mark: CancelMark,
}

impl Deadline {
    /// Polls `operation`; if it is still waiting `wait` after its first
    /// wait, a `WouldBlock` error instead.
    pub(crate) fn poll<T>(
        &self,
        wait: Wait,
        cx: &mut Context<'_>,
        operation: impl FnOnce(&mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        let limit = match wait {
            Wait::Within(limit) => limit,
            Wait::Not => return Poll::Ready(at_once(operation)),
        };
        let result = operation(cx);
        let Some(limit) = limit else {
            self.armed.store(false, Ordering::Relaxed);
            return result;
        };
        if result.is_ready() {
            self.armed.store(false, Ordering::Relaxed);
            return result;
        }
        match self.poll_timer(limit, cx) {
            Poll::Ready(()) => Poll::Ready(Err(elapsed())),
            Poll::Pending => result,
        }
    }

    /// Polls the timer of the operation waiting under `cx`, started now if
    /// it is a new operation; ready once it ran out. Out of line: the read
    /// and write paths, inlined into their callers, stay small.
    #[inline(never)]
    fn poll_timer(&self, limit: Duration, cx: &mut Context<'_>) -> Poll<()> {
        let mut slot = self.timer.lock().unwrap_or_else(PoisonError::into_inner);
        let mark = cancel_mark();
        let running = self.armed.load(Ordering::Relaxed)
            && slot.as_ref().is_some_and(|timer| timer.mark == mark);
        if !running {
            // std takes any non-zero timeout, up to `Duration::MAX`: one too
            // long for the clock never runs out (as in `green::timeout`).
            let Some(deadline) = Instant::now().checked_add(limit) else {
                self.armed.store(false, Ordering::Relaxed);
                return Poll::Pending;
            };
            match slot.as_mut() {
                Some(timer) => {
                    timer.sleep.as_mut().reset(deadline);
                    timer.mark = mark;
                }
                None => {
                    *slot = Some(Box::new(Timer {
                        sleep: Box::pin(tokio::time::sleep_until(deadline)),
                        mark,
                    }));
                }
            }
            self.armed.store(true, Ordering::Relaxed);
        }
        let Some(timer) = slot.as_mut() else {
            return Poll::Pending;
        };
        let elapsed = timer.sleep.as_mut().poll(cx).is_ready();
        if elapsed {
            self.armed.store(false, Ordering::Relaxed);
            return Poll::Ready(());
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use core::future::poll_fn;

    use super::*;

    /// An operation that never completes: a read from a silent peer.
    fn never(_: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Pending
    }

    const LIMIT: Duration = Duration::from_millis(200);

    #[test]
    fn an_operation_after_one_cut_short_gets_the_whole_limit() {
        green_runtime::run(async {
            let deadline = Deadline::default();
            let wait = Wait::Within(Some(LIMIT));
            let cut = green_runtime::timeout(Duration::from_millis(50), || {
                poll_fn(|cx| deadline.poll(wait, cx, never))
            })
            .await;
            assert!(cut.is_err());
            let start = Instant::now();
            let error = poll_fn(|cx| deadline.poll(wait, cx, never))
                .await
                .unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::WouldBlock);
            // Tokio's timers never fire early: the whole 200 ms, not the
            // 150 ms the cut one left.
            assert!(start.elapsed() >= LIMIT, "{:?}", start.elapsed());
        });
    }

    #[test]
    fn polls_under_one_mark_share_one_timer() {
        green_runtime::run(async {
            let deadline = Deadline::default();
            let wait = Wait::Within(Some(LIMIT));
            let mut cx = Context::from_waker(Waker::noop());
            assert!(deadline.poll(wait, &mut cx, never).is_pending());
            tokio::time::sleep(LIMIT + Duration::from_millis(50)).await;
            // The same operation polled again, past its deadline: it ends.
            match deadline.poll(wait, &mut cx, never) {
                Poll::Ready(Err(error)) => assert_eq!(error.kind(), io::ErrorKind::WouldBlock),
                other => panic!("still waiting past the deadline: {other:?}"),
            }
            // The next one starts a timer of its own.
            assert!(deadline.poll(wait, &mut cx, never).is_pending());
        });
    }

    #[test]
    fn a_completed_operation_stops_the_timer() {
        green_runtime::run(async {
            let deadline = Deadline::default();
            let wait = Wait::Within(Some(LIMIT));
            let mut cx = Context::from_waker(Waker::noop());
            assert!(deadline.poll(wait, &mut cx, never).is_pending());
            tokio::time::sleep(LIMIT + Duration::from_millis(50)).await;
            let done = deadline.poll(wait, &mut cx, |_| Poll::Ready(Ok(7)));
            assert!(matches!(done, Poll::Ready(Ok(7))));
            assert!(deadline.poll(wait, &mut cx, never).is_pending());
        });
    }
}
