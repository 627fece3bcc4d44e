//! eventlet's `accept_loop.py` on green: an echo server whose accept loop
//! can be ended by a client. An empty line closes that client's
//! connection; a line starting with `shutdown` is echoed, then ends the
//! accept loop and every other open connection.
//!
//! As the original, the loop accepts with a half-second timeout and looks
//! at a `done` flag in between; the clients' tasks are kept in a `Group`
//! so that they can be ended together.
//!
//! ```text
//! cargo run --example eventlet_accept_loop -- [ADDR]   # default 127.0.0.1:6011
//! ```

use std::cell::Cell;
use std::io::Result;
use std::rc::Rc;
use std::time::Duration;

use green::compat::io::{BufRead, BufReader, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};

/// How often the accept loop looks at the `done` flag.
const POLL: Duration = Duration::from_millis(500);

/// One client: echo lines until an empty one; `shutdown` also sets `done`.
#[green::green]
pub(crate) fn handle_one_client(
    stream: TcpStream,
    addr: SocketAddr,
    done: Rc<Cell<bool>>,
) -> Result<()> {
    println!("accepted client {addr}");
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 && !line.trim().is_empty() {
        writer.write_all(line.as_bytes())?;
        if line.starts_with("shutdown") {
            println!("received shutdown");
            done.set(true);
            break;
        }
        line.clear();
    }
    println!("done with client {addr}");
    Ok(())
}

/// Accepts until a client says `shutdown`, then ends the clients still
/// connected and returns.
#[green::green]
pub(crate) fn run_accept_loop(listener: TcpListener) -> Result<()> {
    let done = Rc::new(Cell::new(false));
    let clients = green::Group::new();
    while !done.get() {
        match green::timeout(POLL, || listener.accept()) {
            Ok(Ok((stream, addr))) => {
                let done = done.clone();
                clients.spawn(move || handle_one_client(stream, addr, done));
            }
            Ok(Err(e)) => eprintln!("accept failed: {e}"),
            Err(_elapsed) => {} // look at the flag again
        }
    }
    // The original exits the process here; a green program ends its
    // clients' tasks, which closes their sockets.
    clients.kill();
    Ok(())
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:6011".to_owned());
    let listener = green::server::listen(addr.as_str())?;
    println!("echo server on {}", listener.local_addr()?);
    run_accept_loop(listener)?;
    println!("exiting");
    Ok(())
}
