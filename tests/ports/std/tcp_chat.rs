//! A line-based chat server: every line a client sends is broadcast to the
//! other clients through `Arc<Mutex<Vec<TcpStream>>>` and `try_clone`.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

const CLIENTS: usize = 3;

type Peers = Arc<Mutex<Vec<(usize, TcpStream)>>>;

fn broadcast(peers: &Peers, from: usize, nick: &str, line: &str) {
    let mut peers = peers.lock().unwrap();
    for (id, stream) in peers.iter_mut() {
        if *id != from {
            writeln!(stream, "{nick}: {line}").unwrap();
        }
    }
}

fn serve_client(id: usize, stream: TcpStream, peers: Peers) {
    let mut lines = BufReader::new(stream).lines();
    let nick = match lines.next() {
        Some(Ok(nick)) => nick,
        _ => return,
    };
    for line in lines {
        let line = match line {
            Ok(line) => line,
            Err(_) => break,
        };
        broadcast(&peers, id, &nick, &line);
    }
    peers.lock().unwrap().retain(|(peer, _)| *peer != id);
}

fn chat_client(addr: SocketAddr, me: usize) -> Vec<String> {
    let stream = TcpStream::connect(addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);

    let mut welcome = String::new();
    reader.read_line(&mut welcome).unwrap();
    assert_eq!(welcome.trim_end(), "welcome");

    writeln!(writer, "user{me}").unwrap();
    writeln!(writer, "hello from {me}").unwrap();
    writer.flush().unwrap();

    let mut heard = Vec::new();
    let mut line = String::new();
    while heard.len() < CLIENTS - 1 {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        heard.push(line.trim_end().to_string());
    }
    heard.sort();
    heard
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peers: Peers = Arc::new(Mutex::new(Vec::new()));

    let clients: Vec<_> = (0..CLIENTS)
        .map(|me| thread::spawn(move || chat_client(addr, me)))
        .collect();

    let mut accepted = Vec::new();
    for (id, stream) in listener.incoming().take(CLIENTS).enumerate() {
        let stream = stream.unwrap();
        peers
            .lock()
            .unwrap()
            .push((id, stream.try_clone().unwrap()));
        accepted.push((id, stream));
    }
    for (_, stream) in peers.lock().unwrap().iter_mut() {
        stream.write_all(b"welcome\n").unwrap();
    }

    let handlers: Vec<_> = accepted
        .into_iter()
        .map(|(id, stream)| {
            let peers = Arc::clone(&peers);
            thread::spawn(move || serve_client(id, stream, peers))
        })
        .collect();

    let mut transcripts = Vec::new();
    for client in clients {
        transcripts.push(client.join().unwrap());
    }
    for handler in handlers {
        handler.join().unwrap();
    }

    let mut all: Vec<String> = transcripts.into_iter().flatten().collect();
    all.sort();
    for line in &all {
        println!("{line}");
    }
    println!("peers left: {}", peers.lock().unwrap().len());
}
