//! What a handler may return, and calling it: errors and panics become 500.

use core::any::Any;
use core::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};

use http::uri::PathAndQuery;
use http::{HeaderValue, Method, StatusCode, header};

use crate::{Body, Response};

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

/// The response for what the handler gave: its response, or a 500 for an
/// `Err` (reported here, with the request's method and path) or a panic
/// (reported by green's panic hook, with the panic's message and place, as
/// for any green task).
pub(crate) fn answer<R: HandlerResult>(
    outcome: Result<R, Box<dyn Any + Send>>,
    method: &Method,
    path: Option<&PathAndQuery>,
) -> Response {
    // An error's Display may panic too: that is the handler's panic.
    let result = outcome.and_then(|result| catch_unwind(AssertUnwindSafe(|| result.into_result())));
    match result {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => {
            let path = path.map_or("/", |p| p.path());
            eprintln!("green::http: {method} {path}: {err} (answered 500)");
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
