//! One HTTP/1.1 connection: hyper's connection driven in the connection's
//! green task, with the header-read (408) and keep-alive idle timeouts and
//! the server's stop. Malformed heads hyper closes on get their 400 (or 431)
//! here.

use core::future::{Future, IntoFuture, poll_fn};
use core::pin::{Pin, pin};
use core::task::{Context, Poll, Waker};
use std::cell::Cell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::Request;
use crate::handler::HandlerResult;
use crate::respond::{Exchange, respond};
use crate::server::{Config, Shared};
use crate::upgrade;
use crate::wake_flag::WakeFlag;

/// What the timeouts need to know about a connection, and what it does
/// after switching protocols.
///
/// The header-read timeout (408) counts from a request's first bytes: the
/// read that brings them marks the head begun, and the clock is read once
/// the task's poll ends with the head still unfinished — within the poll
/// that read them, microseconds later. A head that comes whole in one read
/// (nearly every keep-alive request) is handled in that poll and never
/// reads the clock. The idle timeout is judged lazily, from the timer's
/// checks: writes and the ends of requests only bump `activity`, and a
/// check that finds it moved takes its own time as the start of the quiet
/// period. An idle connection is thus closed at least the keep-alive
/// timeout after its last byte, and at most one check interval (half that
/// timeout, or the header timeout if shorter) later. Reading the clock on
/// every read, write and response instead cost more than a tenth of the
/// server's own time per keep-alive request beyond hyper's.
struct ConnState {
    phase: Cell<Phase>,
    /// Bumped by every write and every end of a request.
    activity: Cell<u32>,
    /// `activity` as the last timer check saw it, and when that check (or
    /// the connection's start) was: the quiet period began no later.
    quiet: Cell<(u32, Instant)>,
    /// Whether any byte was written since the current request began.
    wrote: Cell<bool>,
    /// Bytes read since the current request began, and hyper's limit on a
    /// head: past it, an unanswered head gets 431 rather than 400.
    head_read: Cell<usize>,
    max_head: usize,
    /// Set by a request body read past the limit.
    too_large: Rc<Cell<bool>>,
    /// The continuation of an answer that switched protocols, run on the
    /// socket once hyper is done with it.
    upgrade: Rc<upgrade::Slot>,
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Between requests (or before the first).
    Idle,
    /// The first bytes of a request head came, at this instant (`None`
    /// until the poll that read them ends: see [`ConnState::time_head`]).
    Reading(Option<Instant>),
    /// The handler runs.
    Handling,
}

/// What woke a connection's loop.
enum Event {
    Served(bool),
    Stopping,
    Timer,
}

/// What a timeout found.
enum Expired {
    Idle,
    Header,
}

impl ConnState {
    #[inline]
    fn on_read(&self, read: usize) {
        if matches!(self.phase.get(), Phase::Idle) {
            self.phase.set(Phase::Reading(None));
            self.wrote.set(false);
            self.head_read.set(0);
        }
        self.head_read
            .set(self.head_read.get().saturating_add(read));
    }

    /// The task's poll ends: a head begun in it and not finished yet is
    /// timed from now.
    #[inline]
    fn time_head(&self) {
        if matches!(self.phase.get(), Phase::Reading(None)) {
            self.phase.set(Phase::Reading(Some(Instant::now())));
        }
    }

    #[inline]
    fn on_write(&self) {
        self.wrote.set(true);
        self.bump();
    }

    #[inline]
    fn bump(&self) {
        self.activity.set(self.activity.get().wrapping_add(1));
    }

    /// The next instant a timeout could run out, if any.
    fn deadline(&self, config: &Config, idle_allowed: bool) -> Option<Instant> {
        let limits = &config.limits;
        match self.phase.get() {
            Phase::Reading(since) => {
                Some(since.unwrap_or_else(Instant::now) + limits.header_read_timeout)
            }
            // Checked at least every header timeout, so that a request
            // starting meanwhile is timed from when it started, and every
            // half keep-alive timeout, so that a quiet period is seen
            // starting at most that late.
            Phase::Idle if idle_allowed => {
                let (_, quiet_since) = self.quiet.get();
                let check = limits
                    .header_read_timeout
                    .min(limits.keep_alive_timeout / 2);
                Some((quiet_since + limits.keep_alive_timeout).min(Instant::now() + check))
            }
            Phase::Idle | Phase::Handling => None,
        }
    }

