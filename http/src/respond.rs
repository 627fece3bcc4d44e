//! One request, whatever the protocol: the body-size limit (413), the
//! handler (500 for an error or a panic), the access log.

use core::future::IntoFuture;
use std::cell::Cell;
use std::net::SocketAddr;
use std::rc::Rc;

use http::{StatusCode, Version, header};
use hyper::body::{Body as _, Incoming};

use crate::access_log::Line;
use crate::handler::{self, HandlerResult};
use crate::server::Config;
use crate::upgrade;
use crate::{Body, Request, Response};

/// Answers `request` with `app`. `too_large` is the flag the request's body
/// sets when read past the limit (one per HTTP/1.1 connection, one per
/// HTTP/2 stream). `upgrade` is where an HTTP/1.1 connection keeps the
/// continuation of an answer that switches protocols (`None` on HTTP/2).
pub(crate) async fn respond<F, G>(
    app: &F,
    config: &Config,
    peer: SocketAddr,
    too_large: &Rc<Cell<bool>>,
    upgrade: Option<&upgrade::Slot>,
    mut request: hyper::Request<Incoming>,
) -> Response
where
    F: Fn(Request) -> G,
    G: IntoFuture<Output: HandlerResult>,
{
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
    let wants_upgrade = request
        .extensions_mut()
        .remove::<hyper::upgrade::OnUpgrade>()
        .is_some();
    let response = if request.body().size_hint().lower() > limit {
        // Declared too large: refused before the handler (and before a
        // `100 Continue`), and the unread body ends the connection.
        handler::status(StatusCode::PAYLOAD_TOO_LARGE, close)
    } else {
        too_large.set(false);
        let method = request.method().clone();
        let uri = request.uri().clone(); // no copy: the URI shares hyper's bytes
        let request = request.map(|incoming| Body::incoming(incoming, limit, too_large.clone()));
        let mut response = handler::call(app, request).await;
        upgrade::take(&mut response, upgrade, wants_upgrade, &method, uri.path());
        if too_large.replace(false) {
            handler::status(StatusCode::PAYLOAD_TOO_LARGE, close)
        } else {
            response
        }
    };
    if let (Some(line), Some(log)) = (log, &config.access_log) {
        let bytes = response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|len| len.to_str().ok()?.parse().ok())
            .or(response.body().size_hint().exact());
        log.write(&line.finish(response.status(), bytes));
    }
    response
}
