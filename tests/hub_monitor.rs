//! The monitor (gevent's `max_blocking_time`): a task that keeps its hub from
//! switching past the threshold is reported on stderr while it blocks, and
//! once more when it lets go; an idle hub, a shorter block and a monitor
//! turned off say nothing. Each case runs in a child process, where the
//! monitor's environment variables are read afresh.

use std::process::Command;
use std::time::{Duration, Instant};

const CHILD: &str = "GREEN_HUB_MONITOR_CHILD";

/// True in the child process; the parent runs `test` there with `env` set
/// and returns its stdout and stderr.
fn in_child(test: &str, env: &[(&str, &str)]) -> Option<(String, String)> {
    if std::env::var_os(CHILD).is_some() {
        return None;
    }
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env_remove("GREEN_MONITOR")
        .env_remove("GREEN_MAX_BLOCKING_MS");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "child failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    Some((stdout, stderr))
}

/// Keeps the hub busy for `duration` without switching.
fn spin(duration: Duration) {
    let start = Instant::now();
    while start.elapsed() < duration {
        std::hint::spin_loop();
    }
}

#[green::green]
fn spinner(duration: Duration) {
    spin(duration);
}

#[green::green]
#[allow_blocking]
fn nap(duration: Duration) {
    std::thread::sleep(duration);
}

/// The number in `line` right before `unit` (" ms in all", " ms without").
fn number_before(line: &str, unit: &str) -> u128 {
    let head = &line[..line
        .find(unit)
        .unwrap_or_else(|| panic!("no {unit:?} in {line}"))];
    let digits = head.rsplit(' ').next().unwrap();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("no number before {unit:?} in {line}"))
}

fn line_with<'a>(stderr: &'a str, needle: &str) -> &'a str {
    stderr
        .lines()
        .find(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in stderr:\n{stderr}"))
}

/// Reads a `KEY=value` the child printed (the test harness may print the
/// test's name before it on the line).
fn child_value<'a>(stdout: &'a str, key: &str) -> &'a str {
    let key = format!("{key}=");
    stdout
        .lines()
        .find_map(|line| line.split_once(&key).map(|(_, value)| value))
        .unwrap_or_else(|| panic!("no {key} in stdout:\n{stdout}"))
        .trim()
}

#[test]
fn a_spinning_task_is_reported_while_it_blocks_and_when_it_lets_go() {
    let Some((stdout, stderr)) = in_child(
        "a_spinning_task_is_reported_while_it_blocks_and_when_it_lets_go",
        &[("GREEN_MAX_BLOCKING_MS", "100")],
    ) else {
        green::run(async {
            let line = line!() + 1;
            let task = green::spawn(|| spinner(Duration::from_millis(500)));
            task.set_name("spinner");
            println!("SPAWNED_AT={}:{line}:", file!());
            println!("ID={}", task.id());
            task.join().await.unwrap();
        });
        return;
    };
    let id = child_value(&stdout, "ID");
    let site = child_value(&stdout, "SPAWNED_AT");
    let report = line_with(&stderr, "is blocked");
    assert!(
        report.contains(&format!("task 'spinner' (id {id}, spawned at {site}")),
        "{report}"
    );
    // Reported past the threshold, while the task still ran.
    assert!(number_before(report, " ms without") >= 100, "{report}");
    let let_go = line_with(&stderr, "switches again");
    assert!(
        let_go.contains(&format!("task 'spinner' (id {id}) blocked it for")),
        "{let_go}"
    );
    assert!(number_before(let_go, " ms in all") >= 500, "{let_go}");
    assert!(
        stderr.find(report).unwrap() < stderr.find(let_go).unwrap(),
        "{stderr}"
    );
    // One report per blocking episode, and one let-go line. (Only the
    // spinner's lines are counted: on a loaded machine the OS may stop the
    // hub's thread in another poll long enough to be reported too.)
    let reports = stderr
        .lines()
        .filter(|line| line.contains("is blocked: task 'spinner'"));
    assert_eq!(reports.count(), 1, "{stderr}");
    let let_gos = stderr
        .lines()
        .filter(|line| line.contains("switches again: task 'spinner'"));
    assert_eq!(let_gos.count(), 1, "{stderr}");
}

