//! `local!` task-local storage, ported from gevent's test__local.py.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

green::local! {
    static COUNTER: Cell<u32> = Cell::new(0);
    static NAME: RefCell<String> = RefCell::new(String::from("unset"));
}

struct Tracked(Rc<Cell<u32>>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

green::local! {
    static TRACKED: RefCell<Option<Tracked>> = RefCell::new(None);
}

#[green::test(timeout_ms = 10_000)]
fn each_task_sees_its_own_value() {
    let tasks: Vec<_> = (1..=5)
        .map(|i| {
            green::spawn(move || async move {
                COUNTER.set(i);
                NAME.with_borrow_mut(|name| *name = format!("task {i}"));
                green::sleep(Duration::from_millis(u64::from(5 - i))).await;
                (COUNTER.get(), NAME.with_borrow(|name| name.clone()))
            })
        })
        .collect();
    for (i, result) in (1..=5).zip(green::joinall(tasks)) {
        assert_eq!(result, Ok((i, format!("task {i}"))));
    }
}

#[green::test(timeout_ms = 10_000)]
fn a_spawned_task_does_not_inherit_the_spawners_value() {
    COUNTER.set(42);
    let child = green::spawn(|| async { COUNTER.get() });
    assert_eq!(child.join(), Ok(0));
    assert_eq!(COUNTER.get(), 42);
}

#[green::test(timeout_ms = 10_000)]
fn values_are_dropped_when_the_task_ends() {
    let drops = Rc::new(Cell::new(0));
    let finished = {
        let drops = drops.clone();
        green::spawn(move || async move {
            TRACKED.with_borrow_mut(|slot| *slot = Some(Tracked(drops)));
        })
    };
    finished.join().unwrap();
    assert_eq!(drops.get(), 1);

    let killed = {
        let drops = drops.clone();
        green::spawn(move || async move {
            TRACKED.with_borrow_mut(|slot| *slot = Some(Tracked(drops)));
            green::sleep(Duration::from_secs(60)).await;
        })
    };
    green::idle();
    assert_eq!(drops.get(), 1);
    killed.kill();
    assert_eq!(drops.get(), 2);

    let panicked = {
        let drops = drops.clone();
        green::spawn(move || async move {
            TRACKED.with_borrow_mut(|slot| *slot = Some(Tracked(drops)));
            panic!("boom");
        })
    };
    assert!(panicked.join().is_err());
    assert_eq!(drops.get(), 3);
}

#[green::test(timeout_ms = 10_000)]
fn an_initializer_may_read_another_local() {
    green::local! {
        static DERIVED: String = NAME.with_borrow(|name| format!("derived from {name}"));
    }
    assert_eq!(DERIVED.with(|d| d.clone()), "derived from unset");
}

/// Records which task is current when it drops.
struct SeesCurrent(Rc<Cell<Option<green::TaskId>>>);

impl Drop for SeesCurrent {
    fn drop(&mut self) {
        self.0.set(Some(green::current().id()));
    }
}

green::local! {
    static SEES_CURRENT: RefCell<Option<SeesCurrent>> = RefCell::new(None);
}

#[green::test(timeout_ms = 10_000)]
fn a_task_is_still_current_while_its_values_drop() {
    let seen = Rc::new(Cell::new(None));
    let task = {
        let seen = seen.clone();
        green::spawn(move || async move {
            SEES_CURRENT.with_borrow_mut(|slot| *slot = Some(SeesCurrent(seen)));
            green::idle().await;
        })
    };
    let id = task.id();
    task.join().unwrap();
    assert_eq!(seen.get(), Some(id));
    assert_eq!(green::current().name(), "MainGreenlet");
}
