//! eventlet's `chat_server.py` on green: every line a participant sends is
//! written to every other participant (not back to the sender). One green
//! task per participant reads its lines; the set of participants is shared
//! by plain `Rc<RefCell<..>>`, as green tasks of one hub need no lock.
//!
//! ```text
//! cargo run --example chat_server -- [ADDR]   # default 127.0.0.1:3001
//! nc 127.0.0.1 3001    # in two or more shells
//! ```

use std::cell::{Cell, RefCell};
use std::io::{ErrorKind, Result};
use std::rc::Rc;

use green::compat::io::{BufRead, BufReader, Write};
use green::compat::net::{TcpListener, TcpStream};

/// The participants: each one's id and the socket to write to.
#[derive(Debug, Default)]
pub(crate) struct Chat {
    participants: RefCell<Vec<(u64, Rc<TcpStream>)>>,
    next_id: Cell<u64>,
}

impl Chat {
    /// How many are in the chat now.
    pub(crate) fn participants(&self) -> usize {
        self.participants.borrow().len()
    }

    fn join(&self, stream: Rc<TcpStream>) -> u64 {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.participants.borrow_mut().push((id, stream));
        id
    }

    fn leave(&self, id: u64) {
        self.participants
            .borrow_mut()
            .retain(|(other, _)| *other != id);
    }

    /// Writes `line` to everyone but `from`.
    #[green::green]
    fn broadcast(&self, from: u64, line: &[u8]) -> Result<()> {
        // A copy of the list: writing waits, and others may join or leave
        // meanwhile.
        let others: Vec<Rc<TcpStream>> = self
            .participants
            .borrow()
            .iter()
            .filter(|(id, _)| *id != from)
            .map(|(_, stream)| stream.clone())
            .collect();
        for stream in others {
            match (&*stream).write_all(line) {
                // A broken pipe only means that participant left already.
                Err(e) if e.kind() == ErrorKind::BrokenPipe => {}
                Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
                other => other?,
            }
        }
        Ok(())
    }
}

/// One participant: pass each of its lines on until it hangs up.
#[green::green]
pub(crate) fn read_chat_forever(chat: Rc<Chat>, id: u64, reader: TcpStream) -> Result<()> {
    let mut reader = BufReader::new(reader);
    let mut line = Vec::new();
    let result = loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break Ok(()),
            Ok(_) => {
                println!("chat: {}", String::from_utf8_lossy(line.trim_ascii_end()));
                if let Err(e) = chat.broadcast(id, &line) {
                    break Err(e);
                }
            }
            Err(e) => break Err(e),
        }
    };
    chat.leave(id);
    println!("participant left chat");
    result
}

/// Accepts participants for ever.
#[green::green]
pub(crate) fn serve(listener: TcpListener, chat: Rc<Chat>) -> Result<()> {
    loop {
        let (stream, _) = match listener.accept() {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        let reader = stream.try_clone()?;
        let id = chat.join(Rc::new(stream));
        println!("participant joined chat ({} in it)", chat.participants());
        let chat = chat.clone();
        green::spawn(move || read_chat_forever(chat, id, reader));
    }
}

#[green::main]
fn main() -> Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3001".to_owned());
    let listener = green::server::listen(addr.as_str())?;
    println!("chat server starting up on {}", listener.local_addr()?);
    serve(listener, Rc::new(Chat::default()))
}
