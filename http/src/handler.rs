//! What a handler may return, and calling it: errors and panics become 500.

use core::fmt::Display;
use core::future::IntoFuture;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use http::{HeaderValue, StatusCode, header};

use crate::{Body, Request, Response};

/// What a handler returns: a [`Response`], or a `Result<Response, E>` whose
/// `Err` is answered `500 Internal Server Error` and reported on stderr once,
/// with the request's method and path.
///
/// ```
/// use green::http::{Body, Request, Response};
///
/// #[green::green]
/// fn plain(_req: Request) -> Response {
///     Response::new(Body::from("ok"))
/// }
///
/// #[green::green]
/// fn fallible(req: Request) -> Result<Response, std::io::Error> {
///     let name = req.into_body().text()?; // an I/O error gives 500
///     Ok(Response::new(Body::from(format!("hello {name}"))))
/// }
///
/// fn check<G: std::future::IntoFuture<Output: green::http::HandlerResult>>(
///     _app: impl Fn(Request) -> G,
/// ) {
/// }
///
/// check(plain);
/// check(fallible);
/// ```
pub trait HandlerResult {
    /// The response, or the error's report.
    #[doc(hidden)]
    fn into_result(self) -> Result<Response, String>;
}

impl HandlerResult for Response {
    fn into_result(self) -> Result<Response, String> {
        Ok(self)
    }
}

impl<E: Display> HandlerResult for Result<Response, E> {
    fn into_result(self) -> Result<Response, String> {
        self.map_err(|err| err.to_string())
    }
}

/// Runs the handler on `request`: its response, or a 500 for an `Err`
/// (reported here) or a panic (reported by green's panic hook, with the
/// panic's message and place, as for any green task).
pub(crate) async fn call<F, G>(app: &F, request: Request) -> Response
where
    F: Fn(Request) -> G,
    G: IntoFuture<Output: HandlerResult>,
{
    let method = request.method().clone();
    let uri = request.uri().clone();
    let outcome = AssertUnwindSafe(async { app(request).into_future().await.into_result() })
        .catch_unwind()
        .await;
    match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => {
            eprintln!("green::http: {method} {}: {err} (answered 500)", uri.path());
            status(StatusCode::INTERNAL_SERVER_ERROR, false)
        }
        Err(_panic) => status(StatusCode::INTERNAL_SERVER_ERROR, false),
    }
}

/// A response of `code` whose body is its reason phrase; `close` ends the
/// connection after it.
pub(crate) fn status(code: StatusCode, close: bool) -> Response {
    let reason = code.canonical_reason().unwrap_or("");
    let mut response = Response::new(Body::from(reason));
    *response.status_mut() = code;
    if close {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}
