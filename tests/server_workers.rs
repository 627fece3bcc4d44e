//! Sharded servers, `StreamServer::workers(n)` and `http::Server::workers(n)`,
//! driven by real clients on 127.0.0.1: both hubs serve, a panic storm on
//! one hub leaves the other answering, and `stop` drains every hub.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use green::compat::io::{self, Read, Write};
use green::compat::net::{SocketAddr, TcpStream};
use green::http::{Body, Request, Response, Server};
use green::server::StreamServer;

/// Connections served, by hub (`green::hub_index()` in the handler).
type PerHub = Arc<Mutex<BTreeMap<usize, usize>>>;

fn count_on_this_hub(per_hub: &PerHub) {
    *per_hub
        .lock()
        .unwrap()
        .entry(green::hub_index())
        .or_default() += 1;
}

#[green::green]
fn echo(mut stream: TcpStream, per_hub: PerHub) -> io::Result<()> {
    count_on_this_hub(&per_hub);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n])?;
    }
}

/// One connection (a fresh source port): sends `i` as text, expects it back.
#[green::green]
fn echo_once(addr: SocketAddr, i: usize) -> io::Result<()> {
    let mut client = TcpStream::connect(addr)?;
    let sent = format!("client {i}");
    client.write_all(sent.as_bytes())?;
    client.shutdown(green::compat::net::Shutdown::Write)?;
    let mut back = String::new();
    client.read_to_string(&mut back)?;
    assert_eq!(back, sent);
    Ok(())
}

/// One HTTP/1.1 request on its own connection: the status and the body.
#[green::green]
fn get(addr: SocketAddr, path: &str) -> io::Result<(u16, String)> {
    let mut client = TcpStream::connect(addr)?;
    write!(
        client,
        "GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    client.read_to_string(&mut answer)?;
    let status = answer
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_owned());
    Ok((status, body))
}

#[green::test(timeout_ms = 40_000)]
fn two_worker_echo_serves_on_both_hubs() {
    let per_hub = PerHub::default();
    let counted = per_hub.clone();
    let server = StreamServer::bind("127.0.0.1:0").unwrap().workers(2);
    let handle = server
        .start(move || {
            let per_hub = counted.clone();
            move |stream, _peer: SocketAddr| echo(stream, per_hub.clone())
        })
        .unwrap();
    assert_eq!(handle.workers(), 2);
    let addr = handle.local_addr();
    for batch in 0..10 {
        let clients: Vec<_> = (0..20)
            .map(|i| green::spawn(move || echo_once(addr, batch * 20 + i)))
            .collect();
        for result in green::joinall(clients) {
            result.unwrap().unwrap();
        }
    }
    handle.stop(Duration::from_secs(5));
    let per_hub = per_hub.lock().unwrap().clone();
    assert_eq!(per_hub.values().sum::<usize>(), 200, "{per_hub:?}");
    assert_eq!(
        per_hub.keys().copied().collect::<Vec<_>>(),
        [0, 1],
        "{per_hub:?}"
    );
    assert!(per_hub.values().all(|&n| n > 0), "{per_hub:?}");
    assert_eq!(handle.connections_per_worker(), [0, 0]);
}

#[green::test(timeout_ms = 40_000)]
fn single_acceptor_deals_connections_in_turn() {
    let per_hub = PerHub::default();
    let counted = per_hub.clone();
    let server = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .workers(2)
        .single_acceptor();
    let handle = server
        .start(move || {
            let per_hub = counted.clone();
            move |stream, _peer: SocketAddr| echo(stream, per_hub.clone())
        })
        .unwrap();
    let addr = handle.local_addr();
    // One at a time, so that the turns are exact.
    for i in 0..40 {
        echo_once(addr, i).unwrap();
    }
    handle.stop(Duration::from_secs(5));
    let per_hub = per_hub.lock().unwrap().clone();
    assert_eq!(per_hub, BTreeMap::from([(0, 20), (1, 20)]));
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");
}

#[green::test(timeout_ms = 20_000)]
fn one_worker_is_the_server_on_this_hub() {
    let here = std::thread::current().id();
    let ran_here = Arc::new(AtomicUsize::new(0));
    let counted = ran_here.clone();
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .workers(1)
        .start(move || {
            let counted = counted.clone();
            move |mut stream: TcpStream, _peer: SocketAddr| {
                if std::thread::current().id() == here {
                    counted.fetch_add(1, Ordering::Relaxed);
                }
                async move { stream.write_all(b"hi").await }
            }
        })
        .unwrap();
    let mut text = String::new();
    TcpStream::connect(handle.local_addr())
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "hi");
    assert_eq!(ran_here.load(Ordering::Relaxed), 1);
    handle.stop(Duration::from_secs(1));
}

