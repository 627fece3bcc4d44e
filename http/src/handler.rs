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
    /// The response, or the error's report (`None` if writing the report
    /// panicked: that panic is the handler's, reported as such).
    #[doc(hidden)]
    fn into_result(self) -> Result<Response, Option<String>>;
}

impl HandlerResult for Response {
    #[inline]
    fn into_result(self) -> Result<Response, Option<String>> {
        Ok(self)
    }
}

impl<E: Display> HandlerResult for Result<Response, E> {
    #[inline]
    fn into_result(self) -> Result<Response, Option<String>> {
        self.map_err(|err| report(&err))
    }
}

/// `err`'s `Display`, `None` if it panicked. Out of line: only errors pay
/// for the unwinding guard.
#[cold]
#[inline(never)]
fn report<E: Display>(err: &E) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| err.to_string())).ok()
}

/// The response for what the handler gave: its response, or a 500 for an
/// `Err` (reported here, with the request's method and path) or a panic
/// (reported by green's panic hook, with the panic's message and place, as
/// for any green task). Inlined: the response is moved once less.
#[inline(always)]
pub(crate) fn answer<R: HandlerResult>(
    outcome: Result<R, Box<dyn Any + Send>>,
    method: &Method,
    path: Option<&PathAndQuery>,
) -> Response {
    match outcome {
        Ok(result) => match result.into_result() {
            Ok(response) => response,
            Err(report) => failed(report, method, path),
        },
        // The handler panicked.
        Err(_) => status(StatusCode::INTERNAL_SERVER_ERROR, false),
    }
}

/// The 500 for a handler's `Err`, reported with the request's method and
/// path (`None` if its `Display` panicked: that panic is the handler's,
/// reported as such). Out of line, as every answer but the plain one.
#[cold]
#[inline(never)]
fn failed(report: Option<String>, method: &Method, path: Option<&PathAndQuery>) -> Response {
    if let Some(err) = report {
        let path = path.map_or("/", |p| p.path());
        eprintln!("green::http: {method} {path}: {err} (answered 500)");
    }
    status(StatusCode::INTERNAL_SERVER_ERROR, false)
}

/// A response of `code` whose body is its reason phrase; `close` ends the
/// connection after it.
#[cold]
#[inline(never)]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An error whose report panics.
    struct Unprintable;

    impl Display for Unprintable {
        fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            panic!("no report")
        }
    }

    fn status_of<R: HandlerResult>(outcome: Result<R, Box<dyn Any + Send>>) -> StatusCode {
        answer(outcome, &Method::GET, None).status()
    }

    #[test]
    fn errors_and_panics_answer_500_and_responses_pass() {
        let ok = Response::new(Body::from("ok"));
        assert_eq!(status_of::<Response>(Ok(ok)), StatusCode::OK);
        let err: Result<Response, String> = Err("down".into());
        assert_eq!(status_of(Ok(err)), StatusCode::INTERNAL_SERVER_ERROR);
        let unprintable: Result<Response, Unprintable> = Err(Unprintable);
        assert_eq!(
            status_of(Ok(unprintable)),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        let panicked: Result<Response, Box<dyn Any + Send>> = Err(Box::new("boom"));
        assert_eq!(status_of(panicked), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
