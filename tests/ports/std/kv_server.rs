//! A line-protocol key-value server over TCP with the store behind
//! `Arc<RwLock<HashMap>>`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, RwLock};
use std::thread;

type Store = Arc<RwLock<HashMap<String, String>>>;

fn handle(stream: TcpStream, store: Store) {
    let mut out = stream.try_clone().unwrap();
    let reader = BufReader::new(stream);
    for line in reader.lines() {
        let line = line.unwrap();
        let mut parts = line.splitn(3, ' ');
        let reply = match (parts.next(), parts.next(), parts.next()) {
            (Some("SET"), Some(key), Some(value)) => {
                store
                    .write()
                    .unwrap()
                    .insert(key.to_string(), value.to_string());
                "OK".to_string()
            }
            (Some("GET"), Some(key), None) => match store.read().unwrap().get(key) {
                Some(value) => format!("VALUE {value}"),
                None => "NOT_FOUND".to_string(),
            },
            (Some("QUIT"), None, None) => break,
            _ => format!("ERROR unknown command {line:?}"),
        };
        writeln!(out, "{reply}").unwrap();
    }
}

fn session(addr: SocketAddr, commands: &[String]) -> Vec<String> {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut replies = Vec::new();
    for command in commands {
        writeln!(stream, "{command}").unwrap();
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        replies.push(format!("{command} -> {}", reply.trim_end()));
    }
    writeln!(stream, "QUIT").unwrap();
    replies
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let store: Store = Arc::new(RwLock::new(HashMap::new()));

    let server_store = Arc::clone(&store);
    let server = thread::spawn(move || {
        let mut handlers = Vec::new();
        for stream in listener.incoming().take(4) {
            let stream = stream.unwrap();
            let store = Arc::clone(&server_store);
            handlers.push(thread::spawn(move || handle(stream, store)));
        }
        for h in handlers {
            h.join().unwrap();
        }
    });

    let writers: Vec<_> = (0..2)
        .map(|w| {
            thread::spawn(move || {
                let commands: Vec<String> = (0..3)
                    .map(|k| format!("SET key{w}{k} value{}", w * 10 + k))
                    .collect();
                session(addr, &commands)
            })
        })
        .collect();
    let mut transcript = Vec::new();
    for w in writers {
        transcript.extend(w.join().unwrap());
    }

    let readers: Vec<_> = (0..2)
        .map(|r| {
            thread::spawn(move || {
                let commands = vec![
                    format!("GET key{r}1"),
                    "GET nothing".to_string(),
                    "DANCE".to_string(),
                ];
                session(addr, &commands)
            })
        })
        .collect();
    for r in readers {
        transcript.extend(r.join().unwrap());
    }
    server.join().unwrap();

    transcript.sort();
    for line in &transcript {
        println!("{line}");
    }
    let mut keys: Vec<_> = store.read().unwrap().keys().cloned().collect();
    keys.sort();
    println!("keys: {keys:?}");
}
