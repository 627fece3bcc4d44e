//! One request, whatever the protocol: the body-size limit (413), the
//! handler (500 for an error or a panic), the access log.

use core::future::IntoFuture;
use std::cell::Cell;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;

use futures_util::FutureExt;

use http::{StatusCode, Version, header};
use hyper::body::{Body as _, Incoming};

use crate::access_log::{AccessLog, Line};
use crate::handler::{self, HandlerResult};
use crate::server::Shared;
use crate::upgrade;
use crate::{Body, Request, Response};

/// Answers `request` with the server's app, as hyper's service future:
/// the only async layer between hyper and the handler's own future, so that
/// the request and the handler's state are not copied from layer to layer
/// as each future is built and moved into place (every layer here copied
/// the whole of what it held, kilobytes per request). `too_large` is the
/// flag the request's body sets when read past the limit (one per HTTP/1.1
/// connection, one per HTTP/2 stream). `upgrade` is where an HTTP/1.1
/// connection keeps the continuation of an answer that switches protocols
/// (`None` on HTTP/2). `during` is dropped once the response is made (the
/// connection's bookkeeping of requests in flight).
pub(crate) async fn respond<F, G, D>(
    shared: Rc<Shared<F>>,
    peer: SocketAddr,
    too_large: Rc<Cell<bool>>,
    upgrade: Option<Rc<upgrade::Slot>>,
    mut request: hyper::Request<Incoming>,
    during: D,
) -> Result<Response, Infallible>
where
    F: Fn(Request) -> G,
    G: IntoFuture<Output: HandlerResult>,
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
    let response = if request.body().size_hint().lower() > limit {
        // Declared too large: refused before the handler (and before a
        // `100 Continue`), and the unread body ends the connection.
        handler::status(StatusCode::PAYLOAD_TOO_LARGE, close)
    } else {
        too_large.set(false);
        let method = request.method().clone();
        let path = request.uri().path_and_query().cloned();
        let request = request.map(|incoming| Body::incoming(incoming, limit, too_large.clone()));
        let outcome = AssertUnwindSafe((shared.app)(request).into_future())
            .catch_unwind()
            .await;
        let mut response = handler::answer(outcome, &method, path.as_ref());
        if too_large.replace(false) {
            response = handler::status(StatusCode::PAYLOAD_TOO_LARGE, close);
        }
        let path = path.as_ref().map_or("/", |p| p.path());
        upgrade::take(
            &mut response,
            upgrade.as_deref(),
            wants_upgrade,
            &method,
            path,
        );
        response
    };
    drop(during);
    if let (Some(line), Some(log)) = (log, &config.access_log) {
        write_log(log, line, &response);
    }
    Ok(response)
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
