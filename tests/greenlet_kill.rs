//! `kill` stops a task, runs its destructors, and returns only after they ran.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::GreenError;

struct SetOnDrop(Rc<Cell<bool>>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[green::green]
fn hold_then_sleep(dropped: Rc<Cell<bool>>) {
    let _guard = SetOnDrop(dropped);
    green::sleep(Duration::from_secs(60));
}

#[green::test(timeout_ms = 10_000)]
fn kill_returns_after_the_destructors_ran() {
    let dropped = Rc::new(Cell::new(false));
    let task = {
        let dropped = dropped.clone();
        green::spawn(move || hold_then_sleep(dropped))
    };
    green::idle(); // let it start and take the guard
    assert!(!dropped.get());
    let start = Instant::now();
    task.kill();
    assert!(dropped.get(), "kill returned before the task's drops ran");
    assert!(task.is_ready());
    assert!(start.elapsed() < Duration::from_secs(5));
    // Killing twice is harmless.
    task.kill();
    assert_eq!(task.join(), Err(GreenError::Killed));
}

#[green::test(timeout_ms = 10_000)]
fn kill_before_the_task_started_drops_its_work() {
    let dropped = Rc::new(Cell::new(false));
    let guard = SetOnDrop(dropped.clone());
    let task = green::spawn(move || async move {
        let _guard = guard;
        unreachable!("a task killed before it started never runs");
    });
    task.kill();
    assert!(dropped.get());
    assert_eq!(task.join(), Err(GreenError::Killed));
}

#[green::test(timeout_ms = 10_000)]
fn kill_of_a_finished_task_keeps_its_result() {
    let task = green::spawn(|| async { 7 });
    green::idle();
    assert!(task.is_ready());
    task.kill();
    assert_eq!(task.join(), Ok(7));
}

#[green::test(timeout_ms = 10_000)]
fn a_task_can_kill_itself() {
    type Slot = Rc<std::cell::RefCell<Option<green::Greenlet<()>>>>;
    let slot: Slot = Slot::default();
    let after = Rc::new(Cell::new(false));
    let task = {
        let (slot, after) = (slot.clone(), after.clone());
        green::spawn(move || async move {
            green::idle().await; // the spawner stores the handle meanwhile
            let me = slot.borrow_mut().take().expect("handle stored");
            me.kill().await;
            after.set(true);
        })
    };
    let id = task.id();
    *slot.borrow_mut() = Some(task);
    green::sleep(Duration::from_millis(20));
    assert!(!after.get(), "the task went on after killing itself");
    assert!(slot.borrow().is_none());
    let _ = id;
}

#[green::test]
fn join_timeout_gives_the_handle_back_when_the_time_runs_out() {
    use std::time::Duration;
    let task = green::spawn(|| async {
        green::sleep(Duration::from_millis(100)).await;
        7
    });
    let task = task
        .join_timeout(Duration::from_millis(5))
        .expect_err("still running");
    assert!(!task.is_ready());
    // The handle still works: join it, with more time.
    assert_eq!(task.join_timeout(Duration::from_secs(10)).ok(), Some(Ok(7)));
    // A killed task's result comes back as soon as it is dead.
    let sleeper = green::spawn(|| green::sleep(Duration::from_secs(60)));
    sleeper.kill();
    assert_eq!(
        sleeper.join_timeout(Duration::ZERO).ok(),
        Some(Err(green::GreenError::Killed))
    );
}
