//! compat never blocks the hub for name lookups: 100 green tasks resolving
//! "localhost" through `compat::net::ToSocketAddrs` (and connecting with a
//! `("localhost", port)` address) run their lookups at once, off the hub.
//! The other scenarios of the issue live beside their modules:
//! fs_concurrency.rs, process_concurrency.rs, sync_mpsc.rs,
//! net_udp_timeout.rs and net_tcp_timeout.rs.

use std::io;
use std::time::{Duration, Instant};

use green::compat::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};

#[green::green]
fn resolve_localhost(port: u16) -> io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = ("localhost", port).to_socket_addrs()?.collect();
    Ok(addrs)
}

#[green::test(timeout_ms = 60_000)]
fn hundred_localhost_lookups_run_together_off_the_hub() {
    // One lookup alone (warm: the resolver has read its files).
    resolve_localhost(80).unwrap();
    let start = Instant::now();
    let one = resolve_localhost(80).unwrap();
    let single = start.elapsed();
    assert!(!one.is_empty());
    assert!(one.iter().all(|addr| addr.ip().is_loopback()), "{one:?}");

    let start = Instant::now();
    let lookups: Vec<_> = (0..100u16)
        .map(|port| green::spawn(move || resolve_localhost(8000 + port)))
        .collect();
    for (port, lookup) in (0..100u16).zip(lookups) {
        let addrs = lookup.join().unwrap().unwrap();
        assert!(!addrs.is_empty());
        assert!(
            addrs
                .iter()
                .all(|addr| addr.ip().is_loopback() && addr.port() == 8000 + port)
        );
    }
    let elapsed = start.elapsed();

    // A small multiple of one lookup (with room for a noisy machine), not
    // 100 of them one after the other on the hub.
    let bound = (single * 20).max(Duration::from_millis(500));
    assert!(elapsed < bound, "100 lookups {elapsed:?}, one {single:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
}

#[green::green]
fn connect_by_name(port: u16) -> io::Result<SocketAddr> {
    let stream = TcpStream::connect(("localhost", port))?;
    stream.peer_addr()
}

#[green::test(timeout_ms = 60_000)]
fn hundred_tasks_connect_to_localhost_by_name() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let start = Instant::now();
    let clients: Vec<_> = (0..100)
        .map(|_| green::spawn(move || connect_by_name(addr.port())))
        .collect();
    let mut accepted = Vec::new();
    for _ in 0..100 {
        accepted.push(listener.accept().unwrap().0);
    }
    for client in clients {
        assert_eq!(client.join().unwrap().unwrap(), addr);
    }
    assert!(start.elapsed() < Duration::from_millis(2500));
}
