//! A panicking green task is reported, ends alone, and the hub goes on.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use green::GreenError;

#[green::green]
fn fail(message: &'static str) -> u32 {
    green::idle();
    panic!("{message}");
}

#[green::green]
fn count_to(n: u32, counter: Rc<Cell<u32>>) -> u32 {
    for _ in 0..n {
        green::sleep(Duration::from_millis(1));
        counter.set(counter.get() + 1);
    }
    counter.get()
}

#[green::test(timeout_ms = 10_000)]
fn a_panicking_task_does_not_stop_the_others() {
    let counter = Rc::new(Cell::new(0));
    let worker = {
        let counter = counter.clone();
        green::spawn(move || count_to(20, counter))
    };
    let failing = green::spawn(|| fail("boom"));
    let also_failing = green::spawn(|| async { panic!("{}", String::from("formatted ") + "boom") });
    assert_eq!(failing.join(), Err(GreenError::Panicked("boom".to_owned())));
    assert_eq!(
        also_failing.join(),
        Err(GreenError::Panicked("formatted boom".to_owned()))
    );
    assert_eq!(worker.join(), Ok(20));
    // The hub still spawns and runs tasks afterwards.
    assert_eq!(green::spawn(|| async { 1 }).join(), Ok(1));
}

#[green::test(timeout_ms = 10_000)]
fn a_panicked_task_is_ready_and_its_error_displays() {
    let task = green::spawn(|| fail("kaput"));
    green::sleep(Duration::from_millis(10));
    assert!(task.is_ready());
    let err = task.join().unwrap_err();
    assert_eq!(err.to_string(), "green task panicked: kaput");
}

/// Run by `the_report_is_one_block_naming_task_message_and_spawn_site` in a
/// child process whose stderr it reads.
#[test]
#[ignore = "run as a child process by another test"]
fn child_panics_in_a_named_task() {
    green::run(async {
        let task = green::spawn(|| fail("report me"));
        task.set_name("reporter");
        assert!(task.join().await.is_err());
    });
}

#[test]
fn the_report_is_one_block_naming_task_message_and_spawn_site() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_panics_in_a_named_task",
            "--ignored",
            "--nocapture",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("panicked").count(), 1, "{stderr}");
    assert!(stderr.contains("task 'reporter'"), "{stderr}");
    assert!(stderr.contains("report me"), "{stderr}");
    assert!(
        stderr.contains(&format!("spawned at {}", file!())),
        "{stderr}"
    );
}

/// Run as a child by `a_panic_storm_is_reported_within_a_rate_limit`.
#[test]
#[ignore = "run as a child process by another test"]
fn child_panic_storm() {
    green::run(async {
        let tasks: Vec<_> = (0..5_000)
            .map(|i| green::spawn(move || async move { panic!("storm {i}") }))
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(
                task.join().await,
                Err(GreenError::Panicked(format!("storm {i}")))
            );
        }
    });
}

#[test]
fn a_panic_storm_is_reported_within_a_rate_limit() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_panic_storm", "--ignored", "--nocapture"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // At most 10 reports a second in full, then a count of the rest.
    let full = stderr.matches(") panicked at ").count();
    assert!((1..=40).contains(&full), "{full} full reports:\n{stderr}");
    let left_out: u64 = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("green: "))
        .filter_map(|line| line.split_once(" more task panics"))
        .map(|(count, _)| count.parse::<u64>().unwrap())
        .sum();
    assert_eq!(full as u64 + left_out, 5_000, "{stderr}");
    assert!(stderr.lines().count() < 200, "{stderr}");
}

/// Run as a child by `a_hook_set_later_does_not_silence_the_report`.
#[test]
#[ignore = "run as a child process by another test"]
fn child_with_its_own_hook() {
    green::run(async {
        std::panic::set_hook(Box::new(|_| eprintln!("the program's own hook")));
        let task = green::spawn(|| fail("after the hook"));
        task.set_name("hooked");
        assert!(task.join().await.is_err());
    });
}

#[test]
fn a_hook_set_later_does_not_silence_the_report() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_with_its_own_hook",
            "--ignored",
            "--nocapture",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Both run: the program's hook, and green's report of the task.
    assert!(stderr.contains("the program's own hook"), "{stderr}");
    assert!(stderr.contains("task 'hooked'"), "{stderr}");
    assert!(stderr.contains("after the hook"), "{stderr}");
}

/// Records which task is current when it drops.
struct SeesCurrent(Rc<Cell<Option<green::TaskId>>>);

impl Drop for SeesCurrent {
    fn drop(&mut self) {
        self.0.set(Some(green::current().id()));
    }
}

#[green::test(timeout_ms = 10_000)]
fn a_panicking_task_is_still_current_while_it_unwinds() {
    let seen = Rc::new(Cell::new(None));
    let task = {
        let seen = seen.clone();
        green::spawn(move || async move {
            let _sees = SeesCurrent(seen);
            green::sleep(Duration::from_millis(1)).await;
            panic!("unwinding");
        })
    };
    let id = task.id();
    assert!(task.join().is_err());
    assert_eq!(seen.get(), Some(id));
    assert_ne!(green::current().id(), id);
}
