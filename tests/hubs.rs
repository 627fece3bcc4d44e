//! `green::hubs(n)`: n hubs on n threads in one process. Work crosses to a
//! hub as a `Send` closure, runs there as a green task (with `!Send` state),
//! and its result comes back to green code on any hub or to a plain thread.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use green::{GreenError, HubTask};

#[green::green]
fn identity(i: u64) -> u64 {
    i
}

#[test]
fn one_hundred_thousand_tasks_across_two_hubs_sum_exactly() {
    const N: u64 = 100_000;
    let hubs = green::hubs(2);
    assert_eq!(hubs.len(), 2);
    let tasks: Vec<HubTask<u64>> = (0..N)
        .map(|i| hubs.spawn_on(i as usize, move || identity(i)))
        .collect();
    let mut per_hub = [0u64; 2];
    let mut sum = 0;
    for task in tasks {
        per_hub[task.hub()] += 1;
        sum += task.join_blocking().unwrap();
    }
    assert_eq!(sum, N * (N - 1) / 2);
    assert_eq!(per_hub, [N / 2, N / 2]);
}

#[test]
fn spawn_goes_to_the_least_loaded_hub() {
    let hubs = green::hubs(2);
    // Hub 0 kept busy: 50 sleeping tasks.
    let busy: Vec<_> = (0..50)
        .map(|_| hubs.spawn_on(0, || green::sleep(Duration::from_secs(60))))
        .collect();
    assert_eq!(hubs.loads()[0], 50);
    let placed: Vec<_> = (0..20)
        .map(|_| hubs.spawn(|| green::sleep(Duration::from_secs(60))))
        .collect();
    let on_hub_1 = placed.iter().filter(|task| task.hub() == 1).count();
    assert_eq!(on_hub_1, 20, "the busy hub got work: {:?}", hubs.loads());
    // The loads are live tasks (once started) plus work queued.
    let start = Instant::now();
    while hubs.loads() != [50, 20] && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(hubs.loads(), [50, 20]);
    // Hub 1 gets what makes up the difference, then they alternate (give
    // or take one: a hub starting a task counts it twice for an instant).
    let more: Vec<_> = (0..40)
        .map(|_| hubs.spawn(|| green::sleep(Duration::from_secs(60))))
        .collect();
    let to_hub_1 = more.iter().filter(|task| task.hub() == 1).count();
    assert!((30..=36).contains(&to_hub_1), "{to_hub_1} of 40 to hub 1");
    hubs.shutdown(Duration::ZERO);
    for task in busy.into_iter().chain(placed).chain(more) {
        assert_eq!(task.join_blocking(), Err(GreenError::Killed));
    }
}

#[green::green]
fn tick(ticks: Arc<AtomicUsize>) {
    loop {
        ticks.fetch_add(1, Ordering::Relaxed);
        green::sleep(Duration::from_millis(1));
    }
}

#[green::green]
fn explode(i: u32) -> u32 {
    green::idle();
    if i < u32::MAX {
        panic!("boom {i}");
    }
    i
}

#[test]
fn a_panic_storm_on_hub_1_leaves_hub_0_running() {
    let hubs = green::hubs(2);
    let ticks = Arc::new(AtomicUsize::new(0));
    let ticker = {
        let ticks = ticks.clone();
        hubs.spawn_on(0, move || tick(ticks))
    };
    let start = Instant::now();
    while ticks.load(Ordering::Relaxed) == 0 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let before = ticks.load(Ordering::Relaxed);
    let panics: Vec<_> = (0..200)
        .map(|i| hubs.spawn_on(1, move || explode(i)))
        .collect();
    for (i, task) in panics.into_iter().enumerate() {
        assert_eq!(
            task.join_blocking(),
            Err(GreenError::Panicked(format!("boom {i}")))
        );
    }
    // Hub 1 goes on after the storm, and hub 0 kept ticking through it.
    let after = hubs.spawn_on(1, || async { green::hub_index() });
    assert_eq!(after.join_blocking(), Ok(1));
    let start = Instant::now();
    while ticks.load(Ordering::Relaxed) < before + 5 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(ticks.load(Ordering::Relaxed) >= before + 5);
    assert!(!ticker.is_ready());
    drop(hubs);
    assert_eq!(ticker.join_blocking(), Err(GreenError::Killed));
}

#[green::green]
fn push_three(log: Rc<RefCell<Vec<usize>>>, id: usize) {
    for _ in 0..3 {
        log.borrow_mut().push(id);
        green::idle();
    }
}

