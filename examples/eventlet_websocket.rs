//! eventlet's `websocket.py` on green: a page at `/` that plots what a
//! WebSocket at `/data` pushes, a line `0 <i> <random>` every 0.1 s, 10,000
//! of them (eventlet's `WebSocketWSGI` is `green::ws::upgrade`).
//!
//! ```text
//! cargo run --example eventlet_websocket -- [ADDR]   # default 127.0.0.1:7000
//! ```
//!
//! then open `http://127.0.0.1:7000/` in a browser. The original's page pulls
//! jQuery and flot from the web; this one draws on a canvas itself, so
//! nothing leaves the machine. The browser's own messages (the original's
//! page sends `hi`, then an empty message after each plot) are not read, as
//! in the original.

use std::io::Result;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use green::http::header::{CONTENT_TYPE, HeaderValue};
use green::http::{Body, Request, Response, Server, ServerHandle, Upgraded};
use green::ws::{Error, WebSocket};

/// How many values `/data` pushes, and how often.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pace {
    pub(crate) count: u32,
    pub(crate) every: Duration,
}

/// The original's pace: 10,000 values, one every 0.1 s.
pub(crate) const ORIGINAL_PACE: Pace = Pace {
    count: 10_000,
    every: Duration::from_millis(100),
};

/// The page: a canvas plotting the last 200 values as they come.
pub(crate) const PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Plot</title>
<script>
window.onload = function () {
  var values = [];
  var canvas = document.getElementById("holder");
  var ctx = canvas.getContext("2d");
  var s = new WebSocket("ws://" + location.host + "/data");
  s.onopen = function () { s.send("hi"); };
  s.onmessage = function (e) {
    e.data.split("\n").forEach(function (line) {
      var parts = line.split(" ");
      if (parts.length === 3) values.push(parseFloat(parts[2]));
    });
    values = values.slice(-200);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.beginPath();
    values.forEach(function (y, i) {
      var px = i * canvas.width / 200, py = canvas.height * (1 - y);
      if (i === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    });
    ctx.stroke();
    s.send("");
  };
};
</script>
</head>
<body>
<h3>Plot</h3>
<canvas id="holder" width="600" height="300" style="border: 1px solid black"></canvas>
</body>
</html>
"#;

/// A small pseudo-random generator (xorshift64*) standing in for Python's
/// `random.random()`: values in `[0, 1)`.
pub(crate) struct Random(u64);

impl Random {
    pub(crate) fn seeded() -> Random {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Random(nanos | 1)
    }

    pub(crate) fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11; // 53 bits
        bits as f64 / (1u64 << 53) as f64
    }
}

/// The WebSocket at `/data`: `pace.count` lines `0 <i> <random>\n`, one
/// every `pace.every`, then a close. Returns early if the browser leaves
/// (a send fails).
#[green::green]
pub(crate) fn push_values(
    mut ws: WebSocket<Upgraded>,
    pace: Pace,
) -> std::result::Result<(), Error> {
    let mut random = Random::seeded();
    for i in 0..pace.count {
        ws.send(format!("0 {i} {}\n", random.next_f64()))?;
        green::sleep(pace.every);
    }
    // eventlet sends a closing frame when the handler returns; green waits
    // for the browser's answer, a while at most.
    green::timeout(Duration::from_secs(5), || ws.close(None)).ok();
    Ok(())
}

/// The app: the WebSocket at `/data`, the page anywhere else (as the
/// original's `dispatch`).
#[green::green]
pub(crate) fn dispatch(req: Request, pace: Pace) -> Response {
    if req.uri().path() == "/data" {
        return green::ws::upgrade(req, move |ws| push_values(ws, pace));
    }
    let mut response = Response::new(Body::from(PAGE));
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    response.headers_mut().insert(CONTENT_TYPE, html);
    response
}

/// Starts the app on `addr` in the background.
#[green::green]
pub(crate) fn start(addr: &str, pace: Pace) -> Result<ServerHandle> {
    Server::bind(addr)?.start(move |req| dispatch(req, pace))
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7000".to_owned());
    let server = Server::bind(addr.as_str())?;
    println!(
        "\nVisit http://{}/ in your websocket-capable browser.\n",
        server.local_addr()?
    );
    server.serve(|req| dispatch(req, ORIGINAL_PACE))
}
