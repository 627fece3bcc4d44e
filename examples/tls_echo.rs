//! A green TLS echo server and its clients on 127.0.0.1: gevent's
//! `ssl.wrap_socket`, written as plain blocking-looking code.
//!
//! A certificate for "localhost" is made at start (rcgen); the server wraps
//! each accepted TCP connection with a `TlsAcceptor` in a green task of its
//! own, the clients trust that certificate alone through a `TlsConnector`,
//! and the program checks every echoed line and exits 0.
//!
//! ```text
//! cargo run --example tls_echo
//! ```

use std::io::{Error, ErrorKind, Result};

use green::compat::io::{BufRead, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};
use green::compat::tls::{TlsAcceptor, TlsConnector, TlsStream};

const CLIENTS: usize = 3;
const ROUNDS: usize = 4;

/// Echoes each line back until the client closes; gives the line count.
#[green::green]
fn handle(mut tls: TlsStream<TcpStream>) -> Result<usize> {
    let mut lines = 0;
    let mut line = String::new();
    while tls.read_line(&mut line)? > 0 {
        tls.write_all(line.as_bytes())?;
        line.clear();
        lines += 1;
    }
    tls.shutdown()?;
    Ok(lines)
}

/// Accepts `count` connections, one green task each.
#[green::green]
fn serve(listener: TcpListener, acceptor: TlsAcceptor, count: usize) -> Result<usize> {
    let mut handlers = Vec::new();
    for stream in listener.incoming() {
        let tcp = stream?;
        let peer = tcp.peer_addr()?;
        let acceptor = acceptor.clone();
        handlers.push(green::spawn(move || async move {
            let tls = acceptor.accept(tcp).await?;
            let lines = handle(tls).await?;
            println!("server: {peer} sent {lines} lines");
            Result::Ok(lines)
        }));
        if handlers.len() == count {
            break;
        }
    }
    let mut total = 0;
    for handler in handlers {
        total += handler
            .join()
            .map_err(|error| Error::other(error.to_string()))??;
    }
    Ok(total)
}

/// Sends `ROUNDS` lines and checks that each comes back unchanged.
#[green::green]
fn client(addr: SocketAddr, connector: TlsConnector, id: usize) -> Result<()> {
    let mut tls = connector.connect("localhost", TcpStream::connect(addr)?)?;
    for round in 0..ROUNDS {
        let sent = format!("client {id}, round {round}\n");
        tls.write_all(sent.as_bytes())?;
        let mut echoed = String::new();
        tls.read_line(&mut echoed)?;
        if echoed != sent {
            return Err(Error::new(
                ErrorKind::InvalidData,
                format!("sent {sent:?}, got back {echoed:?}"),
            ));
        }
    }
    tls.shutdown()?;
    println!("client {id}: {ROUNDS} round trips verified");
    Ok(())
}

#[green::main]
fn main() -> Result<()> {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .map_err(|error| Error::other(error.to_string()))?;
    let cert_pem = made.cert.pem();
    let key_pem = made.signing_key.serialize_pem();

    let acceptor = TlsAcceptor::from_pem(cert_pem.as_bytes(), key_pem.as_bytes())?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    println!("TLS echo server on {addr}");
    let server = green::spawn(move || serve(listener, acceptor, CLIENTS));

    let connector = TlsConnector::from_root_pem(cert_pem.as_bytes())?;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let connector = connector.clone();
            green::spawn(move || client(addr, connector, id))
        })
        .collect();
    for joined in green::joinall(clients) {
        joined.map_err(|error| Error::other(error.to_string()))??;
    }
    let lines = server
        .join()
        .map_err(|error| Error::other(error.to_string()))??;
    if lines != CLIENTS * ROUNDS {
        return Err(Error::other(format!(
            "the server echoed {lines} lines, not {}",
            CLIENTS * ROUNDS
        )));
    }
    println!("ok: {lines} lines echoed over TLS");
    Ok(())
}
