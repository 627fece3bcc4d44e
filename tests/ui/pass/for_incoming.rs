//! `for stream in listener.incoming()`: compat's green iterator in a `for` loop.
use green::compat::io::{Read, Write};
use green::compat::net::{TcpListener, TcpStream};

#[green::green]
fn serve(listener: TcpListener, clients: usize) -> std::io::Result<usize> {
    let mut served = 0;
    for stream in listener.incoming() {
        let mut stream = stream?;
        stream.write_all(b"hi\n")?;
        served += 1;
        if served == clients {
            break;
        }
    }
    Ok(served)
}

#[green::main]
fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = green::spawn(move || serve(listener, 2));
    for _ in 0..2 {
        let mut reply = String::new();
        TcpStream::connect(addr)?.read_to_string(&mut reply)?;
        assert_eq!(reply, "hi\n");
    }
    assert_eq!(server.join().unwrap()?, 2);
    Ok(())
}
