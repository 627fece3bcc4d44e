//! A single-threaded chat server polling non-blocking sockets: accept and
//! read until `WouldBlock`, then sleep a little and poll again.

use green::compat::io::{self, BufRead, BufReader, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};
use green::compat::thread;
use green::compat::time::Duration;

const CLIENTS: usize = 3;

struct Client {
    id: usize,
    stream: TcpStream,
    pending: Vec<u8>,
    open: bool,
}

#[green::green]
fn run_client(addr: SocketAddr, me: usize) -> Vec<String> {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    stream
        .write_all(format!("message from client {me}\n").as_bytes())
        .unwrap();

    let mut heard = Vec::new();
    for _ in 0..CLIENTS - 1 {
        line.clear();
        reader.read_line(&mut line).unwrap();
        heard.push(line.trim_end().to_string());
    }
    heard
}

#[green::main]
fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;

    let handles: Vec<_> = (0..CLIENTS)
        .map(|me| thread::spawn(move || run_client(addr, me)))
        .collect();

    let mut clients: Vec<Client> = Vec::new();
    let mut next_id = 0;
    let mut idle_polls = 0u64;
    let mut buf = [0u8; 256];

    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                stream.set_nonblocking(true)?;
                clients.push(Client {
                    id: next_id,
                    stream,
                    pending: Vec::new(),
                    open: true,
                });
                next_id += 1;
                if next_id == CLIENTS {
                    for c in &mut clients {
                        c.stream.write_all(b"ready\n")?;
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }

        let mut lines = Vec::new();
        for c in clients.iter_mut().filter(|c| c.open) {
            loop {
                match c.stream.read(&mut buf) {
                    Ok(0) => {
                        c.open = false;
                        break;
                    }
                    Ok(n) => c.pending.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e),
                }
            }
            while let Some(pos) = c.pending.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = c.pending.drain(..=pos).collect();
                lines.push((c.id, String::from_utf8_lossy(&line).trim_end().to_string()));
            }
        }

        for (from, line) in lines {
            for c in clients.iter_mut().filter(|c| c.open && c.id != from) {
                c.stream.set_nonblocking(false)?;
                writeln!(c.stream, "{line} (via server)")?;
                c.stream.set_nonblocking(true)?;
            }
        }

        if next_id == CLIENTS && clients.iter().all(|c| !c.open) {
            break;
        }
        idle_polls += 1;
        thread::sleep(Duration::from_millis(1));
    }

    let mut heard = Vec::new();
    for handle in handles {
        heard.extend(handle.join().unwrap());
    }
    heard.sort();
    for line in heard {
        println!("{line}");
    }
    println!("polled more than once: {}", idle_polls > 1);
    Ok(())
}