#[green::green]
fn which_hub(_req: Request) -> Response {
    Response::new(Body::from(format!("hub {}", green::hub_index())))
}

#[green::test(timeout_ms = 40_000)]
fn two_worker_http_serves_on_both_hubs() {
    let handle = Server::bind("127.0.0.1:0")
        .unwrap()
        .workers(2)
        .start(which_hub)
        .unwrap();
    let addr = handle.local_addr();
    let mut per_hub: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..10 {
        let clients: Vec<_> = (0..20)
            .map(|_| green::spawn(move || get(addr, "/")))
            .collect();
        for result in green::joinall(clients) {
            let (status, body) = result.unwrap().unwrap();
            assert_eq!(status, 200);
            *per_hub.entry(body).or_default() += 1;
        }
    }
    handle.stop(Duration::from_secs(5));
    assert_eq!(per_hub.values().sum::<usize>(), 200, "{per_hub:?}");
    assert_eq!(
        per_hub.keys().cloned().collect::<Vec<_>>(),
        ["hub 0", "hub 1"],
        "{per_hub:?}"
    );
}

#[green::test(timeout_ms = 40_000)]
fn a_panic_storm_on_one_hub_leaves_the_other_serving() {
    // The factory's first call makes the handler of one hub, which panics
    // on every request; the other hub's answers.
    let made = Arc::new(AtomicUsize::new(0));
    let handle = Server::bind("127.0.0.1:0")
        .unwrap()
        .workers(2)
        .start(move || {
            let storm = made.fetch_add(1, Ordering::Relaxed) == 0;
            move |_req: Request| async move {
                if storm {
                    panic!("storm on hub {}", green::hub_index());
                }
                Response::new(Body::from(format!("calm on hub {}", green::hub_index())))
            }
        })
        .unwrap();
    let addr = handle.local_addr();
    let (mut ok, mut failed) = (BTreeMap::<String, usize>::new(), 0);
    for _ in 0..10 {
        let clients: Vec<_> = (0..20)
            .map(|_| green::spawn(move || get(addr, "/")))
            .collect();
        for result in green::joinall(clients) {
            match result.unwrap().unwrap() {
                (200, body) => *ok.entry(body).or_default() += 1,
                (500, _) => failed += 1,
                other => panic!("unexpected answer {other:?}"),
            }
        }
    }
    // Both hubs took connections; the storming one answered each with a
    // 500 (it went on), the other with its own answer.
    assert!(failed > 0, "no request reached the storming hub");
    assert_eq!(ok.len(), 1, "{ok:?}");
    assert_eq!(ok.values().sum::<usize>() + failed, 200);
    // And the calm hub still answers once the storm is over.
    let mut calm = 0;
    while calm < 5 {
        if get(addr, "/").unwrap().0 == 200 {
            calm += 1;
        }
    }
    handle.stop(Duration::from_secs(5));
}

#[green::test(timeout_ms = 40_000)]
fn stop_drains_every_hub_then_closes_the_port() {
    let entered = Arc::new(AtomicUsize::new(0));
    let started = entered.clone();
    let handle = Server::bind("127.0.0.1:0")
        .unwrap()
        .workers(2)
        .start(move || {
            let started = started.clone();
            move |_req: Request| {
                let started = started.clone();
                async move {
                    started.fetch_add(1, Ordering::Relaxed);
                    green::sleep(Duration::from_millis(400)).await;
                    Response::new(Body::from(format!("slept on hub {}", green::hub_index())))
                }
            }
        })
        .unwrap();
    let addr = handle.local_addr();
    let clients: Vec<_> = (0..24)
        .map(|_| green::spawn(move || get(addr, "/slow")))
        .collect();
    // Every request is in its handler, on both hubs, before the stop.
    let deadline = Instant::now() + Duration::from_secs(20);
    while entered.load(Ordering::Relaxed) < 24 {
        assert!(Instant::now() < deadline, "the requests never arrived");
        green::sleep(Duration::from_millis(5));
    }
    let busy = handle.connections_per_worker();
    assert!(busy.iter().all(|&n| n > 0), "{busy:?}");
    let stopping = Instant::now();
    handle.stop(Duration::from_secs(10));
    assert!(
        stopping.elapsed() < Duration::from_secs(9),
        "stop waited for the timeout"
    );
    assert_eq!(handle.connections(), 0);
    let mut per_hub: BTreeMap<String, usize> = BTreeMap::new();
    for result in green::joinall(clients) {
        let (status, body) = result.unwrap().unwrap();
        assert_eq!(status, 200);
        *per_hub.entry(body).or_default() += 1;
    }
    assert_eq!(
        per_hub.keys().cloned().collect::<Vec<_>>(),
        ["slept on hub 0", "slept on hub 1"],
        "{per_hub:?}"
    );
    assert!(TcpStream::connect(addr).is_err(), "the port is closed");
}

