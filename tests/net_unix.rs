//! `compat::os::unix::net` against `std::os::unix::net`: the same scenarios,
//! once with std in a thread and once with compat in green code, give the
//! same bytes and `ErrorKind`s; and the green parts block only their task.
#![cfg(unix)]

use std::io::{self, ErrorKind};
use std::net::Shutdown;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use green::compat::io::{BufRead as _, BufReader, Read as _, Write as _};
use green::compat::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("green-net-unix-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn kind<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => format!("{:?}", error.kind()),
    }
}

// --- stream echo -----------------------------------------------------------

/// Echo server and client over a socket file, with std on threads.
fn stream_echo_std(dir: &Path) -> Vec<String> {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::os::unix::net::{UnixListener, UnixStream};

    let mut log = Vec::new();
    let path = dir.join("echo.sock");
    log.push(format!(
        "connect missing {}",
        kind(UnixStream::connect(&path))
    ));
    let listener = UnixListener::bind(&path).unwrap();
    log.push(format!("bind again {}", kind(UnixListener::bind(&path))));
    let server = std::thread::spawn(move || {
        let (stream, peer) = listener.accept().unwrap();
        let unnamed = peer.is_unnamed();
        let mut writer = stream.try_clone().unwrap();
        let mut lines = 0;
        for line in BufReader::new(stream).lines() {
            writeln!(writer, "echo: {}", line.unwrap()).unwrap();
            lines += 1;
        }
        (unnamed, lines)
    });
    let mut client = UnixStream::connect(&path).unwrap();
    log.push(format!(
        "peer {:?}",
        client.peer_addr().unwrap().as_pathname().map(|p| p == path)
    ));
    let mut reader = BufReader::new(client.try_clone().unwrap());
    for word in ["one", "two", "three"] {
        client.write_all(format!("{word}\n").as_bytes()).unwrap();
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        log.push(format!("reply {reply:?}"));
    }
    client.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    log.push(format!("rest {}", reader.read_to_end(&mut rest).unwrap()));
    log.push(format!("server {:?}", server.join().unwrap()));
    log
}

#[green::green]
fn serve_lines(listener: UnixListener) -> io::Result<(bool, usize)> {
    let (stream, peer) = listener.accept()?;
    let unnamed = peer.is_unnamed();
    let mut writer = stream.try_clone()?;
    let mut lines = 0;
    for line in BufReader::new(stream).lines() {
        writeln!(writer, "echo: {}", line?)?;
        lines += 1;
    }
    Ok((unnamed, lines))
}

#[green::green]
fn stream_echo_green(dir: PathBuf) -> Vec<String> {
    let mut log = Vec::new();
    let path = dir.join("echo.sock");
    log.push(format!(
        "connect missing {}",
        kind(UnixStream::connect(&path))
    ));
    let listener = UnixListener::bind(&path).unwrap();
    log.push(format!("bind again {}", kind(UnixListener::bind(&path))));
    let server = green::spawn(move || serve_lines(listener));
    let mut client = UnixStream::connect(&path).unwrap();
    log.push(format!(
        "peer {:?}",
        client.peer_addr().unwrap().as_pathname().map(|p| p == path)
    ));
    let mut reader = BufReader::new(client.try_clone().unwrap());
    for word in ["one", "two", "three"] {
        client.write_all(format!("{word}\n").as_bytes()).unwrap();
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        log.push(format!("reply {reply:?}"));
    }
    client.shutdown(Shutdown::Write).unwrap();
    let mut rest = Vec::new();
    log.push(format!("rest {}", reader.read_to_end(&mut rest).unwrap()));
    log.push(format!("server {:?}", server.join().unwrap().unwrap()));
    log
}

