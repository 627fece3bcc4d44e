//! `compat::io::{stdin, stdout}`: checked through a child process (this test
//! binary run again with a marker variable), since the test's own stdin is
//! not ours to feed.

use std::cell::Cell;
use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{self, Write};

const CHILD: &str = "GREEN_IO_STD_CHILD";

/// Runs `test` of this binary as a child with stdin piped.
fn child(test: &str) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn is_child(test: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|name| name == test)
}

/// Waits at most `limit` for the child; kills it and fails if it hangs.
fn wait_bounded(mut child: std::process::Child, limit: Duration) -> String {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("the child did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

/// The child's own lines (libtest writes its report around them, sometimes
/// on the same line).
fn marked_lines<'a>(out: &'a str, markers: &[&str]) -> Vec<&'a str> {
    out.lines()
        .filter_map(|line| {
            markers
                .iter()
                .filter_map(|m| line.find(m))
                .min()
                .map(|i| &line[i..])
        })
        .collect()
}

// Child side: uppercases its input line by line while a ticker task runs.
#[green::test(timeout_ms = 20_000)]
fn child_echo_stdin() {
    if !is_child("child_echo_stdin") {
        return;
    }
    let ticks = Rc::new(Cell::new(0u32));
    let ticker = {
        let ticks = ticks.clone();
        green::spawn(move || async move {
            loop {
                green::sleep(Duration::from_millis(10)).await;
                ticks.set(ticks.get() + 1);
            }
        })
    };
    let mut out = io::stdout();
    let mut count = 0;
    for line in io::stdin().lines() {
        writeln!(out, "ECHO:{}", line.unwrap().to_uppercase()).unwrap();
        out.flush().unwrap();
        count += 1;
    }
    writeln!(out, "COUNT:{count}").unwrap();
    writeln!(out, "TICKED:{}", ticks.get() > 5).unwrap();
    ticker.kill();
}

#[test]
fn stdin_lines_are_green_and_stdout_keeps_the_order() {
    let mut child = child("child_echo_stdin");
    let mut input = child.stdin.take().unwrap();
    input.write_all(b"first line\n").unwrap();
    input.flush().unwrap();
    // The child waits in `lines()` meanwhile; its ticker must go on.
    std::thread::sleep(Duration::from_millis(300));
    input.write_all(b"second\nthird\n").unwrap();
    drop(input); // end of input
    let out = wait_bounded(child, Duration::from_secs(30));
    let ours = marked_lines(&out, &["ECHO:", "COUNT:", "TICKED:"]);
    assert_eq!(
        ours,
        [
            "ECHO:FIRST LINE",
            "ECHO:SECOND",
            "ECHO:THIRD",
            "COUNT:3",
            "TICKED:true"
        ],
        "child output: {out}"
    );
}

// Child side: a task waits on stdin for ever while the main work ends.
#[green::test(timeout_ms = 20_000)]
fn child_exits_while_reading() {
    if !is_child("child_exits_while_reading") {
        return;
    }
    green::spawn(|| async {
        let mut line = String::new();
        io::stdin().read_line(&mut line).await
    });
    green::sleep(Duration::from_millis(50));
    let mut out = io::stdout();
    writeln!(out, "DONE").unwrap();
}

#[test]
fn a_pending_stdin_read_does_not_keep_the_process_alive() {
    let mut child = child("child_exits_while_reading");
    let input = child.stdin.take().unwrap(); // kept open: the read never ends
    let out = wait_bounded(child, Duration::from_secs(30));
    drop(input);
    assert_eq!(
        marked_lines(&out, &["DONE"]),
        ["DONE"],
        "child output: {out}"
    );
}
