use green::compat::io::Read;
use green::compat::net::TcpStream;

// A fn that reads but was not marked `#[green]`.
fn read_some(stream: &mut TcpStream) -> usize {
    let mut buf = [0u8; 16];
    stream.read(&mut buf).unwrap()
}

// A plain closure doing green work, in a plain fn.
fn lengths(streams: &mut [TcpStream]) -> Vec<usize> {
    let mut buf = [0u8; 16];
    streams.iter_mut().map(|s| s.read(&mut buf).map_err(|e| e.kind()).unwrap_or(0)).collect()
}

// A statement-only green call: a warning naming the fix.
#[deny(unused_must_use)]
fn greet(stream: &mut TcpStream) {
    use green::compat::io::Write;
    stream.write_all(b"hello");
}

fn main() {}