#[test]
fn stream_echo_matches_std() {
    let std_dir = scratch("stream-std");
    let expected = {
        let dir = std_dir.clone();
        std::thread::spawn(move || stream_echo_std(&dir))
            .join()
            .unwrap()
    };
    let green_dir = scratch("stream-green");
    let got = green::run(stream_echo_green(green_dir.clone()));
    assert_eq!(got, expected);
    assert_eq!(
        expected,
        [
            "connect missing NotFound",
            "bind again AddrInUse",
            "peer Some(true)",
            "reply \"echo: one\\n\"",
            "reply \"echo: two\\n\"",
            "reply \"echo: three\\n\"",
            "rest 0",
            "server (true, 3)",
        ]
    );
    std::fs::remove_dir_all(std_dir).unwrap();
    std::fs::remove_dir_all(green_dir).unwrap();
}

// --- datagram pair ---------------------------------------------------------

fn datagram_std(dir: &Path) -> Vec<String> {
    use std::os::unix::net::UnixDatagram;

    let mut log = Vec::new();
    let (a, b) = UnixDatagram::pair().unwrap();
    a.send(b"first").unwrap();
    a.send(b"second, longer").unwrap();
    let mut buf = [0u8; 8];
    let n = b.recv(&mut buf).unwrap();
    log.push(format!("recv {:?}", &buf[..n]));
    let (n, from) = b.recv_from(&mut buf).unwrap();
    log.push(format!("cut {:?} {}", &buf[..n], from.is_unnamed()));
    log.push(format!(
        "peer of pair unnamed {}",
        a.peer_addr().unwrap().is_unnamed()
    ));

    let path = dir.join("server.sock");
    let server = UnixDatagram::bind(&path).unwrap();
    let client = UnixDatagram::unbound().unwrap();
    log.push(format!("unbound peer {}", kind(client.peer_addr())));
    log.push(format!("unbound send {}", kind(client.send(b"x"))));
    log.push(format!(
        "send_to {}",
        client.send_to(b"hello", &path).unwrap()
    ));
    let (n, from) = server.recv_from(&mut buf).unwrap();
    log.push(format!(
        "from unbound {:?} {}",
        &buf[..n],
        from.is_unnamed()
    ));
    log.push(format!(
        "send_to missing {}",
        kind(client.send_to(b"x", dir.join("missing.sock")))
    ));
    client.connect(&path).unwrap();
    client.send(b"connected").unwrap();
    let n = server.recv(&mut buf).unwrap();
    log.push(format!("connected {:?}", &buf[..n]));
    a.shutdown(Shutdown::Write).unwrap();
    log.push(format!("after shutdown {}", kind(a.send(b"x"))));
    log
}

#[green::green]
fn datagram_green(dir: PathBuf) -> Vec<String> {
    let mut log = Vec::new();
    let (a, b) = UnixDatagram::pair().unwrap();
    a.send(b"first").unwrap();
    a.send(b"second, longer").unwrap();
    let mut buf = [0u8; 8];
    let n = b.recv(&mut buf).unwrap();
    log.push(format!("recv {:?}", &buf[..n]));
    let (n, from) = b.recv_from(&mut buf).unwrap();
    log.push(format!("cut {:?} {}", &buf[..n], from.is_unnamed()));
    log.push(format!(
        "peer of pair unnamed {}",
        a.peer_addr().unwrap().is_unnamed()
    ));

    let path = dir.join("server.sock");
    let server = UnixDatagram::bind(&path).unwrap();
    let client = UnixDatagram::unbound().unwrap();
    log.push(format!("unbound peer {}", kind(client.peer_addr())));
    log.push(format!("unbound send {}", kind(client.send(b"x"))));
    log.push(format!(
        "send_to {}",
        client.send_to(b"hello", &path).unwrap()
    ));
    let (n, from) = server.recv_from(&mut buf).unwrap();
    log.push(format!(
        "from unbound {:?} {}",
        &buf[..n],
        from.is_unnamed()
    ));
    log.push(format!(
        "send_to missing {}",
        kind(client.send_to(b"x", dir.join("missing.sock")))
    ));
    client.connect(&path).unwrap();
    client.send(b"connected").unwrap();
    let n = server.recv(&mut buf).unwrap();
    log.push(format!("connected {:?}", &buf[..n]));
    a.shutdown(Shutdown::Write).unwrap();
    log.push(format!("after shutdown {}", kind(a.send(b"x"))));
    log
}

