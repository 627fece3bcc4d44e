//! `compat::tls` on loopback with certificates made by rcgen: green TLS
//! servers and clients talking, and every failure an `io::Error`, never a
//! panic (untrusted roots, wrong names, bad PEM).

use std::io::ErrorKind;
use std::time::Duration;

use green::compat::io::{self, BufRead as _, Read as _, Write as _};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};
use green::compat::os::unix::net::UnixStream;
use green::compat::tls::{TlsAcceptor, TlsConnector, TlsStream};

/// A self-signed certificate for `names`: (certificate PEM, key PEM).
fn certificate(names: &[&str]) -> (String, String) {
    let names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    let made = rcgen::generate_simple_self_signed(names).unwrap();
    (made.cert.pem(), made.signing_key.serialize_pem())
}

fn acceptor(cert: &str, key: &str) -> TlsAcceptor {
    TlsAcceptor::from_pem(cert.as_bytes(), key.as_bytes()).unwrap()
}

#[green::green]
fn echo_lines(mut tls: TlsStream<TcpStream>) -> io::Result<usize> {
    let mut lines = 0;
    let mut line = String::new();
    while tls.read_line(&mut line)? > 0 {
        tls.write_all(format!("echo: {line}").as_bytes())?;
        line.clear();
        lines += 1;
    }
    tls.shutdown()?;
    Ok(lines)
}

/// Accepts `count` connections, a task each; gives each one's result.
#[green::green]
fn serve(listener: TcpListener, acceptor: TlsAcceptor, count: usize) -> Vec<io::Result<usize>> {
    let mut handlers = Vec::new();
    for _ in 0..count {
        let (tcp, _) = listener.accept().unwrap();
        let acceptor = acceptor.clone();
        handlers.push(green::spawn(move || async move {
            let tls = acceptor.accept(tcp).await?;
            echo_lines(tls).await
        }));
    }
    green::joinall(handlers)
        .into_iter()
        .map(|joined| joined.unwrap())
        .collect()
}

#[green::green]
fn client(addr: SocketAddr, roots: String, id: usize) -> io::Result<Vec<String>> {
    let connector = TlsConnector::from_root_pem(roots.as_bytes())?;
    let tcp = TcpStream::connect(addr)?;
    let mut tls = connector.connect("localhost", tcp)?;
    let mut replies = Vec::new();
    for round in 0..3 {
        writeln!(tls, "client {id} round {round}")?;
        let mut reply = String::new();
        tls.read_line(&mut reply)?;
        replies.push(reply);
    }
    tls.shutdown()?;
    let mut rest = Vec::new();
    tls.read_to_end(&mut rest)?;
    assert!(rest.is_empty(), "the server sent more than asked");
    Ok(replies)
}

#[green::test(timeout_ms = 60_000)]
fn green_server_and_clients_round_trip() {
    let (cert, key) = certificate(&["localhost"]);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn({
        let acceptor = acceptor(&cert, &key);
        move || serve(listener, acceptor, 5)
    });
    let clients: Vec<_> = (0..5)
        .map(|id| {
            let roots = cert.clone();
            green::spawn(move || client(addr, roots, id))
        })
        .collect();
    for (id, joined) in green::joinall(clients).into_iter().enumerate() {
        let replies = joined.unwrap().unwrap();
        let expected: Vec<String> = (0..3)
            .map(|round| format!("echo: client {id} round {round}\n"))
            .collect();
        assert_eq!(replies, expected);
    }
    let served = server.join().unwrap();
    assert_eq!(served.len(), 5);
    for result in served {
        assert_eq!(result.unwrap(), 3);
    }
}

/// One server handshake on `listener`; gives its result.
#[green::green]
fn accept_one(listener: TcpListener, acceptor: TlsAcceptor) -> io::Result<()> {
    let (tcp, _) = listener.accept()?;
    let mut tls = acceptor.accept(tcp)?;
    tls.write_all(b"secret")
}

#[green::test(timeout_ms = 30_000)]
fn a_client_trusting_another_root_fails_with_an_error() {
    let (cert, key) = certificate(&["localhost"]);
    let (other_root, _) = certificate(&["localhost"]);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn({
        let acceptor = acceptor(&cert, &key);
        move || accept_one(listener, acceptor)
    });

    let connector = TlsConnector::from_root_pem(other_root.as_bytes()).unwrap();
    let tcp = TcpStream::connect(addr).unwrap();
    let error = connector.connect("localhost", tcp).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    assert!(
        error.to_string().contains("certificate"),
        "unexpected message: {error}"
    );
    // The server sees the client's refusal as an error too, not a panic.
    let server_error = server.join().unwrap().unwrap_err();
    assert_eq!(
        server_error.kind(),
        ErrorKind::InvalidData,
        "{server_error}"
    );
}

