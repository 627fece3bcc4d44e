//! `green::server::DatagramServer` and eventlet's `listen`/`connect`/`serve`
//! driven by real clients on 127.0.0.1.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use green::compat::io::{self, Read, Write};
use green::compat::net::{SocketAddr, TcpStream, UdpSocket};
use green::server::DatagramServer;

#[green::green]
fn echo(data: Vec<u8>, peer: SocketAddr, socket: UdpSocket) -> io::Result<usize> {
    socket.send_to(&data, peer)
}

#[green::test]
fn echoes_datagrams_byte_for_byte() {
    let handle = DatagramServer::bind("127.0.0.1:0")
        .unwrap()
        .start(echo)
        .unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.connect(handle.local_addr()).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = vec![0u8; 65_536];
    for size in [0usize, 1, 100, 1400, 8000, 60_000] {
        let data: Vec<u8> = (0..size).map(|i| (i * 7) as u8).collect();
        client.send(&data).unwrap();
        let n = client.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], &data[..], "{size} bytes");
    }
    handle.stop(Duration::from_secs(1));
}

#[green::test]
fn max_concurrency_bounds_the_handlers_and_failures_leave_it_running() {
    let running = Rc::new(Cell::new(0usize));
    let most = Rc::new(Cell::new(0usize));
    let (r, m) = (running.clone(), most.clone());
    let handler = move |data: Vec<u8>, peer: SocketAddr, socket: UdpSocket| {
        let (running, most) = (r.clone(), m.clone());
        async move {
            running.set(running.get() + 1);
            most.set(most.get().max(running.get()));
            green::sleep(Duration::from_millis(10)).await;
            running.set(running.get() - 1);
            match data.as_slice() {
                b"panic" => panic!("datagram handler blew up"),
                b"fail" => Err(io::Error::other("datagram handler gave up")),
                _ => socket.send_to(&data, peer).await.map(drop),
            }
        }
    };
    let handle = DatagramServer::bind("127.0.0.1:0")
        .unwrap()
        .max_concurrency(3)
        .start(handler)
        .unwrap();
    let client = UdpSocket::bind("127.0.0.1:0").unwrap();
    client.connect(handle.local_addr()).unwrap();
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    client.send(b"panic").unwrap();
    client.send(b"fail").unwrap();
    for i in 0..30u8 {
        client.send(&[i]).unwrap();
    }
    let mut got = Vec::new();
    let mut buf = [0u8; 8];
    for _ in 0..30 {
        let n = client.recv(&mut buf).unwrap();
        got.push(buf[..n][0]);
    }
    got.sort();
    assert_eq!(got, (0..30).collect::<Vec<u8>>());
    assert_eq!(most.get(), 3);
    handle.stop(Duration::from_secs(1));
    assert_eq!(handle.connections(), 0);
}

#[green::green]
fn hello(mut stream: TcpStream, peer: SocketAddr) -> io::Result<()> {
    write!(stream, "hello {peer}")
}

#[green::test]
fn eventlet_listen_connect_serve() {
    let listener = green::server::listen("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn(move || green::server::serve(listener, hello, 10));
    for _ in 0..5 {
        let mut stream = green::server::connect(addr).unwrap();
        let me = stream.local_addr().unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        assert_eq!(text, format!("hello {me}"));
    }
    server.kill();
    assert!(green::server::connect(addr).is_err());
}