#[test]
fn datagram_pair_and_paths_match_std() {
    let std_dir = scratch("dgram-std");
    let expected = {
        let dir = std_dir.clone();
        std::thread::spawn(move || datagram_std(&dir))
            .join()
            .unwrap()
    };
    let green_dir = scratch("dgram-green");
    let got = green::run(datagram_green(green_dir.clone()));
    assert_eq!(got, expected);
    assert!(expected.contains(&"unbound peer NotConnected".to_owned()));
    assert!(expected.contains(&"send_to missing NotFound".to_owned()));
    std::fs::remove_dir_all(std_dir).unwrap();
    std::fs::remove_dir_all(green_dir).unwrap();
}

// --- green behaviour -------------------------------------------------------

#[green::green]
fn greet_each(listener: UnixListener, count: usize) -> io::Result<usize> {
    let mut served = 0;
    for stream in listener.incoming() {
        let mut stream = stream?;
        stream.write_all(format!("hello {served}").as_bytes())?;
        served += 1;
        if served == count {
            break;
        }
    }
    Ok(served)
}

#[green::green]
fn read_greeting(path: PathBuf) -> io::Result<String> {
    let mut stream = UnixStream::connect(&path)?;
    let mut text = String::new();
    stream.read_to_string(&mut text)?;
    Ok(text)
}

#[green::test(timeout_ms = 20_000)]
fn incoming_serves_concurrent_clients_in_a_for_loop() {
    let dir = scratch("incoming");
    let path = dir.join("greet.sock");
    let listener = UnixListener::bind(&path).unwrap();
    let server = green::spawn(move || greet_each(listener, 10));
    let clients: Vec<_> = (0..10)
        .map(|_| {
            let path = path.clone();
            green::spawn(move || read_greeting(path))
        })
        .collect();
    let mut greetings: Vec<String> = green::joinall(clients)
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    greetings.sort();
    let mut expected: Vec<String> = (0..10).map(|i| format!("hello {i}")).collect();
    expected.sort();
    assert_eq!(greetings, expected);
    assert_eq!(server.join().unwrap().unwrap(), 10);
    green::compat::fs::remove_dir_all(dir).unwrap();
}

#[green::test(timeout_ms = 20_000)]
fn a_blocked_read_blocks_only_its_task() {
    let (a, b) = UnixStream::pair().unwrap();
    let reader = green::spawn(move || async move {
        let mut buf = [0u8; 4];
        (&b).read_exact(&mut buf).await.map(|_| buf)
    });
    let start = Instant::now();
    let mut ticks = 0;
    while ticks < 5 {
        green::sleep(Duration::from_millis(10));
        ticks += 1;
    }
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(!reader.is_ready());
    (&a).write_all(b"done").unwrap();
    assert_eq!(&reader.join().unwrap().unwrap(), b"done");
}

#[green::test(timeout_ms = 20_000)]
fn a_hundred_datagram_receivers_wait_together() {
    let mut senders = Vec::new();
    let mut receivers = Vec::new();
    for i in 0..100u8 {
        let (a, b) = UnixDatagram::pair().unwrap();
        senders.push(a);
        receivers.push(green::spawn(move || async move {
            let mut buf = [0u8; 1];
            b.recv(&mut buf).await.map(|_| buf[0] == i)
        }));
    }
    green::sleep(Duration::from_millis(20));
    assert!(receivers.iter().all(|r| !r.is_ready()));
    for (i, sender) in senders.iter().enumerate() {
        sender.send(&[i as u8]).unwrap();
    }
    for result in green::joinall(receivers) {
        assert!(result.unwrap().unwrap());
    }
}

#[test]
fn sockets_made_off_a_hub_give_an_error_not_a_panic() {
    assert_eq!(UnixStream::pair().unwrap_err().kind(), ErrorKind::Other);
    assert_eq!(
        UnixDatagram::unbound().unwrap_err().kind(),
        ErrorKind::Other
    );
    let dir = scratch("off-hub");
    let error = UnixListener::bind(dir.join("x.sock")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Other);
    std::fs::remove_dir_all(dir).unwrap();
}
