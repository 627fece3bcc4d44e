//! `compat::thread::scope`: green work borrowing from its caller, run
//! concurrently inside the calling task; std's panic rules; cancellation
//! drops the scoped work; a wake-up polls only the work it woke.

use std::cell::{Cell, RefCell};
use std::future::{Future, IntoFuture, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::thread;

#[green::green]
fn sum(numbers: &[u64]) -> u64 {
    thread::yield_now();
    numbers.iter().sum()
}

#[green::test(timeout_ms = 30_000)]
fn scoped_work_borrows_local_data() {
    let numbers: Vec<u64> = (1..=100).collect();
    let (low, high) = numbers.split_at(50);
    let total = thread::scope(async |s| {
        let low = s.spawn(|| sum(low));
        let high = s.spawn(|| sum(high));
        low.join().unwrap() + high.join().unwrap()
    });
    assert_eq!(total, 5050);
    assert_eq!(numbers.len(), 100);
}

#[green::test(timeout_ms = 30_000)]
fn scoped_work_mutates_disjoint_borrows() {
    let mut counts = [0u32; 4];
    thread::scope(async |s| {
        for (i, count) in counts.iter_mut().enumerate() {
            s.spawn(move || async move { *count = i as u32 * 10 });
        }
    });
    assert_eq!(counts, [0, 10, 20, 30]);
}

#[green::test(timeout_ms = 30_000)]
fn the_scope_waits_for_unjoined_work() {
    let log = RefCell::new(Vec::new());
    thread::scope(async |s| {
        s.spawn(|| async {
            thread::sleep(Duration::from_millis(30)).await;
            log.borrow_mut().push("work");
        });
        log.borrow_mut().push("body");
    });
    log.borrow_mut().push("after");
    assert_eq!(*log.borrow(), ["body", "work", "after"]);
}

#[green::test(timeout_ms = 30_000)]
fn hundred_scoped_sleeps_overlap() {
    let done = Cell::new(0);
    let start = Instant::now();
    thread::scope(async |s| {
        for _ in 0..100 {
            s.spawn(|| async {
                thread::sleep(Duration::from_millis(50)).await;
                done.set(done.get() + 1);
            });
        }
    });
    assert_eq!(done.get(), 100);
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2500), "{elapsed:?}");
}

/// Polls `future`, counting its polls in `polls`.
async fn counted<F: IntoFuture>(polls: &Cell<usize>, future: F) -> F::Output {
    let mut future = pin!(future.into_future());
    poll_fn(|cx| {
        polls.set(polls.get() + 1);
        future.as_mut().poll(cx)
    })
    .await
}

/// Link `i` of the chain below, written with `.await` (outside `#[green]`).
async fn link(events: &[green::Event], i: usize, polls: &Cell<usize>, ended: &Cell<usize>) {
    counted(polls, events[i].wait()).await;
    ended.set(ended.get() + 1);
    if i > 0 {
        events[i - 1].set();
    }
}

#[green::test(timeout_ms = 60_000)]
fn ten_thousand_scoped_futures_cost_linear_polls() {
    // A chain run backwards: work i waits for event i and then sets event
    // i - 1, so one piece of work ends per wake-up. Polling every piece on
    // every wake-up would take n²/2 (50 million) polls.
    let n = 10_000;
    let events: Vec<green::Event> = (0..n).map(|_| green::Event::new()).collect();
    let (polls, ended) = (Cell::new(0usize), Cell::new(0usize));
    let start = Instant::now();
    thread::scope(async |s| {
        for i in 0..n {
            let (events, polls, ended) = (&events, &polls, &ended);
            s.spawn(move || green::wait(link(events, i, polls, ended)));
        }
        events[n - 1].set();
    });
    assert_eq!(ended.get(), n);
    // Each piece: once to park, once when its event is set (and a little
    // slack for wake-ups that come in the same turn).
    assert!(
        polls.get() <= 3 * n,
        "{} polls for {n} futures",
        polls.get()
    );
    let elapsed = start.elapsed();
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[green::test(timeout_ms = 30_000)]
fn other_tasks_run_while_a_scope_waits() {
    let ticks = Rc::new(Cell::new(0));
    let ticker = {
        let ticks = ticks.clone();
        green::spawn(move || async move {
            for _ in 0..5 {
                green::sleep(Duration::from_millis(2)).await;
                ticks.set(ticks.get() + 1);
            }
        })
    };
    thread::scope(async |s| {
        s.spawn(|| thread::sleep(Duration::from_millis(60)));
    });
    assert_eq!(ticks.get(), 5);
    ticker.join().unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn a_joined_panic_is_an_err_and_the_scope_goes_on() {
    let message = thread::scope(async |s| {
        let failing = s.spawn(|| async { panic!("scoped oops") });
        let payload = failing.join().unwrap_err();
        payload.downcast_ref::<&str>().map(|m| m.to_string())
    });
    assert_eq!(message.as_deref(), Some("scoped oops"));
}

#[green::green]
fn scope_with_unjoined_panic() {
    thread::scope(async |s| {
        s.spawn(|| async { panic!("nobody joins me") });
    });
}

#[green::green]
fn scope_whose_body_panics(finished: &Cell<bool>) {
    thread::scope(async |s| {
        s.spawn(|| async {
            thread::sleep(Duration::from_millis(20)).await;
            finished.set(true);
        });
        panic!("body");
    });
}

#[test]
fn an_unjoined_panic_makes_the_scope_panic_as_std() {
    let std_message = catch_unwind(|| {
        std::thread::scope(|s| {
            s.spawn(|| panic!("nobody joins me"));
        })
    })
    .unwrap_err();
    let green_message =
        catch_unwind(AssertUnwindSafe(|| green::run(scope_with_unjoined_panic()))).unwrap_err();
    assert_eq!(
        green_message.downcast_ref::<&str>(),
        std_message.downcast_ref::<&str>()
    );
    assert_eq!(
        green_message.downcast_ref::<&str>(),
        Some(&"a scoped thread panicked")
    );
}

#[test]
fn a_panicking_body_waits_for_the_work_then_panics() {
    let finished = Cell::new(false);
    let payload = catch_unwind(AssertUnwindSafe(|| {
        green::run(scope_whose_body_panics(&finished))
    }))
    .unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"body"));
    assert!(finished.get());
}

#[green::test(timeout_ms = 30_000)]
fn a_timeout_around_the_scope_drops_its_work() {
    struct Dropped<'a>(&'a Cell<bool>);
    impl Drop for Dropped<'_> {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = Cell::new(false);
    let start = Instant::now();
    let result = green::timeout(Duration::from_millis(20), || {
        thread::scope(async |s| {
            s.spawn(|| async {
                let _guard = Dropped(&dropped);
                thread::sleep(Duration::from_secs(60)).await;
            });
        })
    });
    assert!(result.is_err());
    assert!(dropped.get());
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[green::test(timeout_ms = 30_000)]
fn scoped_work_runs_in_the_calling_task() {
    let me = thread::current().id();
    thread::scope(async |s| {
        let handle = s.spawn(|| async { thread::current().id() });
        assert_eq!(handle.thread().id(), me);
        assert!(!handle.is_finished());
        assert_eq!(handle.join().unwrap(), me);
    });
}