    /// What ran out by `now`, a timer check's time.
    fn expired(&self, config: &Config, now: Instant) -> Option<Expired> {
        let limits = &config.limits;
        match self.phase.get() {
            Phase::Reading(Some(since)) if now >= since + limits.header_read_timeout => {
                Some(Expired::Header)
            }
            Phase::Idle => {
                let (seen, quiet_since) = self.quiet.get();
                if seen != self.activity.get() {
                    // Bytes went out (or a request ended) since the last
                    // check: quiet from now on, at the latest.
                    self.quiet.set((self.activity.get(), now));
                    None
                } else if now >= quiet_since + limits.keep_alive_timeout {
                    Some(Expired::Idle)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// The connection's phase while a request is handled: back to idle (and
/// the idle timeout counted from now) once the response is made, or when
/// the request's future is dropped.
struct Handling(Rc<ConnState>);

impl Handling {
    fn begin(state: &Rc<ConnState>) -> Handling {
        state.phase.set(Phase::Handling);
        Handling(state.clone())
    }
}

impl Exchange for Handling {
    fn too_large(&self) -> &Rc<Cell<bool>> {
        &self.0.too_large
    }

    fn upgrade(&self) -> Option<&upgrade::Slot> {
        Some(&self.0.upgrade)
    }
}

impl Drop for Handling {
    #[inline]
    fn drop(&mut self) {
        self.0.phase.set(Phase::Idle);
        self.0.bump();
    }
}

/// The socket as hyper sees it: every read and write is noted for the
/// timeouts.
struct Io<S> {
    stream: S,
    state: Rc<ConnState>,
}

const BAD_REQUEST: &[u8] =
    b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 11\r\n\r\nBad Request";

const HEADERS_TOO_LARGE: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 31\r\n\r\nRequest Header Fields Too Large";

const REQUEST_TIMEOUT: &[u8] =
    b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 15\r\n\r\nRequest Timeout";

/// Writes `bytes` if the stream takes them now, without waiting: a socket's
/// send buffer takes a short answer.
fn write_now<S: AsyncWrite + Unpin>(stream: &mut S, bytes: &[u8]) {
    let mut cx = Context::from_waker(Waker::noop());
    let mut stream = Pin::new(stream);
    if let Poll::Ready(Ok(_)) = stream.as_mut().poll_write(&mut cx, bytes) {
        let _ = stream.poll_flush(&mut cx);
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Io<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            self.state.on_read(read);
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Io<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.on_write();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.on_write();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // hyper answers some malformed heads (a bad content-length) and
        // closes on others (a bad request line or header name): closing
        // while a head is half read and unanswered, those get their 400.
        if matches!(self.state.phase.get(), Phase::Reading(_)) && !self.state.wrote.get() {
            self.state.wrote.set(true);
            let answer = if self.state.head_read.get() >= self.state.max_head {
                HEADERS_TOO_LARGE
            } else {
                BAD_REQUEST
            };
            write_now(&mut self.stream, answer);
        }
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Serves `stream` until the client closes, a timeout runs out or the
/// server stops (the connection's task is killed when the stop times out).
pub(crate) async fn serve<S, F, G>(stream: S, peer: SocketAddr, shared: Rc<Shared<F>>)
where
    S: AsyncRead + AsyncWrite + Unpin + 'static,
    F: Fn(Request) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    let config = &shared.config;
    let state = Rc::new(ConnState {
        phase: Cell::new(Phase::Idle),
        activity: Cell::new(0),
        quiet: Cell::new((0, Instant::now())),
        wrote: Cell::new(false),
        head_read: Cell::new(0),
        max_head: config.limits.max_header_size.max(8192),
        too_large: Rc::new(Cell::new(false)),
        upgrade: Rc::new(Cell::new(None)),
    });
    let io = Io {
        stream,
        state: state.clone(),
    };
    let service = {
        let (state, shared) = (state.clone(), shared.clone());
        service_fn(move |request: hyper::Request<Incoming>| {
            respond(shared.clone(), peer, request, Handling::begin(&state))
        })
    };
    let mut builder = http1::Builder::new();
    // `writev(false)`: hyper copies each answer's body behind its head and
    // writes the two with one `write`, rather than queueing the body and
    // writing both with `writev`. For the small answers most requests get,
    // that is about 5% less CPU per request (the kernel's and hyper's
    // own), measured (docs/benchmarks.md); a large body is copied in
    // pieces of at most `Body`'s frame size, never whole.
    builder
        .header_read_timeout(None)
        .writev(false)
        .max_buf_size(state.max_head);
    // Not pinned: `into_parts` takes it back by value (hyper's connection
    // is `Unpin` for an `Unpin` socket).
    let mut connection = builder.serve_connection(TokioIo::new(io), service);

    // The stop and the timer are polled only when one of them woke the task
    // (see `WakeFlag`): the connection wakes it once per request.
    let side_flag = WakeFlag::new();
    let mut shutting_down = false;
    let end = loop {
        let mut stopping = pin!(shared.shutdown.begun());
        if shared.shutdown.is_begun() && !shutting_down {
            Pin::new(&mut connection).graceful_shutdown();
            shutting_down = true;
        }
        let deadline = state.deadline(config, !shutting_down);
        let mut timer = pin!(async move {
            match deadline {
                Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
                None => core::future::pending().await,
            }
        });
        side_flag.arm();
        let event = poll_fn(|cx| {
            if let Poll::Ready(served) = Pin::new(&mut connection).poll(cx) {
                return Poll::Ready(Event::Served(served.is_ok()));
            }
            state.time_head();
            side_flag.poll_with(cx, |cx| {
                if stopping.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Event::Stopping)
                } else if timer.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Event::Timer)
                } else {
                    Poll::Pending
                }
            })
        })
        .await;
        match event {
            Event::Served(ok) => break End::Served(ok),
            Event::Stopping => {}
            Event::Timer => match state.expired(config, Instant::now()) {
                Some(Expired::Header) => break End::HeaderTimeout,
                Some(Expired::Idle) if !shutting_down => {
                    Pin::new(&mut connection).graceful_shutdown();
                    shutting_down = true;
                }
                _ => {}
            },
        }
    };
    match end {
        // hyper ends a connection whose answer switched protocols without
        // shutting its socket down: the socket and the bytes read past the
        // request go to the continuation, in this task.
        End::Served(true) => {
            if let Some(switch) = state.upgrade.take() {
                let parts = connection.into_parts();
                let Io { stream, .. } = parts.io.into_inner();
                // hyper wrote the 101 unless it was still buffered when
                // the connection was taken apart (see `hand_over`).
                let head_written = state.wrote.get();
                upgrade::hand_over(switch, stream, parts.read_buf, peer, head_written).await;
            }
        }
        End::Served(false) => {}
        End::HeaderTimeout => {
            let mut io = connection.into_parts().io.into_inner();
            write_now(&mut io.stream, REQUEST_TIMEOUT);
        }
    }
}

/// How serving a connection's HTTP ended.
enum End {
    /// hyper finished, well (`true`) or with an error.
    Served(bool),
    /// A request's head took longer than the header-read timeout.
    HeaderTimeout,
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use super::*;
    use crate::server::Limits;

    const KEEP_ALIVE: Duration = Duration::from_secs(10);
    const HEADER: Duration = Duration::from_secs(4);

    fn config() -> Config {
        Config {
            limits: Limits {
                keep_alive_timeout: KEEP_ALIVE,
                header_read_timeout: HEADER,
                ..Limits::default()
            },
            access_log: None,
        }
    }

    fn state(start: Instant) -> ConnState {
        ConnState {
            phase: Cell::new(Phase::Idle),
            activity: Cell::new(0),
            quiet: Cell::new((0, start)),
            wrote: Cell::new(false),
            head_read: Cell::new(0),
            max_head: 8192,
            too_large: Rc::default(),
            upgrade: Rc::new(Cell::new(None)),
        }
    }

    #[test]
    fn a_silent_connection_idles_out_after_the_keep_alive_timeout() {
        let (config, start) = (config(), Instant::now());
        let state = state(start);
        assert!(state.expired(&config, start + KEEP_ALIVE / 2).is_none());
        let late = start + KEEP_ALIVE;
        assert!(matches!(state.expired(&config, late), Some(Expired::Idle)));
    }

    #[test]
    fn activity_seen_at_a_check_restarts_the_quiet_period_from_that_check() {
        let (config, start) = (config(), Instant::now());
        let state = Rc::new(state(start));
        // A request came and went: only the counter moved.
        state.on_read(10);
        assert!(matches!(state.phase.get(), Phase::Reading(_)));
        drop(Handling::begin(&state));
        state.on_write();
        assert!(matches!(state.phase.get(), Phase::Idle));
        let check = start + KEEP_ALIVE - Duration::from_secs(1);
        assert!(state.expired(&config, check).is_none());
        // Never closed before a whole timeout from the check that saw it.
        let before = check + KEEP_ALIVE - Duration::from_millis(1);
        assert!(state.expired(&config, before).is_none());
        assert!(matches!(
            state.expired(&config, check + KEEP_ALIVE),
            Some(Expired::Idle)
        ));
        // The next deadline is at most one check interval away.
        let next = state.deadline(&config, true).expect("idle is timed");
        assert!(next <= Instant::now() + HEADER.min(KEEP_ALIVE / 2));
    }

    #[test]
    fn a_slow_head_times_out_from_its_first_byte() {
        let config = config();
        let state = state(Instant::now());
        state.on_read(3);
        assert!(matches!(state.phase.get(), Phase::Reading(None)));
        state.time_head();
        let Phase::Reading(Some(since)) = state.phase.get() else {
            panic!("reading after the first bytes");
        };
        assert_eq!(state.deadline(&config, true), Some(since + HEADER));
        assert!(state.expired(&config, since + HEADER / 2).is_none());
        assert!(matches!(
            state.expired(&config, since + HEADER),
            Some(Expired::Header)
        ));
        // A request being handled is not timed.
        let state = Rc::new(state);
        let handling = Handling::begin(&state);
        assert!(state.deadline(&config, true).is_none());
        assert!(state.expired(&config, since + HEADER * 10).is_none());
        drop(handling);
        assert!(matches!(state.phase.get(), Phase::Idle));
    }
}
