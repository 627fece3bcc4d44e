//! An echo server on a Unix socket whose path lives in the temp dir.

use green::compat::fs;
use green::compat::io::{BufRead, BufReader, Write};
use green::compat::os::unix::net::{UnixListener, UnixStream};
use green::compat::thread;
use std::path::PathBuf;

fn socket_path() -> PathBuf {
    std::env::temp_dir().join(format!("green-ports-unix-echo-{}.sock", std::process::id()))
}

#[green::green]
fn handle(stream: UnixStream) -> usize {
    let mut writer = stream.try_clone().unwrap();
    let mut count = 0;
    for line in BufReader::new(stream).lines() {
        let line = line.unwrap();
        writeln!(writer, "{}", line.to_uppercase()).unwrap();
        count += 1;
    }
    count
}

#[green::main]
fn main() {
    let path = socket_path();
    let _ = fs::remove_file(&path);
    let listener = UnixListener::bind(&path).unwrap();

    let server = thread::spawn(move || {
        let mut total = 0;
        for stream in listener.incoming().take(2) {
            total += handle(stream.unwrap());
        }
        total
    });

    for name in ["alpha", "beta"] {
        let mut stream = UnixStream::connect(&path).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        for i in 0..3 {
            writeln!(stream, "{name} line {i}").unwrap();
            let mut reply = String::new();
            reader.read_line(&mut reply).unwrap();
            print!("{reply}");
        }
        stream.shutdown(std::net::Shutdown::Both).unwrap();
    }

    println!("server echoed {} lines", server.join().unwrap());
    fs::remove_file(&path).unwrap();
    println!("socket removed: {}", !path.exists());
}
