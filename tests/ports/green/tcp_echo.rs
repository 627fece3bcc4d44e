//! A TCP echo server handling each client on its own thread.

use green::compat::io::{self, Read, Write};
use green::compat::net::{Shutdown, TcpListener, TcpStream};
use green::compat::thread;

#[green::green]
fn echo(mut stream: TcpStream) -> io::Result<usize> {
    let mut buf = [0u8; 64];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(total);
        }
        stream.write_all(&buf[..n])?;
        total += n;
    }
}

#[green::green]
fn client(addr: std::net::SocketAddr, id: usize) -> io::Result<String> {
    let mut stream = TcpStream::connect(addr)?;
    let message = format!("hello from client {id}, ").repeat(id + 1);
    stream.write_all(message.as_bytes())?;
    stream.shutdown(Shutdown::Write)?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    Ok(format!(
        "client {id}: echoed {} bytes, same: {}",
        reply.len(),
        reply == message
    ))
}

#[green::main]
fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    const CLIENTS: usize = 4;

    let server = thread::spawn(move || {
        let mut handlers = Vec::new();
        for stream in listener.incoming().take(CLIENTS) {
            let stream = stream.unwrap();
            handlers.push(thread::spawn(move || echo(stream)));
        }
        let mut total = 0;
        for h in handlers {
            total += h.join().unwrap().unwrap();
        }
        total
    });

    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| thread::spawn(move || client(addr, id)))
        .collect();
    let mut lines = Vec::new();
    for c in clients {
        lines.push(c.join().unwrap()?);
    }
    lines.sort();
    for line in lines {
        println!("{line}");
    }
    println!("server echoed {} bytes", server.join().unwrap());
    Ok(())
}
