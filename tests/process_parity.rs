//! compat::process against std::process: the same commands give the same
//! output bytes, exit codes and errors; pipes work through compat::io.

use std::io::{self, ErrorKind};
use std::time::Duration;

use green::compat::io::{Read as _, Write as _};
use green::compat::process::{Command as GCommand, Stdio};

fn code<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(err) => format!("{:?}", err.kind()),
    }
}

/// The scenario with std, on a plain thread.
fn with_std() -> Vec<String> {
    use std::io::{Read, Write};
    use std::process::Command;
    let mut log = Vec::new();

    let output = Command::new("echo").arg("hi").output().unwrap();
    log.push(format!(
        "echo {:?} {:?} {:?}",
        output.status.code(),
        output.stdout,
        output.stderr
    ));

    let output = Command::new("sh")
        .args(["-c", "echo out; echo err >&2; exit 3"])
        .output()
        .unwrap();
    log.push(format!(
        "exit3 {:?} {} {:?} {:?}",
        output.status.code(),
        output.status.success(),
        output.stdout,
        output.stderr
    ));

    let status = Command::new("sh").args(["-c", "exit 42"]).status().unwrap();
    log.push(format!("status {:?}", status.code()));

    let output = Command::new("sh")
        .args(["-c", "echo $A-$B; pwd"])
        .env("A", "1")
        .envs([("B", "2")])
        .current_dir("/")
        .output()
        .unwrap();
    log.push(format!("env {:?}", String::from_utf8_lossy(&output.stdout)));

    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped data")
        .unwrap();
    let mut echoed = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut echoed)
        .unwrap();
    log.push(format!(
        "cat {:?} {:?}",
        echoed,
        child.wait().unwrap().code()
    ));

    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.as_mut().unwrap().write_all(b"more").unwrap();
    let output = child.wait_with_output().unwrap();
    log.push(format!("wait_with_output {:?}", output.stdout));

    let mut child = Command::new("sleep").arg("10").spawn().unwrap();
    log.push(format!("try_wait running {:?}", child.try_wait().unwrap()));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    log.push(format!("killed {:?} {}", status.code(), status.success()));
    log.push(format!("kill again {}", code(child.kill())));
    log.push(format!(
        "try_wait done {:?}",
        child.try_wait().unwrap().map(|s| s.code())
    ));

    log.push(format!(
        "missing {}",
        code(Command::new("/no/such/program").spawn())
    ));
    log.push(format!(
        "missing output {}",
        code(Command::new("/no/such/program").output())
    ));
    log
}

/// The same scenario with compat, in green code.
#[green::green]
fn with_green() -> Vec<String> {
    let mut log = Vec::new();

    let output = GCommand::new("echo").arg("hi").output().unwrap();
    log.push(format!(
        "echo {:?} {:?} {:?}",
        output.status.code(),
        output.stdout,
        output.stderr
    ));

    let output = GCommand::new("sh")
        .args(["-c", "echo out; echo err >&2; exit 3"])
        .output()
        .unwrap();
    log.push(format!(
        "exit3 {:?} {} {:?} {:?}",
        output.status.code(),
        output.status.success(),
        output.stdout,
        output.stderr
    ));

    let status = GCommand::new("sh")
        .args(["-c", "exit 42"])
        .status()
        .unwrap();
    log.push(format!("status {:?}", status.code()));

    let output = GCommand::new("sh")
        .args(["-c", "echo $A-$B; pwd"])
        .env("A", "1")
        .envs([("B", "2")])
        .current_dir("/")
        .output()
        .unwrap();
    log.push(format!("env {:?}", String::from_utf8_lossy(&output.stdout)));

    let mut child = GCommand::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"piped data")
        .unwrap();
    let mut echoed = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut echoed)
        .unwrap();
    log.push(format!(
        "cat {:?} {:?}",
        echoed,
        child.wait().unwrap().code()
    ));

    let mut child = GCommand::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.as_mut().unwrap().write_all(b"more").unwrap();
    let output = child.wait_with_output().unwrap();
    log.push(format!("wait_with_output {:?}", output.stdout));

    let mut child = GCommand::new("sleep").arg("10").spawn().unwrap();
    log.push(format!("try_wait running {:?}", child.try_wait().unwrap()));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    log.push(format!("killed {:?} {}", status.code(), status.success()));
    log.push(format!("kill again {}", code(child.kill())));
    log.push(format!(
        "try_wait done {:?}",
        child.try_wait().unwrap().map(|s| s.code())
    ));

    log.push(format!(
        "missing {}",
        code(GCommand::new("/no/such/program").spawn())
    ));
    log.push(format!(
        "missing output {}",
        code(GCommand::new("/no/such/program").output())
    ));
    log
}

