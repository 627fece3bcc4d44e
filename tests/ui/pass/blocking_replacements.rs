//! The replacements that the blocking std diagnostics name exist, under the
//! names given (see fail/blocking_std_families.stderr, fail/blocking_std_use.stderr).
#![allow(unused_imports)]

use green::compat::fs::{self, File};
use green::compat::io::{stderr, stdin, stdout};
use green::compat::net::{TcpListener, TcpStream, UdpSocket};
use green::compat::process::Command;
use green::compat::sync::mpsc::channel;
use green::compat::sync::{Barrier, Condvar, Mutex, RwLock, mpsc};
use green::compat::thread::sleep;

#[green::green]
fn replacements() -> std::io::Result<usize> {
    sleep(std::time::Duration::from_millis(1));
    let text = fs::read_to_string("Cargo.toml").unwrap_or_default();
    let _file = File::open("Cargo.toml");
    let _ = (stdin(), stdout(), stderr());
    let _mutex = Mutex::new(1);
    let _rwlock = RwLock::new(1);
    let _condvar = Condvar::new();
    let _barrier = Barrier::new(1);
    let (_tx, _rx) = channel::<u32>();
    let _command = Command::new("true");
    let _ = (
        TcpListener::bind("127.0.0.1:0")?,
        UdpSocket::bind("127.0.0.1:0")?,
    );
    Ok(text.len() + 1)
}

#[green::main]
fn main() {
    let _ = TcpStream::connect::<&str>;
    assert!(replacements().unwrap() > 0);
}