#[green::test(timeout_ms = 20_000)]
fn stop_kills_what_outlives_the_timeout_on_every_hub() {
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .workers(2)
        .start(|| |_stream: TcpStream, _peer: SocketAddr| green::sleep(Duration::from_secs(60)))
        .unwrap();
    let addr = handle.local_addr();
    let clients: Vec<_> = (0..16).map(|_| TcpStream::connect(addr).unwrap()).collect();
    while handle.connections() < 16 {
        green::sleep(Duration::from_millis(5));
    }
    let stopping = Instant::now();
    handle.stop(Duration::from_millis(100));
    assert!(stopping.elapsed() < Duration::from_secs(10));
    assert_eq!(handle.connections(), 0);
    // Each client sees its connection closed by the server.
    for mut client in clients {
        let mut rest = Vec::new();
        assert_eq!(client.read_to_end(&mut rest).unwrap_or(0), 0);
    }
    handle.stop(Duration::ZERO); // harmless twice
}

#[green::test(timeout_ms = 20_000)]
fn access_log_to_a_sink_of_one_hub_is_refused() {
    let error = Server::bind("127.0.0.1:0")
        .unwrap()
        .access_log_to(Vec::new())
        .workers(2)
        .start(|| which_hub)
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
}

#[green::test(timeout_ms = 20_000)]
fn a_hub_whose_factory_panics_leaves_the_others_serving() {
    let made = Arc::new(AtomicUsize::new(0));
    let handle =
        StreamServer::bind("127.0.0.1:0")
            .unwrap()
            .workers(2)
            .start(move || {
                if made.fetch_add(1, Ordering::Relaxed) == 0 {
                    panic!("this hub's handler cannot be made");
                }
                |mut stream: TcpStream, _peer: SocketAddr| async move {
                    stream.write_all(b"served").await
                }
            })
            .unwrap();
    // The failed hub's listener is closed: every connection reaches the
    // other hub (a client caught in the closed listener's queue retries).
    let mut served = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while served < 20 {
        assert!(Instant::now() < deadline, "only {served} served");
        let mut text = String::new();
        if let Ok(mut client) = TcpStream::connect(handle.local_addr()) {
            if client.read_to_string(&mut text).is_ok() && text == "served" {
                served += 1;
            }
        }
    }
    handle.stop(Duration::from_secs(1));
}

#[cfg(feature = "tls")]
#[green::test(timeout_ms = 40_000)]
fn two_worker_tls_server_shares_its_acceptor() {
    use green::compat::tls::{TlsAcceptor, TlsConnector, TlsStream};

    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert, key) = (made.cert.pem(), made.signing_key.serialize_pem());
    let acceptor = TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes()).unwrap();
    let handle = StreamServer::bind("127.0.0.1:0")
        .unwrap()
        .tls(acceptor)
        .workers(2)
        .start(|| {
            |mut stream: TlsStream<TcpStream>, _peer: SocketAddr| async move {
                let hub = format!("hub {}", green::hub_index());
                stream.write_all(hub.as_bytes()).await?;
                stream.shutdown().await
            }
        })
        .unwrap();
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    let mut per_hub: BTreeMap<String, usize> = BTreeMap::new();
    for _ in 0..40 {
        let tcp = TcpStream::connect(handle.local_addr()).unwrap();
        let mut tls = connector.connect("localhost", tcp).unwrap();
        let mut text = String::new();
        tls.read_to_string(&mut text).unwrap();
        *per_hub.entry(text).or_default() += 1;
    }
    handle.stop(Duration::from_secs(5));
    assert_eq!(
        per_hub.keys().cloned().collect::<Vec<_>>(),
        ["hub 0", "hub 1"],
        "{per_hub:?}"
    );
}
