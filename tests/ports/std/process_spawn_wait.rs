//! Spawn several children, wait for them, poll one with `try_wait`, and kill
//! one that would run too long.

use std::process::{Child, Command};
use std::thread;
use std::time::Duration;

fn start(code: i32) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exit {code}"))
        .spawn()
        .unwrap()
}

fn main() {
    let mut children: Vec<(i32, Child)> = (0..4).map(|code| (code, start(code))).collect();
    for (code, child) in children.iter_mut() {
        let status = child.wait().unwrap();
        println!("child asked for {code}, exited with {:?}", status.code());
    }

    let mut slowish = Command::new("sleep").arg("0.05").spawn().unwrap();
    let mut polls = 0;
    let status = loop {
        match slowish.try_wait().unwrap() {
            Some(status) => break status,
            None => {
                polls += 1;
                thread::sleep(Duration::from_millis(5));
            }
        }
    };
    println!(
        "sleep finished ok: {}, polled: {}",
        status.success(),
        polls > 0
    );

    let mut forever = Command::new("sleep").arg("30").spawn().unwrap();
    forever.kill().unwrap();
    let status = forever.wait().unwrap();
    println!(
        "killed child: success={}, code={:?}",
        status.success(),
        status.code()
    );
}