#[test]
fn green_work_keeps_rc_state_on_its_hub() {
    let hubs = green::hubs(2);
    let task = hubs.spawn_on(1, || {
        // Made on hub 1, shared by two of its tasks, never sent.
        let log = Rc::new(RefCell::new(Vec::new()));
        async move {
            let a = {
                let log = log.clone();
                green::spawn(move || push_three(log, 1))
            };
            let b = {
                let log = log.clone();
                green::spawn(move || push_three(log, 2))
            };
            a.join().await.unwrap();
            b.join().await.unwrap();
            let order = log.borrow().clone();
            (green::hub_index(), order)
        }
    });
    assert_eq!(task.join_blocking(), Ok((1, vec![1, 2, 1, 2, 1, 2])));
}

#[green::green]
fn relay(hubs: Arc<green::Hubs>) -> (usize, usize) {
    let here = green::hub_index();
    let there = hubs.spawn_on(1, || async { green::hub_index() });
    (here, there.join().unwrap())
}

#[test]
fn join_from_another_hubs_green_code_and_from_a_plain_thread() {
    let hubs = Arc::new(green::hubs(2));
    let from_hub_0 = {
        let hubs2 = hubs.clone();
        hubs.spawn_on(0, move || relay(hubs2))
    };
    // Joined on a thread that is no hub.
    let joiner = std::thread::spawn(move || from_hub_0.join_blocking());
    assert_eq!(joiner.join().unwrap(), Ok((0, 1)));
    // And from green code on a hub of its own (`green::run`), via `join`.
    let task = hubs.spawn_on(1, || async { String::from("crossed") });
    let result = green::run(task.join());
    assert_eq!(result.as_deref(), Ok("crossed"));
}

#[test]
fn hubs_run_on_named_threads_and_know_their_index() {
    let hubs = green::hubs(3);
    for hub in 0..3 {
        let task = hubs.spawn_on(hub, || async {
            let thread = std::thread::current().name().map(str::to_owned);
            let tasks = green::tasks();
            let me = green::current().id();
            let listed = tasks.iter().find(|t| t.id == me).map(|t| t.hub);
            (green::hub_index(), thread, listed, green::worker())
        });
        let name = format!("green-hub-{hub}");
        assert_eq!(task.join_blocking(), Ok((hub, Some(name), Some(hub), None)));
    }
    // Out of range wraps around.
    assert_eq!(hubs.spawn_on(7, || async {}).hub(), 1);
    assert_eq!(green::hub_index(), 0);
}

/// Counts its drops.
struct Guard(Arc<AtomicUsize>);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[green::green]
fn sleep_holding(guard: Guard, how_long: Duration) {
    green::sleep(how_long);
    drop(guard);
}

#[test]
fn shutdown_kills_sleepers_in_bounded_time_and_runs_their_destructors() {
    let hubs = green::hubs(2);
    let drops = Arc::new(AtomicUsize::new(0));
    let sleepers: Vec<_> = (0..100)
        .map(|_| {
            let guard = Guard(drops.clone());
            hubs.spawn(move || sleep_holding(guard, Duration::from_secs(60)))
        })
        .collect();
    let quick = {
        let guard = Guard(drops.clone());
        hubs.spawn_on(1, move || sleep_holding(guard, Duration::from_millis(20)))
    };
    // Every task started (and so owns its guard) before the shutdown.
    let start = Instant::now();
    while hubs.loads().iter().sum::<usize>() != 101 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let start = Instant::now();
    hubs.shutdown(Duration::from_millis(300));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(250), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert_eq!(drops.load(Ordering::SeqCst), 101);
    assert_eq!(quick.join_blocking(), Ok(()));
    for sleeper in sleepers {
        assert!(sleeper.is_ready());
        assert_eq!(sleeper.join_blocking(), Err(GreenError::Killed));
    }
}

#[test]
fn shutdown_returns_early_once_every_task_ended() {
    let hubs = green::hubs(2);
    let task = hubs.spawn_on(0, || green::sleep(Duration::from_millis(10)));
    let start = Instant::now();
    hubs.shutdown(Duration::from_secs(30));
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(task.join_blocking(), Ok(()));
}

#[test]
fn dropping_the_handle_on_its_own_hub_does_not_hang() {
    let hubs = Arc::new(green::hubs(2));
    let last = {
        let hubs = hubs.clone();
        hubs.clone().spawn_on(0, move || async move {
            green::sleep(Duration::from_millis(20)).await;
            // The last handle goes away on hub 0 itself.
            drop(hubs);
            "dropped"
        })
    };
    drop(hubs);
    let start = Instant::now();
    assert_eq!(last.join_blocking(), Ok("dropped"));
    assert!(start.elapsed() < Duration::from_secs(5));
}