#[test]
fn process_scenario_matches_std() {
    let expected = std::thread::spawn(with_std).join().unwrap();
    let got = green::run(with_green());
    assert_eq!(got, expected);
    assert!(
        expected
            .iter()
            .any(|line| line == "echo Some(0) [104, 105, 10] []")
    );
    assert!(expected.iter().any(|line| line == "status Some(42)"));
    assert!(expected.iter().any(|line| line == "missing NotFound"));
}

#[green::test(timeout_ms = 10_000)]
fn child_ids_and_stderr_pipe() {
    let mut child = GCommand::new("sh")
        .args(["-c", "echo $$; echo problem >&2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(out.trim(), id.to_string());
    assert_eq!(err, "problem\n");
}

#[green::test(timeout_ms = 10_000)]
fn a_pipe_can_feed_another_child() {
    let mut first = GCommand::new("echo")
        .arg("chained")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = Stdio::from(first.stdout.take().unwrap());
    let output = GCommand::new("cat").stdin(pipe).output().unwrap();
    first.wait().unwrap();
    assert_eq!(output.stdout, b"chained\n");
}

/// `echo green pipes | tr a-z A-Z`, with std.
fn std_pipeline() -> Vec<u8> {
    use std::process::{Command as SCommand, Stdio as SStdio};
    let mut std_echo = SCommand::new("echo")
        .arg("green pipes")
        .stdout(SStdio::piped())
        .spawn()
        .unwrap();
    let std_output = SCommand::new("tr")
        .args(["a-z", "A-Z"])
        .stdin(SStdio::from(std_echo.stdout.take().unwrap()))
        .output()
        .unwrap();
    std_echo.wait().unwrap();
    std_output.stdout
}

/// std's pipeline idiom, `Stdio::from(child.stdout.take().unwrap())`, with
/// each of the three pipes; the first as std's gives it.
#[green::test(timeout_ms = 10_000)]
fn pipes_chain_children_as_std() {
    // stdout -> stdin: echo | tr
    let mut echo = GCommand::new("echo")
        .arg("green pipes")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let output = GCommand::new("tr")
        .args(["a-z", "A-Z"])
        .stdin(Stdio::from(echo.stdout.take().unwrap()))
        .output()
        .unwrap();
    assert!(echo.wait().unwrap().success());
    assert_eq!(output.stdout, b"GREEN PIPES\n");
    assert_eq!(output.stdout, std_pipeline());

    // stderr -> stdin: sh's stderr | wc -c
    let mut noisy = GCommand::new("sh")
        .args(["-c", "printf 12345 >&2"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let count = GCommand::new("wc")
        .arg("-c")
        .stdin(Stdio::from(noisy.stderr.take().unwrap()))
        .output()
        .unwrap();
    assert!(noisy.wait().unwrap().success());
    assert_eq!(String::from_utf8_lossy(&count.stdout).trim(), "5");

    // stdin <- stdout: the second child writes into the first's stdin.
    let mut sort = GCommand::new("sort")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let status = GCommand::new("printf")
        .arg("b\\na\\nc\\n")
        .stdout(Stdio::from(sort.stdin.take().unwrap()))
        .status()
        .unwrap();
    assert!(status.success());
    let sorted = sort.wait_with_output().unwrap();
    assert_eq!(sorted.stdout, b"a\nb\nc\n");
}

#[green::test(timeout_ms = 10_000)]
fn reading_a_slow_child_lets_other_tasks_run() {
    let ticker = green::spawn(|| async {
        let mut ticks = 0u32;
        for _ in 0..5 {
            green::sleep(Duration::from_millis(10)).await;
            ticks += 1;
        }
        ticks
    });
    let output = GCommand::new("sh")
        .args(["-c", "sleep 0.2; echo late"])
        .output()
        .unwrap();
    assert_eq!(output.stdout, b"late\n");
    assert!(
        ticker.is_ready(),
        "the ticker did not run while the child ran"
    );
    assert_eq!(ticker.join(), Ok(5));
    assert_eq!(
        GCommand::new("/no/such/program")
            .status()
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
}