#[test]
fn std_thread_sleep_in_a_task_is_reported() {
    let Some((stdout, stderr)) = in_child("std_thread_sleep_in_a_task_is_reported", &[]) else {
        green::run(async {
            let task = green::spawn(|| nap(Duration::from_millis(300)));
            println!("ID={}", task.id());
            task.join().await.unwrap();
        });
        return;
    };
    let id = child_value(&stdout, "ID");
    let report = line_with(&stderr, "is blocked");
    assert!(
        report.contains(&format!("task 'Greenlet-{id}' (id {id}, spawned at ")),
        "{report}"
    );
    assert!(report.contains("hub_monitor.rs:"), "{report}");
    let let_go = line_with(&stderr, "switches again");
    assert!(number_before(let_go, " ms in all") >= 300, "{let_go}");
}

#[test]
fn the_main_task_is_reported_with_the_site_of_run() {
    let Some((stdout, stderr)) = in_child("the_main_task_is_reported_with_the_site_of_run", &[])
    else {
        // The process ends right after: the let-go line must not be lost.
        let line = line!() + 1;
        green::run(async { spin(Duration::from_millis(300)) });
        println!("RUN_AT={}:{line}:", file!());
        return;
    };
    let site = child_value(&stdout, "RUN_AT");
    let report = line_with(&stderr, "is blocked");
    assert!(report.contains("task 'MainGreenlet' (id "), "{report}");
    assert!(
        report.contains(&format!(", the main task, run at {site}")),
        "{report}"
    );
    line_with(&stderr, "switches again");
}

#[test]
fn nothing_is_reported_with_green_monitor_0() {
    let Some((_, stderr)) = in_child(
        "nothing_is_reported_with_green_monitor_0",
        &[("GREEN_MONITOR", "0"), ("GREEN_MAX_BLOCKING_MS", "100")],
    ) else {
        green::run(async {
            green::spawn(|| spinner(Duration::from_millis(500)))
                .join()
                .await
                .unwrap();
        });
        return;
    };
    assert!(!stderr.contains("green:"), "{stderr}");
}

#[test]
fn a_block_shorter_than_the_threshold_is_not_reported() {
    let Some((_, stderr)) = in_child(
        "a_block_shorter_than_the_threshold_is_not_reported",
        &[("GREEN_MAX_BLOCKING_MS", "1000")],
    ) else {
        green::run(async {
            green::spawn(|| spinner(Duration::from_millis(300)))
                .join()
                .await
                .unwrap();
        });
        return;
    };
    assert!(!stderr.contains("green:"), "{stderr}");
}

#[test]
fn an_idle_hub_is_not_reported() {
    let Some((_, stderr)) = in_child(
        "an_idle_hub_is_not_reported",
        &[("GREEN_MAX_BLOCKING_MS", "100")],
    ) else {
        green::run(async {
            let sleeper = green::spawn(|| green::sleep(Duration::from_millis(500)));
            green::sleep(Duration::from_millis(500)).await;
            sleeper.join().await.unwrap();
        });
        return;
    };
    assert!(!stderr.contains("green:"), "{stderr}");
}

#[test]
fn the_panic_hook_resolving_a_backtrace_is_not_reported() {
    let Some((_, stderr)) = in_child(
        "the_panic_hook_resolving_a_backtrace_is_not_reported",
        &[("GREEN_MAX_BLOCKING_MS", "5"), ("RUST_BACKTRACE", "full")],
    ) else {
        // std's hook prints the main task's panic with a backtrace, which
        // takes long to resolve in a debug build: a panic, not a block.
        let outcome = std::panic::catch_unwind(|| green::run(async { panic!("boom") }));
        assert!(outcome.is_err());
        return;
    };
    assert!(stderr.contains("boom"), "{stderr}");
    assert!(!stderr.contains("is blocked"), "{stderr}");
}

#[test]
fn one_monitor_serves_every_hub_and_names_the_blocked_one() {
    let Some((_, stderr)) = in_child(
        "one_monitor_serves_every_hub_and_names_the_blocked_one",
        &[("GREEN_MAX_BLOCKING_MS", "100")],
    ) else {
        let hub = |name: &str, work: fn()| {
            std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(work)
                .unwrap()
        };
        let busy = hub("busy", || {
            green::run(async {
                green::spawn(|| spinner(Duration::from_millis(500)))
                    .join()
                    .await
                    .unwrap();
            })
        });
        let idle = hub("idle", || {
            green::run(green::sleep(Duration::from_millis(500)));
        });
        busy.join().unwrap();
        idle.join().unwrap();
        return;
    };
    let report = line_with(&stderr, "is blocked");
    assert!(
        report.contains("the hub on thread 'busy' is blocked"),
        "{report}"
    );
    line_with(&stderr, "the hub on thread 'busy' switches again");
    assert!(!stderr.contains("thread 'idle'"), "{stderr}");
}
