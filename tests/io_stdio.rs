//! `compat::io::{stdin, stdout, stderr}` checked through child processes
//! (this test binary run again, with a marker variable, on one child test):
//! green `read_line` and `lines()` on stdin, `Read` on stdin, and writes to
//! stdout and stderr, compared with what std gives for the same input.

use std::io::{Read as _, Write as _};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use green::compat::io::{self, Read, Write};

const CHILD: &str = "GREEN_IO_STDIO_CHILD";

fn is_child(test: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|name| name == test)
}

/// Runs the child test `test` with `input` on its stdin (closed after), and
/// waits at most 30 s for it.
fn run_child(test: &str, input: &[u8]) -> Output {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1", "-q"])
        .env(CHILD, test)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("the child {test} did not exit within 30 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    feeder.join().unwrap();
    child.wait_with_output().unwrap()
}

/// The lines the child wrote after `marker` (libtest writes around them).
fn after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|line| line.find(marker).map(|at| &line[at + marker.len()..]))
        .collect()
}

const INPUT: &[u8] = b"alpha\nbeta gamma\n\n  spaced  \nlast without newline";

/// What std's `read_line` gives for `INPUT`: each line as read, then 0.
fn std_read_lines(mut input: &[u8]) -> Vec<String> {
    use std::io::BufRead;
    let mut seen = Vec::new();
    loop {
        let mut line = String::new();
        let n = input.read_line(&mut line).unwrap();
        seen.push(format!("{n} {line:?}"));
        if n == 0 {
            return seen;
        }
    }
}

// Child: read_line until 0, reporting each call on stdout.
#[green::test(timeout_ms = 20_000)]
fn child_read_line() {
    if !is_child("child_read_line") {
        return;
    }
    let stdin = io::stdin();
    let mut out = io::stdout();
    loop {
        let mut line = String::new();
        let n = stdin.read_line(&mut line).unwrap();
        writeln!(out, "READ:{n} {line:?}").unwrap();
        if n == 0 {
            break;
        }
    }
    out.flush().unwrap();
}

#[test]
fn read_line_gives_what_std_gives() {
    let output = run_child("child_read_line", INPUT);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(after(&stdout, "READ:"), std_read_lines(INPUT), "{stdout}");
}

// Child: lines() in a for loop, each line to stdout and its length to stderr.
#[green::test(timeout_ms = 20_000)]
fn child_lines_to_stdout_and_stderr() {
    if !is_child("child_lines_to_stdout_and_stderr") {
        return;
    }
    let mut out = io::stdout();
    let mut err = io::stderr();
    for line in io::stdin().lines() {
        let line = line.unwrap();
        writeln!(out, "LINE:{line}").unwrap();
        writeln!(err, "LEN:{}", line.len()).unwrap();
    }
    let mut locked = io::stdout().lock();
    writeln!(locked, "LINE:<end>").unwrap();
    locked.flush().unwrap();
}

#[test]
fn lines_and_both_outputs_give_what_std_gives() {
    use std::io::BufRead;
    let expected: Vec<String> = INPUT.lines().map(|line| line.unwrap()).collect();

    let output = run_child("child_lines_to_stdout_and_stderr", INPUT);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let mut lines = expected.clone();
    lines.push("<end>".to_owned());
    assert_eq!(after(&stdout, "LINE:"), lines, "{stdout}");
    let lengths: Vec<String> = expected.iter().map(|l| l.len().to_string()).collect();
    assert_eq!(after(&stderr, "LEN:"), lengths, "{stderr}");
}

// Child: stdin through the compat `Read` trait, in one read_to_end.
#[green::test(timeout_ms = 20_000)]
fn child_read_to_end() {
    if !is_child("child_read_to_end") {
        return;
    }
    let mut all = Vec::new();
    let n = io::stdin().read_to_end(&mut all).unwrap();
    let mut out = io::stdout();
    writeln!(
        out,
        "BYTES:{n} {}",
        all.iter().map(|b| *b as u32).sum::<u32>()
    )
    .unwrap();
    out.flush().unwrap();
}

#[test]
fn read_to_end_reads_the_whole_input() {
    // More than the reader thread's chunk, to need several reads.
    let input: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    let sum: u32 = input.iter().map(|b| *b as u32).sum();
    let output = run_child("child_read_to_end", &input);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        after(&stdout, "BYTES:"),
        [format!("{} {sum}", input.len())],
        "{stdout}"
    );
}

// Child: one task waits on stdin while others run; the wait ends when a line
// comes.
#[green::test(timeout_ms = 20_000)]
fn child_waiting_reader_leaves_the_hub_free() {
    if !is_child("child_waiting_reader_leaves_the_hub_free") {
        return;
    }
    let reader = green::spawn(|| async {
        let mut line = String::new();
        io::stdin().read_line(&mut line).await.map(|_| line)
    });
    let start = Instant::now();
    let mut ticks = 0;
    while !reader.is_ready() && ticks < 1000 {
        green::sleep(Duration::from_millis(5));
        ticks += 1;
    }
    let line = reader.join().unwrap().unwrap();
    let mut out = io::stdout();
    writeln!(
        out,
        "WAITED:{} {:?} {}",
        ticks > 10,
        line,
        start.elapsed() < Duration::from_secs(20)
    )
    .unwrap();
    out.flush().unwrap();
}

#[test]
fn a_task_waiting_on_stdin_does_not_stall_the_others() {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_waiting_reader_leaves_the_hub_free",
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD, "child_waiting_reader_leaves_the_hub_free")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The child's ticker runs while its reader waits for this line.
    std::thread::sleep(Duration::from_millis(300));
    stdin.write_all(b"late line\n").unwrap();
    drop(stdin);
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("the child did not exit within 30 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert_eq!(
        after(&stdout, "WAITED:"),
        ["true \"late line\\n\" true"],
        "{stdout}"
    );
}
