//! Pipe one child's stdout into another child's stdin, and feed a child's
//! stdin from a thread.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;

fn main() {
    let mut producer = Command::new("sh")
        .arg("-c")
        .arg("printf 'pear\\napple\\nfig\\napple\\n'")
        .stdout(Stdio::piped())
        .spawn()
        .expect("producer failed to start");

    let sorter = Command::new("sort")
        .arg("-u")
        .stdin(Stdio::from(producer.stdout.take().unwrap()))
        .stdout(Stdio::piped())
        .spawn()
        .expect("sort failed to start");

    let output = sorter.wait_with_output().unwrap();
    let status = producer.wait().unwrap();
    println!("producer ok: {}", status.success());
    print!("sorted:\n{}", String::from_utf8_lossy(&output.stdout));

    let mut upper = Command::new("tr")
        .arg("a-z")
        .arg("A-Z")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = upper.stdin.take().expect("failed to open stdin");
    let feeder = thread::spawn(move || {
        for word in ["green", "threads", "pipes"] {
            writeln!(stdin, "{word}").expect("failed to write to stdin");
        }
    });
    let mut shouted = String::new();
    upper
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut shouted)
        .unwrap();
    feeder.join().unwrap();
    let status = upper.wait().unwrap();
    print!("{shouted}");
    println!("tr exit: {:?}", status.code());
}
