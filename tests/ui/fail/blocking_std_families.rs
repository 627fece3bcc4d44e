//! Each family of blocking std items, fully spelled in a green body, names
//! its `green::compat` replacement.
use std::time::Duration;

#[green::green]
fn every_family() -> std::io::Result<()> {
    std::thread::sleep(Duration::from_millis(1));
    let _stream = std::net::TcpStream::connect("127.0.0.1:1")?;
    let _listener = ::std::net::TcpListener::bind("127.0.0.1:0")?;
    let _socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
    let _text = std::fs::read_to_string("Cargo.toml")?;
    let _file = std::fs::File::open("Cargo.toml")?;
    let _input = std::io::stdin();
    let _output = std::io::stdout();
    let _errors = std::io::stderr();
    let _child = std::process::Command::new("true").status()?;
    let _mutex = std::sync::Mutex::new(1);
    let _rwlock: std::sync::RwLock<u32> = Default::default();
    let _condvar = std::sync::Condvar::new();
    let _barrier = std::sync::Barrier::new(1);
    let (_tx, _rx) = std::sync::mpsc::channel::<u32>();
    // Plain std items pass: values, `Arc`, metadata types.
    let _shared = std::sync::Arc::new(1);
    let _kind: Option<std::fs::FileType> = None;
    Ok(())
}

fn main() {}
