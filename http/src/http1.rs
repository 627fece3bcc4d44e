//! One HTTP/1.1 connection: hyper's connection driven in the connection's
//! green task, with the header-read (408) and keep-alive idle timeouts and
//! the server's stop. Malformed heads hyper closes on get their 400 (or 431)
//! here.

use core::future::IntoFuture;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::cell::Cell;
use std::convert::Infallible;
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
use crate::respond::respond;
use crate::server::{Config, Shared};
use crate::upgrade;

/// What the timeouts need to know about a connection, and what it does
/// after switching protocols.
struct ConnState {
    phase: Cell<Phase>,
    /// The last read or write of any byte.
    last_io: Cell<Instant>,
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
    upgrade: upgrade::Slot,
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Between requests (or before the first).
    Idle,
    /// The first bytes of a request head came at this instant.
    Reading(Instant),
    /// The handler runs.
    Handling,
}

/// What a timeout found.
enum Expired {
    Idle,
    Header,
}

impl ConnState {
    fn on_io(&self, read: usize) {
        let now = Instant::now();
        self.last_io.set(now);
        if read == 0 {
            self.wrote.set(true);
            return;
        }
        if matches!(self.phase.get(), Phase::Idle) {
            self.phase.set(Phase::Reading(now));
            self.wrote.set(false);
            self.head_read.set(0);
        }
        self.head_read
            .set(self.head_read.get().saturating_add(read));
    }

    /// The next instant a timeout could run out, if any.
    fn deadline(&self, config: &Config, idle_allowed: bool) -> Option<Instant> {
        match self.phase.get() {
            Phase::Reading(since) => Some(since + config.limits.header_read_timeout),
            // Checked at least every header timeout, so that a request
            // starting meanwhile is timed from when it started.
            Phase::Idle if idle_allowed => Some(
                (self.last_io.get() + config.limits.keep_alive_timeout)
                    .min(Instant::now() + config.limits.header_read_timeout),
            ),
            Phase::Idle | Phase::Handling => None,
        }
    }

    fn expired(&self, config: &Config, now: Instant) -> Option<Expired> {
        match self.phase.get() {
            Phase::Reading(since) if now >= since + config.limits.header_read_timeout => {
                Some(Expired::Header)
            }
            Phase::Idle if now >= self.last_io.get() + config.limits.keep_alive_timeout => {
                Some(Expired::Idle)
            }
            _ => None,
        }
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
            self.state.on_io(read);
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
            self.state.on_io(0);
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
            self.state.on_io(0);
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
        last_io: Cell::new(Instant::now()),
        wrote: Cell::new(false),
        head_read: Cell::new(0),
        max_head: config.limits.max_header_size.max(8192),
        too_large: Rc::new(Cell::new(false)),
        upgrade: Cell::new(None),
    });
    let io = Io {
        stream,
        state: state.clone(),
    };
    let service = {
        let (state, shared) = (state.clone(), shared.clone());
        service_fn(move |request: hyper::Request<Incoming>| {
            let (state, shared) = (state.clone(), shared.clone());
            async move {
                state.phase.set(Phase::Handling);
                let response = respond(
                    &shared.app,
                    &shared.config,
                    peer,
                    &state.too_large,
                    Some(&state.upgrade),
                    request,
                )
                .await;
                state.phase.set(Phase::Idle);
                state.last_io.set(Instant::now());
                Ok::<_, Infallible>(response)
            }
        })
    };
    let mut builder = http1::Builder::new();
    builder
        .pipeline_flush(true)
        .header_read_timeout(None)
        .max_buf_size(state.max_head);
    // Not pinned: `into_parts` takes it back by value (hyper's connection
    // is `Unpin` for an `Unpin` socket).
    let mut connection = builder.serve_connection(TokioIo::new(io), service);

    let mut shutting_down = false;
    let end = loop {
        let stopping = shared.shutdown.begun();
        if shared.shutdown.is_begun() && !shutting_down {
            Pin::new(&mut connection).graceful_shutdown();
            shutting_down = true;
        }
        let deadline = state.deadline(config, !shutting_down);
        let timer = async move {
            match deadline {
                Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
                None => core::future::pending().await,
            }
        };
        tokio::select! {
            served = &mut connection => break End::Served(served.is_ok()),
            _ = stopping => {}
            _ = timer => match state.expired(config, Instant::now()) {
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
                upgrade::hand_over(switch, stream, parts.read_buf, peer).await;
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
