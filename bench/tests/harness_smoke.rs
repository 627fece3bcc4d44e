//! The harness cannot rot: its quick path runs end to end with tiny sizes
//! (N=1000 tasks, 1000 ping-pongs, 100 and 1000 waiters, echo 0.5 s with
//! C=10, http 1 s with c=10 where wrk is installed, no Python) and writes a
//! report with the tokio figures filled and both green echo servers' figures,
//! and the scaling rows (1 and 2 hubs, one repetition).

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn smoke_run_writes_a_report() {
    let out = std::env::temp_dir().join(format!("green-bench-smoke-{}", std::process::id()));
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_green-bench"))
        .args(["--smoke", "--no-build", "--out"])
        .arg(&out)
        .output()
        .expect("run green-bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "green-bench --smoke failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "smoke run too slow"
    );

    let md = std::fs::read_to_string(out.join("latest.md")).expect("latest.md written");
    for needle in [
        "memory per parked task",
        "ping-pong round trip",
        "waiters queue N=1000",
        "growth: wake time",
        "echo C=10",
        "server CPU per round trip",
        "scaling echo, 2 hubs",
        "scaling efficiency",
        "## Targets",
    ] {
        assert!(md.contains(needle), "latest.md lacks `{needle}`:\n{md}");
    }
    // The tokio twin always runs: its spawn row has a figure, not a reason.
    let spawn_row = md
        .lines()
        .find(|l| l.contains("memory per parked task"))
        .expect("spawn row");
    let tokio_cell = spawn_row.split('|').nth(4).expect("tokio column").trim();
    assert!(
        tokio_cell.starts_with("**"),
        "tokio spawn cell has no figure: {spawn_row}"
    );
    // Both green echo servers ran: the hand-written loop and StreamServer.
    let green_cell = |row: &str| {
        row.split('|')
            .nth(3)
            .expect("green column")
            .trim()
            .to_owned()
    };
    for figure in [
        "| server CPU per round trip, µs",
        "| server CPU per round trip, green through StreamServer, µs",
    ] {
        let row = md
            .lines()
            .find(|l| l.contains(figure))
            .unwrap_or_else(|| panic!("no `{figure}` row:\n{md}"));
        assert!(green_cell(row).starts_with("**"), "no green figure: {row}");
    }
    // With wrk installed, green::http ran beside hyper, beside hyper with
    // its header-read timeout, and at once with hyper (rows of their own).
    if let Some(row) = md
        .lines()
        .find(|l| l.contains("| server CPU per request, µs"))
    {
        let hyper = row.split('|').nth(4).expect("tokio column").trim();
        if hyper.starts_with("**") {
            assert!(
                green_cell(row).starts_with("**"),
                "no green http figure: {row}"
            );
            let timed = md
                .lines()
                .find(|l| l.contains("| server CPU per request, the twin with hyper's header-read"))
                .unwrap_or_else(|| panic!("no row for the timed twin:\n{md}"));
            let twin = timed.split('|').nth(4).expect("tokio column").trim();
            assert!(twin.starts_with("**"), "no timed twin figure: {timed}");
            let at_once = md
                .lines()
                .find(|l| {
                    l.contains("| server CPU per request, green::http and hyper served at once")
                })
                .unwrap_or_else(|| panic!("no row for the servers at once:\n{md}"));
            let twin = at_once.split('|').nth(4).expect("tokio column").trim();
            assert!(
                green_cell(at_once).starts_with("**") && twin.starts_with("**"),
                "no figures for the servers at once: {at_once}"
            );
        }
    }
    let svg = std::fs::read_to_string(out.join("latest.svg")).expect("latest.svg written");
    assert!(
        svg.starts_with("<svg") || svg.contains("<svg"),
        "not an SVG"
    );
    let _ = std::fs::remove_dir_all(&out);
}
