//! A job server: named handler threads per connection, a `Barrier` so the
//! clients start together, a stats thread fed by mpsc, and a shared
//! `Mutex<BTreeMap>` of totals.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

const CLIENTS: usize = 3;

enum Event {
    Job { client: String, words: usize },
    Closed(String),
}

fn serve(stream: TcpStream, name: String, events: Sender<Event>) {
    let mut out = stream.try_clone().unwrap();
    for line in BufReader::new(stream).lines() {
        let line = line.unwrap();
        let words = line.split_whitespace().count();
        writeln!(out, "{words}").unwrap();
        events
            .send(Event::Job {
                client: name.clone(),
                words,
            })
            .unwrap();
    }
    events.send(Event::Closed(name)).unwrap();
}

fn client(addr: SocketAddr, id: usize, start: Arc<Barrier>) -> usize {
    start.wait();
    let stream = TcpStream::connect(addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let mut total = 0;
    for job in 0..=id {
        writeln!(writer, "job {job} from client {id} {}", "word ".repeat(job)).unwrap();
        let mut reply = String::new();
        reader.read_line(&mut reply).unwrap();
        total += reply.trim().parse::<usize>().unwrap();
    }
    total
}

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let totals = Arc::new(Mutex::new(BTreeMap::new()));
    let (events_tx, events_rx) = mpsc::channel();

    let stats_totals = Arc::clone(&totals);
    let stats = thread::Builder::new()
        .name("stats".to_string())
        .spawn(move || {
            let mut closed = Vec::new();
            for event in events_rx {
                match event {
                    Event::Job { client, words } => {
                        *stats_totals.lock().unwrap().entry(client).or_insert(0) += words;
                    }
                    Event::Closed(client) => closed.push(client),
                }
            }
            closed.sort();
            closed
        })
        .unwrap();

    let start = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let start = Arc::clone(&start);
            thread::spawn(move || client(addr, id, start))
        })
        .collect();

    let mut handlers = Vec::new();
    for (n, stream) in listener.incoming().take(CLIENTS).enumerate() {
        let stream = stream.unwrap();
        let events = events_tx.clone();
        let name = format!("conn-{n}");
        let handler = thread::Builder::new()
            .name(name.clone())
            .spawn(move || serve(stream, name, events))
            .unwrap();
        handlers.push(handler);
    }
    drop(events_tx);

    let mut client_totals = Vec::new();
    for (id, c) in clients.into_iter().enumerate() {
        client_totals.push(format!("client {id} counted {} words", c.join().unwrap()));
    }
    for h in handlers {
        h.join().unwrap();
    }
    let closed = stats.join().unwrap();

    for line in &client_totals {
        println!("{line}");
    }
    println!("connections closed: {}", closed.len());
    let grand: usize = totals.lock().unwrap().values().sum();
    println!(
        "server counted {grand} words over {} connections",
        totals.lock().unwrap().len()
    );
}
