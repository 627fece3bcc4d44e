//! How long a socket operation may wait: the read and write timeouts
//! (`set_read_timeout` and friends) of [`UdpSocket`](super::UdpSocket) and
//! [`TcpStream`](super::TcpStream), and non-blocking mode
//! (`set_nonblocking`, of these and of the Unix domain sockets of
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

use tokio::time::{Instant, Sleep};

/// The read and write timeouts, shared by the handles of one socket as the
/// socket options are by std's clones, and by the tasks (of any hub) that
/// hold them: each is an atomic, read by every read and write, so it costs
/// a plain load.
#[derive(Default)]
pub(super) struct Timeouts {
    read: Limit,
    write: Limit,
    nonblocking: Mode,
}

impl Timeouts {
    pub(super) fn read(&self) -> Option<Duration> {
        self.read.get()
    }

    pub(super) fn write(&self) -> Option<Duration> {
        self.write.get()
    }

    /// How long a read may wait.
    pub(super) fn read_wait(&self) -> Wait {
        self.nonblocking.wait(self.read())
    }

    /// How long a write may wait.
    pub(super) fn write_wait(&self) -> Wait {
        self.nonblocking.wait(self.write())
    }

    pub(super) fn set_nonblocking(&self, nonblocking: bool) {
        self.nonblocking.set_nonblocking(nonblocking);
    }

    /// As std: a zero timeout is refused, `None` clears.
    pub(super) fn set_read(&self, timeout: Option<Duration>) -> io::Result<()> {
        check_timeout(timeout)?;
        self.read.set(timeout);
        Ok(())
    }

    /// As std: a zero timeout is refused, `None` clears.
    pub(super) fn set_write(&self, timeout: Option<Duration>) -> io::Result<()> {
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

    /// Polls `operation`, or, in non-blocking mode, polls it once and gives
    /// `WouldBlock` if it would wait: [`Deadline::poll`] for sockets without
    /// timeouts (Unix domain sockets).
    pub(crate) fn poll<T>(
        &self,
        cx: &mut Context<'_>,
        operation: impl FnOnce(&mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match self.wait(None) {
            Wait::Not => Poll::Ready(at_once(operation)),
            Wait::Within(_) => operation(cx),
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
/// `read(2)` of std) gets the whole timeout. The timer is behind a lock,
/// taken only when a timeout is set and never held across an await, as
/// `&TcpStream` reads too and may be shared by tasks of different hubs.
#[derive(Default)]
pub(super) struct Deadline {
    /// The timer, kept once made so that later operations reuse it.
    timer: Mutex<Option<Pin<Box<Sleep>>>>,
    /// Whether the timer runs for the operation in progress.
    armed: AtomicBool,
}

impl Deadline {
    /// Polls `operation`; if it is still waiting `wait` after its first
    /// wait, a `WouldBlock` error instead.
    pub(super) fn poll<T>(
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
        let mut slot = self.timer.lock().unwrap_or_else(PoisonError::into_inner);
        if !self.armed.load(Ordering::Relaxed) {
            // std takes any non-zero timeout, up to `Duration::MAX`: one too
            // long for the clock never runs out (as in `green::timeout`).
            let Some(deadline) = Instant::now().checked_add(limit) else {
                return result;
            };
            match slot.as_mut() {
                Some(timer) => timer.as_mut().reset(deadline),
                None => *slot = Some(Box::pin(tokio::time::sleep_until(deadline))),
            }
            self.armed.store(true, Ordering::Relaxed);
        }
        let Some(timer) = slot.as_mut() else {
            return result;
        };
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                self.armed.store(false, Ordering::Relaxed);
                Poll::Ready(Err(elapsed()))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