#[green::test(timeout_ms = 30_000)]
fn a_certificate_for_another_name_fails_with_an_error() {
    let (cert, key) = certificate(&["example.invalid"]);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = green::spawn({
        let acceptor = acceptor(&cert, &key);
        move || accept_one(listener, acceptor)
    });
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    let error = connector
        .connect("localhost", TcpStream::connect(addr).unwrap())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    assert!(server.join().unwrap().is_err());
}

#[green::test(timeout_ms = 30_000)]
fn bad_server_names_give_invalid_input() {
    let (cert, _) = certificate(&["localhost"]);
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    for name in ["", "bad name", "no/slashes", "..", "trailing-dot.."] {
        let (stream, _) = UnixStream::pair().unwrap();
        let error = connector.connect(name, stream).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{name:?}: {error}");
    }
}

#[test]
fn bad_pem_gives_invalid_data() {
    let (cert, key) = certificate(&["localhost"]);
    let (other_cert, other_key) = certificate(&["localhost"]);
    let garbage = b"-----BEGIN CERTIFICATE-----\n%%% not base64 %%%\n-----END CERTIFICATE-----\n";
    let unterminated = b"-----BEGIN CERTIFICATE-----\nMIIB\n";

    for roots in [&b""[..], b"hello", garbage, unterminated, key.as_bytes()] {
        let error = TlsConnector::from_root_pem(roots).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    }
    for (chain, private_key) in [
        (&b""[..], key.as_bytes()),
        (garbage, key.as_bytes()),
        (cert.as_bytes(), b""),
        (cert.as_bytes(), cert.as_bytes()),
        (
            cert.as_bytes(),
            b"-----BEGIN PRIVATE KEY-----\n@@@\n-----END PRIVATE KEY-----\n",
        ),
        // A key that does not match the certificate.
        (cert.as_bytes(), other_key.as_bytes()),
    ] {
        let error = TlsAcceptor::from_pem(chain, private_key).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    }
    // A DER certificate that is not one: valid PEM, broken content.
    let not_der = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let error = TlsConnector::from_root_pem(not_der).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidData, "{error}");
    // The good ones pass.
    TlsConnector::from_root_pem(format!("{cert}{other_cert}").as_bytes()).unwrap();
    TlsAcceptor::from_pem(other_cert.as_bytes(), other_key.as_bytes()).unwrap();
    TlsConnector::new().unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn tls_works_over_a_unix_stream_too() {
    let (cert, key) = certificate(&["localhost"]);
    let (client_side, server_side) = UnixStream::pair().unwrap();
    let acceptor = acceptor(&cert, &key);
    let server = green::spawn(move || async move {
        let mut tls = acceptor.accept(server_side).await?;
        let mut request = String::new();
        tls.read_to_string(&mut request).await?;
        tls.write_all(request.to_uppercase().as_bytes()).await?;
        tls.shutdown().await
    });
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    let mut tls = connector.connect("localhost", client_side).unwrap();
    tls.write_all(b"over unix").unwrap();
    // Half close: close_notify ends the server's read_to_string.
    tls.shutdown().unwrap();
    let mut reply = String::new();
    tls.read_to_string(&mut reply).unwrap();
    assert_eq!(reply, "OVER UNIX");
    server.join().unwrap().unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn a_peer_vanishing_without_close_notify_is_unexpected_eof() {
    let (cert, key) = certificate(&["localhost"]);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = acceptor(&cert, &key);
    let server = green::spawn(move || async move {
        let (tcp, _) = listener.accept().await?;
        let mut tls = acceptor.accept(tcp).await?;
        tls.write_all(b"partial").await?;
        // Dropped without shutdown: the TCP connection just closes.
        io::Result::Ok(())
    });
    let connector = TlsConnector::from_root_pem(cert.as_bytes()).unwrap();
    let mut tls = connector
        .connect("localhost", TcpStream::connect(addr).unwrap())
        .unwrap();
    server.join().unwrap().unwrap();
    let mut buf = [0u8; 7];
    tls.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"partial");
    let error = tls.read(&mut buf).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
}

#[green::test(timeout_ms = 30_000)]
fn a_silent_client_can_be_timed_out_and_the_hub_goes_on() {
    let (cert, key) = certificate(&["localhost"]);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    // A client that connects and never speaks TLS.
    let _silent = TcpStream::connect(addr).unwrap();
    let (tcp, _) = listener.accept().unwrap();
    let acceptor = acceptor(&cert, &key);
    let outcome = green::timeout(Duration::from_millis(100), move || async move {
        acceptor.accept(tcp).await.map(drop)
    });
    assert!(outcome.is_err(), "the handshake should have timed out");
}
