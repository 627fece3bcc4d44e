//! One request, whatever the protocol: the body-size limit (413), the
//! handler (500 for an error or a panic), the access log.

use core::future::{Future, IntoFuture};
use core::pin::Pin;
use core::task::{Context, Poll};
use std::cell::Cell;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;

use http::uri::PathAndQuery;
use http::{Method, StatusCode, Version, header};
use hyper::body::{Body as _, Incoming};
use pin_project_lite::pin_project;

use crate::access_log::{AccessLog, Line};
use crate::handler::{self, HandlerResult};
use crate::server::Shared;
use crate::upgrade;
use crate::{Body, Request, Response};

pin_project! {
    /// hyper's service future for one request: the handler's future, and
    /// what answering needs once it is done.
    ///
    /// Written by hand rather than as an `async fn`: an async fn keeps its
    /// arguments (hyper's request) beside the handler's future it awaits,
    /// and this future is moved into hyper's connection for every request,
    /// so every byte of it is copied (and, with many connections, written
    /// to memory out of the cache) once per request.
    pub(crate) struct Answer<F, G, D> {
        #[pin]
        state: State<G>,
        shared: Rc<Shared<F>>,
        method: Method,
        path: Option<PathAndQuery>,
        close: bool,
        wants_upgrade: bool,
        log: Option<Line>,
        // Dropped once the response is made (the connection's bookkeeping
        // of requests in flight).
        exchange: Option<D>,
    }
}

/// What the connection lends one request's answer, and takes back (by
/// dropping it) once the response is made (its bookkeeping of requests in
/// flight).
pub(crate) trait Exchange {
    /// The flag the request's body sets when read past the limit (one per
    /// HTTP/1.1 connection, one per HTTP/2 stream).
    fn too_large(&self) -> &Rc<Cell<bool>>;
    /// Where an HTTP/1.1 connection keeps the continuation of an answer
    /// that switches protocols (`None` on HTTP/2).
    fn upgrade(&self) -> Option<&upgrade::Slot>;
}

pin_project! {
    /// Where an [`Answer`] is.
    #[project = StateProj]
    enum State<G> {
        /// The handler runs.
        Handling { #[pin] handler: G },
        /// The answer was made without the handler (a 413, or a 500 for an
        /// app that panicked), until it is taken.
        Ready { response: Option<Response> },
        /// The answer is given.
        Done,
    }
}

/// Answers `request` with the server's app, on the connection's
/// `exchange`.
pub(crate) fn respond<F, G, D>(
    shared: Rc<Shared<F>>,
    peer: SocketAddr,
    mut request: hyper::Request<Incoming>,
    exchange: D,
) -> Answer<F, G::IntoFuture, D>
where
    F: Fn(Request) -> G,
    G: IntoFuture<Output: HandlerResult>,
    D: Exchange,
{
    let config = &shared.config;
    let limit = config.limits.max_body_size;
    let log = config
        .access_log
        .as_ref()
        .map(|_| Line::new(peer, &request));
    // HTTP/2 has no `connection: close`; an unread body is reset instead.
    let close = request.version() < Version::HTTP_2;
    // hyper marks a request that asks to switch protocols with its own
    // upgrade handle; the switch is green's (see upgrade.rs), so the handle
    // is taken out and the handler sees a plain request.
    let extensions = request.extensions_mut();
    let wants_upgrade =
        !extensions.is_empty() && extensions.remove::<hyper::upgrade::OnUpgrade>().is_some();
    let method = request.method().clone();
    let path = request.uri().path_and_query().cloned();
    let state = if request.body().size_hint().lower() > limit {
        // Declared too large: refused before the handler (and before a
        // `100 Continue`), and the unread body ends the connection.
        let refused = handler::status(StatusCode::PAYLOAD_TOO_LARGE, close);
        State::Ready {
            response: Some(refused),
        }
    } else {
        let too_large = exchange.too_large();
        too_large.set(false);
        let request = request.map(|incoming| Body::incoming(incoming, limit, too_large.clone()));
        // The app is called here, when hyper takes the request: a panic in
        // it (rather than in its work) is the handler's too.
        match catch_unwind(AssertUnwindSafe(|| (shared.app)(request).into_future())) {
            Ok(handler) => State::Handling { handler },
            Err(_) => State::Ready {
                response: Some(handler::status(StatusCode::INTERNAL_SERVER_ERROR, false)),
            },
        }
    };
    Answer {
        state,
        shared,
        method,
        path,
        close,
        wants_upgrade,
        log,
        exchange: Some(exchange),
    }
}

impl<F, G, D> Future for Answer<F, G, D>
where
    G: Future<Output: HandlerResult>,
    D: Exchange,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let mut response = match this.state.as_mut().project() {
            StateProj::Handling { handler } => {
                let outcome = match catch_unwind(AssertUnwindSafe(|| handler.poll(cx))) {
                    Ok(Poll::Pending) => return Poll::Pending,
                    Ok(Poll::Ready(output)) => Ok(output),
                    Err(payload) => Err(payload),
                };
                let response = handler::answer(outcome, this.method, this.path.as_ref());
                // The handler's state goes now, as its task's would.
                this.state.set(State::Done);
                response
            }
            StateProj::Ready { response } => response.take().unwrap_or_else(done),
            // hyper polls a service future until it is ready, never after.
            StateProj::Done => done(),
        };
        if let Some(exchange) = this.exchange.take() {
            if exchange.too_large().replace(false) {
                response = handler::status(StatusCode::PAYLOAD_TOO_LARGE, *this.close);
            }
            upgrade::take(
                &mut response,
                exchange.upgrade(),
                *this.wants_upgrade,
                this.method,
                this.path.as_ref(),
            );
        }
        if let (Some(line), Some(log)) = (this.log.take(), &this.shared.config.access_log) {
            write_log(log, line, &response);
        }
        Poll::Ready(Ok(response))
    }
}

/// The answer to a poll after the answer was given (hyper never makes one).
#[cold]
fn done() -> Response {
    handler::status(StatusCode::INTERNAL_SERVER_ERROR, false)
}

/// Writes `response`'s access-log line. Out of line: with the log off (the
/// default) the answer's hot path stays short.
#[inline(never)]
fn write_log(log: &AccessLog, line: Line, response: &Response) {
    let bytes = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|len| len.to_str().ok()?.parse().ok())
        .or(response.body().size_hint().exact());
    log.write(&line.finish(response.status(), bytes));
}
