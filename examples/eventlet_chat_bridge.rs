//! eventlet's `chat_bridge.py` on green: the hub that joins several chat
//! servers (`eventlet_distributed_websocket_chat`) into one conversation.
//! Publishers connect to the first address and send messages; subscribers
//! connect to the second and receive every message any publisher sent.
//!
//! The original is a ZeroMQ `FORWARDER` device: a SUB socket bound on one
//! address, subscribed to everything, whose messages a PUB socket bound on
//! the other sends on. green has no ZeroMQ, so this port speaks the
//! smallest protocol that does the same job over compat TCP: a message is
//! one line (the chat servers send one JSON object a line, so a message's
//! own newlines are escaped), every line read from any publisher is
//! written to every subscriber, and what a subscriber sends is ignored.
//! As ZeroMQ's PUB socket, the bridge never waits for a slow subscriber:
//! each has an outbox of [`HIGH_WATER`] lines written by its own green
//! task, and a line that finds it full is dropped for that subscriber
//! only. A subscriber that hangs up is forgotten; the others go on.
//!
//! ```text
//! cargo run --example eventlet_chat_bridge -- [IN_ADDR OUT_ADDR]
//! # defaults 127.0.0.1:12345 (publishers) and 127.0.0.1:12346 (subscribers)
//! ```

use std::cell::{Cell, RefCell};
use std::io::{ErrorKind, Result};
use std::rc::Rc;

use green::compat::io::{BufRead, BufReader, Read, Write};
use green::compat::net::TcpStream;
use green::server::{ServerHandle, StreamServer};

/// How many lines a subscriber's outbox holds before lines for it are
/// dropped (ZeroMQ's high-water mark is 1000 messages too).
pub(crate) const HIGH_WATER: usize = 1000;

/// The longest line a publisher may send; one that sends a longer one is
/// disconnected, so a peer cannot make the bridge buffer without bound.
pub(crate) const MAX_LINE: u64 = 64 * 1024;

/// A subscriber's lines waiting to be written to it.
type Outbox = green::Queue<Rc<[u8]>>;

/// The subscribers now connected, each with its outbox.
#[derive(Debug, Default)]
pub(crate) struct Bridge {
    subscribers: RefCell<Vec<(u64, Outbox)>>,
    next_id: Cell<u64>,
    forwarded: Cell<u64>,
}

impl Bridge {
    /// How many subscribers are connected.
    pub(crate) fn subscribers(&self) -> usize {
        self.subscribers.borrow().len()
    }

    /// How many lines publishers sent through the bridge.
    pub(crate) fn forwarded(&self) -> u64 {
        self.forwarded.get()
    }

    fn subscribe(&self) -> (u64, Outbox) {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let outbox = green::Queue::bounded(HIGH_WATER);
        self.subscribers.borrow_mut().push((id, outbox.clone()));
        (id, outbox)
    }

    fn unsubscribe(&self, id: u64) {
        let mut subscribers = self.subscribers.borrow_mut();
        if let Some(at) = subscribers.iter().position(|(other, _)| *other == id) {
            subscribers.remove(at).1.close();
        }
    }

    /// Puts `line` in every subscriber's outbox; never waits.
    fn forward(&self, line: Rc<[u8]>) {
        self.forwarded.set(self.forwarded.get() + 1);
        for (_, outbox) in self.subscribers.borrow().iter() {
            // Full: this subscriber is behind, and loses this line (PUB's
            // drop at the high-water mark). Closed: it is leaving.
            let _ = outbox.try_put(line.clone());
        }
    }
}

