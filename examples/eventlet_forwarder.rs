//! eventlet's `forwarder.py` on green: forwards each connection on one
//! port to another address, with two one-way copies, and calls a callback
//! when the client's side closes — a start for doing something more
//! interesting with the bytes on their way.
//!
//! ```text
//! cargo run --example eventlet_forwarder -- [LISTEN] [DEST]   # 127.0.0.1:7000 127.0.0.1:22
//! ```

use std::io::Result;
use std::net::Shutdown;
use std::rc::Rc;

use green::compat::io::{Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};

/// Copies bytes from `source` to `dest` until `source` ends, then passes
/// the end on and calls `on_closed`.
#[green::green]
pub(crate) fn forward(mut source: TcpStream, mut dest: TcpStream, on_closed: Rc<dyn Fn()>) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        match source.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if dest.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = dest.shutdown(Shutdown::Write);
    on_closed();
}

/// Accepts for ever; each client gets a connection to `dest` and two
/// forwarding tasks, `on_closed` called when the client's side ends.
#[green::green]
pub(crate) fn serve(
    listener: TcpListener,
    dest: SocketAddr,
    on_closed: Rc<dyn Fn()>,
) -> Result<()> {
    loop {
        let (client, _) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        let server = match green::server::connect(dest) {
            Ok(server) => server,
            Err(e) => {
                eprintln!("cannot reach {dest}: {e}");
                continue; // dropping `client` hangs up on it
            }
        };
        // Two one-way forwarders make a two-way one.
        let (client_in, server_out) = (client.try_clone()?, server.try_clone()?);
        let on_closed = on_closed.clone();
        green::spawn(move || forward(client_in, server_out, on_closed));
        green::spawn(move || forward(server, client, Rc::new(|| ())));
    }
}

#[green::main]
fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:7000".to_owned());
    let dest: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:22".to_owned())
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let listener = green::server::listen(listen.as_str())?;
    println!("forwarding {} to {dest}", listener.local_addr()?);
    serve(listener, dest, Rc::new(|| println!("called back")))
}
