//! One HTTP/2 connection (h2c by prior knowledge, or h2 over TLS by ALPN):
//! hyper's HTTP/2 server driven in the connection's green task, its streams
//! run by [`StreamTasks`] in that same task. The keep-alive idle timeout
//! counts from the end of the last stream; the server's stop sends GOAWAY and
//! lets the streams in flight finish.

use core::future::IntoFuture;
use core::pin::pin;
use std::cell::Cell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::server::conn::http2;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::Request;
use crate::handler::HandlerResult;
use crate::respond::{Exchange, respond};
use crate::server::Shared;
use crate::stream_tasks::StreamTasks;
use crate::upgrade;

/// The requests in flight on a connection, for the idle timeout.
#[derive(Debug)]
struct InFlight {
    open: Cell<usize>,
    idle_since: Cell<Instant>,
}

/// Counts one request while it is handled, however its future ends (a
/// stream reset by the client drops it).
struct Handling {
    in_flight: Rc<InFlight>,
    /// The stream's own body-size flag.
    too_large: Rc<Cell<bool>>,
}

impl Handling {
    fn begin(in_flight: &Rc<InFlight>) -> Handling {
        in_flight.open.set(in_flight.open.get() + 1);
        Handling {
            in_flight: in_flight.clone(),
            too_large: Rc::default(),
        }
    }
}

impl Exchange for Handling {
    fn too_large(&self) -> &Rc<Cell<bool>> {
        &self.too_large
    }

    fn upgrade(&self) -> Option<&upgrade::Slot> {
        None
    }
}

impl Drop for Handling {
    fn drop(&mut self) {
        let in_flight = &self.in_flight;
        let open = in_flight.open.get() - 1;
        in_flight.open.set(open);
        if open == 0 {
            in_flight.idle_since.set(Instant::now());
        }
    }
}

/// Serves `stream`, whose first bytes are the HTTP/2 preface, until the
/// client closes, the connection idles past the keep-alive timeout, or the
/// server stops.
pub(crate) async fn serve<S, F, G>(stream: S, peer: SocketAddr, shared: Rc<Shared<F>>)
where
    S: AsyncRead + AsyncWrite + Unpin + 'static,
    F: Fn(Request) -> G + 'static,
    G: IntoFuture<Output: HandlerResult> + 'static,
{
    let limits = &shared.config.limits;
    let in_flight = Rc::new(InFlight {
        open: Cell::new(0),
        idle_since: Cell::new(Instant::now()),
    });
    let service = {
        let (in_flight, shared) = (in_flight.clone(), shared.clone());
        service_fn(move |request: hyper::Request<Incoming>| {
            respond(shared.clone(), peer, request, Handling::begin(&in_flight))
        })
    };
    let streams = StreamTasks::default();
    let mut builder = http2::Builder::new(streams.clone());
    builder
        .max_header_list_size(u32::try_from(limits.max_header_size.max(8192)).unwrap_or(u32::MAX));
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let mut running = pin!(streams.run());

    let mut shutting_down = false;
    loop {
        let stopping = shared.shutdown.begun();
        if shared.shutdown.is_begun() && !shutting_down {
            connection.as_mut().graceful_shutdown();
            shutting_down = true;
        }
        let idle_until = (!shutting_down && in_flight.open.get() == 0)
            .then(|| in_flight.idle_since.get() + limits.keep_alive_timeout);
        let timer = async move {
            match idle_until {
                Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
                None => core::future::pending().await,
            }
        };
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = running.as_mut() => {}
            _ = stopping => {}
            _ = timer => {
                let idle = in_flight.open.get() == 0
                    && Instant::now() >= in_flight.idle_since.get() + limits.keep_alive_timeout;
                if idle && !shutting_down {
                    connection.as_mut().graceful_shutdown();
                    shutting_down = true;
                }
            }
        }
    }
}
