//! When the main work returns, the hub ends at once: blocking work still in
//! flight on the thread pool is not waited for (as a std program's threads
//! are not when `main` returns).

use std::process::Command;
use std::time::{Duration, Instant};

const CHILD: &str = "GREEN_HUB_EXIT_CHILD";

#[test]
fn run_returns_without_waiting_for_blocking_work() {
    if std::env::var_os(CHILD).is_some() {
        let started = Instant::now();
        green::run(async {
            let _hung = green::spawn_blocking(|| std::thread::sleep(Duration::from_secs(30)));
            green::sleep(Duration::from_millis(20)).await;
        });
        println!("run returned after {} ms", started.elapsed().as_millis());
        return;
    }
    let started = Instant::now();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "run_returns_without_waiting_for_blocking_work",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed: {stdout}");
    assert!(stdout.contains("run returned after"), "{stdout}");
    // The blocking call sleeps 30 s; the child must be gone long before.
    assert!(elapsed < Duration::from_secs(15), "child took {elapsed:?}");
}
