//! What the green::http test files share: a test app, a Rust HTTP/2 client
//! (hyper's, on the hub) and curl.
#![allow(dead_code)]

use std::cell::RefCell;
use std::future::Future;
use std::io::ErrorKind;
use std::rc::Rc;
use std::time::Duration;

use bytes::Bytes;
use green::compat::process::Command;
use green::http::{Body, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http2::SendRequest;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};

/// The test app: a route per behaviour under test.
#[green::green]
pub(crate) fn app(req: Request) -> Result<Response, String> {
    let path = req.uri().path().to_owned();
    match path.as_str() {
        "/" => Ok(Response::new(Body::from("hello"))),
        "/version" => Ok(Response::new(Body::from(format!("{:?}", req.version())))),
        "/echo" => Ok(Response::new(req.into_body())),
        "/text" => {
            let text = req.into_body().text().map_err(|e| e.to_string())?;
            Ok(Response::new(Body::from(format!("{} bytes", text.len()))))
        }
        "/sleep" => {
            green::sleep(Duration::from_millis(200));
            Ok(Response::new(Body::from("slept")))
        }
        "/stuck" => {
            green::sleep(Duration::from_secs(30));
            Ok(Response::new(Body::from("never")))
        }
        "/stream" => {
            let (mut writer, body) = Body::channel();
            green::spawn(move || async move {
                for i in 0..3 {
                    writer.write_all(format!("part {i}\n").as_bytes()).await?;
                }
                Ok::<_, std::io::Error>(())
            });
            Ok(Response::new(body))
        }
        "/err" => Err("the handler failed".to_owned()),
        "/panic" => panic!("the handler panicked"),
        _ => {
            let mut missing = Response::new(Body::from(format!("no {path}")));
            *missing.status_mut() = StatusCode::NOT_FOUND;
            Ok(missing)
        }
    }
}

/// hyper's executor for the client's connection task: a local task on the
/// hub (the client, as the server, need not be `Send`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct OnTheHub;

impl<F> hyper::rt::Executor<F> for OnTheHub
where
    F: Future + 'static,
    F::Output: 'static,
{
    fn execute(&self, fut: F) {
        tokio::task::spawn_local(fut);
    }
}

/// An HTTP/2 client connection over `io` (prior knowledge, or after ALPN).
#[green::green]
pub(crate) fn h2_client<S>(io: S) -> SendRequest<Full<Bytes>>
where
    S: AsyncRead + AsyncWrite + Unpin + 'static,
{
    let (sender, connection) = hyper::client::conn::http2::Builder::new(OnTheHub)
        .handshake(TokioIo::new(io))
        .await
        .expect("HTTP/2 handshake");
    tokio::task::spawn_local(connection);
    sender
}

/// What a client got back.
#[derive(Debug)]
pub(crate) struct Got {
    pub(crate) status: u16,
    pub(crate) version: hyper::Version,
    pub(crate) body: Vec<u8>,
}

/// Sends `method path` with `body` on `sender`; the whole answer.
#[green::green]
pub(crate) fn send(
    mut sender: SendRequest<Full<Bytes>>,
    method: &str,
    path: &str,
    body: Vec<u8>,
) -> Got {
    let request = hyper::Request::builder()
        .method(method)
        .uri(format!("http://localhost{path}"))
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    sender.ready().await.expect("connection ready");
    let response = sender.send_request(request).await.expect("response");
    let (status, version) = (response.status().as_u16(), response.version());
    let body = response.into_body().collect().await.expect("body");
    Got {
        status,
        version,
        body: body.to_bytes().to_vec(),
    }
}

/// Runs curl with `args`, `None` (and a notice) if curl is missing or
/// cannot speak HTTP/2.
#[green::green]
pub(crate) fn curl(args: &[&str]) -> Option<std::process::Output> {
    match Command::new("curl").arg("-V").output() {
        Ok(version) if !String::from_utf8_lossy(&version.stdout).contains("HTTP2") => {
            eprintln!("curl has no HTTP/2: skipping");
            return None;
        }
        Ok(_) => {}
        Err(err) if err.kind() == ErrorKind::NotFound => {
            eprintln!("curl not found: skipping (.ci/run installs it)");
            return None;
        }
        Err(err) => panic!("curl: {err}"),
    }
    let output = Command::new("curl")
        .args(["-sS", "--max-time", "20"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "curl {args:?}: {output:?}");
    Some(output)
}

/// `len` bytes that are not all alike.
pub(crate) fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// An access log the test reads back: `Server::access_log_to(log.clone())`,
/// then `log.0.borrow()`.
#[derive(Clone, Default)]
pub(crate) struct SharedLog(pub(crate) Rc<RefCell<Vec<u8>>>);

impl std::io::Write for SharedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