/// One publisher: forward each of its lines until it hangs up.
#[green::green]
pub(crate) fn publisher(bridge: Rc<Bridge>, stream: TcpStream) -> Result<()> {
    let mut lines = BufReader::new(stream).take(MAX_LINE);
    let mut line = Vec::new();
    loop {
        line.clear();
        lines.set_limit(MAX_LINE);
        lines.read_until(b'\n', &mut line)?;
        match line.last() {
            Some(b'\n') => bridge.forward(Rc::from(&line[..])),
            // The end, or a line cut short: the publisher left mid-message
            // or sent one over MAX_LINE. Either way it is done.
            None => return Ok(()),
            Some(_) if lines.limit() == 0 => {
                let e = format!("a line longer than {MAX_LINE} bytes");
                return Err(std::io::Error::new(ErrorKind::InvalidData, e));
            }
            Some(_) => return Ok(()),
        }
    }
}

/// One subscriber: write its outbox to it, while a second task notices
/// when it hangs up.
#[green::green]
pub(crate) fn subscriber(bridge: Rc<Bridge>, stream: TcpStream) -> Result<()> {
    let (id, outbox) = bridge.subscribe();
    let watched = stream.try_clone()?;
    let watcher = {
        let bridge = bridge.clone();
        KillOnDrop(green::spawn(move || watch(bridge, id, watched)))
    };
    let mut result = Ok(());
    while let Some(line) = outbox.next() {
        if let Err(e) = (&stream).write_all(&line) {
            result = Err(e);
            break;
        }
    }
    bridge.unsubscribe(id);
    // The watcher's work is done: the guard kills it as it goes.
    drop(watcher);
    match result {
        Err(e) if matches!(e.kind(), ErrorKind::BrokenPipe | ErrorKind::ConnectionReset) => Ok(()),
        other => other,
    }
}

/// Kills the watcher when the subscriber's writer ends, or is killed with
/// its server: the watcher holds a clone of the socket, which would
/// otherwise stay open until the peer hangs up.
struct KillOnDrop(green::Greenlet<()>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        self.0.kill_nowait();
    }
}

/// Reads (and ignores) what a subscriber sends until it hangs up, then
/// takes it off the bridge, which ends its writer.
#[green::green]
fn watch(bridge: Rc<Bridge>, id: u64, mut stream: TcpStream) {
    let mut ignored = [0u8; 512];
    while let Ok(1..) = stream.read(&mut ignored) {}
    bridge.unsubscribe(id);
}

/// The bridge at work: its subscribers and the two servers.
#[derive(Debug)]
pub(crate) struct Running {
    pub(crate) bridge: Rc<Bridge>,
    /// Where publishers connect (the original's SUB side).
    pub(crate) publishers: ServerHandle,
    /// Where subscribers connect (the original's PUB side).
    pub(crate) subscribers: ServerHandle,
}

/// Starts the bridge: publishers connect to `in_addr`, subscribers to
/// `out_addr`. Each side is a `StreamServer`, so a failing connection is
/// reported and the bridge goes on.
#[green::green]
pub(crate) fn start(in_addr: &str, out_addr: &str) -> Result<Running> {
    let bridge = Rc::new(Bridge::default());
    let publishers = {
        let bridge = bridge.clone();
        StreamServer::bind(in_addr)?.start(move |stream, _| publisher(bridge.clone(), stream))?
    };
    let subscribers = {
        let bridge = bridge.clone();
        StreamServer::bind(out_addr)?.start(move |stream, _| subscriber(bridge.clone(), stream))?
    };
    Ok(Running {
        bridge,
        publishers,
        subscribers,
    })
}

#[green::main]
fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let in_addr = args.next().unwrap_or_else(|| "127.0.0.1:12345".to_owned());
    let out_addr = args.next().unwrap_or_else(|| "127.0.0.1:12346".to_owned());
    let running = start(&in_addr, &out_addr)?;
    println!("Receiving on {}", running.publishers.local_addr());
    println!("Sending on {}", running.subscribers.local_addr());
    let bridge = running.bridge;
    loop {
        green::sleep(std::time::Duration::from_secs(60));
        let (forwarded, subscribers) = (bridge.forwarded(), bridge.subscribers());
        println!("{forwarded} messages forwarded so far; {subscribers} subscribers");
    }
}
