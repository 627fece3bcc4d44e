//! `Pool`, `Group`, `Pile`, ported from gevent's test__pool.py.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::{GreenError, Group, Pile, Pool, PoolFull};

#[green::green]
fn sleep_then(ms: u64) -> u64 {
    green::sleep(Duration::from_millis(ms));
    ms
}

#[green::test(timeout_ms = 10_000)]
fn a_pool_of_one_never_runs_two_at_once() {
    let pool = Pool::new(1);
    let (running, most) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    for i in 0..10 {
        let (running, most) = (running.clone(), most.clone());
        pool.spawn(move || async move {
            running.set(running.get() + 1);
            most.set(most.get().max(running.get()));
            green::sleep(Duration::from_millis(i % 3)).await;
            running.set(running.get() - 1);
        });
        assert!(pool.len() <= 1);
    }
    pool.join();
    assert_eq!(most.get(), 1);
    assert_eq!(pool.free_count(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn spawn_waits_for_a_free_slot() {
    // gevent's TestSpawn.
    let pool = Pool::new(1);
    assert_eq!(pool.len(), 0);
    let first = pool.spawn(|| sleep_then(20));
    assert_eq!(pool.len(), 1);
    let start = Instant::now();
    let second = pool.spawn(|| sleep_then(20));
    assert!(first.is_ready(), "spawn did not wait for the slot");
    assert!(start.elapsed() >= Duration::from_millis(15));
    assert_eq!(pool.len(), 1);
    assert_eq!(second.join(), Ok(20));
    green::idle();
    assert_eq!(pool.len(), 0);
}

#[green::test(timeout_ms = 10_000)]
fn free_count_follows_spawns() {
    // gevent's PoolBasicTests.test_execute_async.
    let pool = Pool::new(2);
    assert_eq!(pool.free_count(), 2);
    let log = Rc::new(RefCell::new(Vec::new()));
    let push = |n: u32| {
        let log = log.clone();
        move || async move { log.borrow_mut().push(n) }
    };
    let first = pool.spawn(push(1));
    assert_eq!(pool.free_count(), 1);
    first.join().unwrap();
    assert_eq!(*log.borrow(), [1]);
    assert_eq!(pool.free_count(), 2);
    pool.spawn(push(2));
    assert_eq!(pool.free_count(), 1);
    pool.spawn(push(3));
    assert_eq!(pool.free_count(), 0);
    assert!(pool.is_full());
    assert_eq!(*log.borrow(), [1]);
    pool.spawn(push(4)); // waits: the first two run meanwhile
    green::sleep(Duration::from_millis(10));
    let mut seen = log.borrow().clone();
    seen.sort();
    assert_eq!(seen, [1, 2, 3, 4]);
}

#[green::test(timeout_ms = 10_000)]
fn a_killed_member_releases_its_slot() {
    let pool = Pool::new(1);
    let sleeper = pool.spawn(|| sleep_then(60_000));
    assert!(pool.is_full());
    assert!(matches!(pool.try_spawn(|| async {}), Err(PoolFull(_))));
    sleeper.kill();
    assert_eq!(pool.free_count(), 1);
    assert_eq!(pool.len(), 0);
    assert_eq!(sleeper.join(), Err(GreenError::Killed));
    let next = pool
        .try_spawn(|| async { "next" })
        .ok()
        .expect("slot was freed");
    assert_eq!(next.join(), Ok("next"));
}

#[green::test(timeout_ms = 10_000)]
fn a_panicking_member_releases_its_slot() {
    let pool = Pool::new(1);
    let crash = pool.spawn(|| async { panic!("whoa") });
    assert_eq!(crash.join(), Err(GreenError::Panicked("whoa".to_owned())));
    assert_eq!(pool.free_count(), 1);
    assert_eq!(pool.apply(|| async { 1 }), Ok(1));
}

#[green::test(timeout_ms = 10_000)]
fn a_pool_of_zero_is_always_full() {
    let pool = Pool::new(0);
    assert_eq!(pool.free_count(), 0);
    assert!(pool.is_full());
    assert!(pool.try_spawn(|| async {}).is_err());
    assert!(green::timeout(Duration::from_millis(10), || pool.wait_available()).is_err());
    assert!(green::timeout(Duration::from_millis(10), || pool.spawn(|| async {})).is_err());
}

#[green::test(timeout_ms = 10_000)]
fn spawn_from_inside_a_full_pool_does_not_deadlock() {
    // gevent's test_reentrant: apply inside apply on a pool of one.
    let pool = Pool::new(1);
    let inner_pool = pool.clone();
    let result = pool.apply(move || async move { inner_pool.apply(|| async { 5 + 1 }).await });
    assert_eq!(result, Ok(Ok(6)));

    // spawn + join from a member of a full pool.
    let inner_pool = pool.clone();
    let outer = pool.spawn(move || async move {
        let child = inner_pool.spawn(|| sleep_then(5)).await;
        child.join().await
    });
    assert_eq!(outer.join(), Ok(Ok(5)));
    assert_eq!(pool.free_count(), 1);

    // map from a member of a full pool.
    let inner_pool = pool.clone();
    let mapped = pool.apply(move || async move {
        inner_pool
            .map(|x: u32| async move { x * 2 }, [1, 2, 3])
            .await
    });
    assert_eq!(mapped, Ok(vec![Ok(2), Ok(4), Ok(6)]));
    pool.join();
    assert_eq!(pool.free_count(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn map_and_imap_keep_input_order() {
    for size in [1, 2, 3, 10] {
        let pool = Pool::new(size);
        let squares = pool.map(|x: u64| async move { x * x }, 0..10);
        let expected: Vec<_> = (0..10u64).map(|x| Ok(x * x)).collect();
        assert_eq!(squares, expected);

        let mut results = pool.imap(|x: u64| async move { x * x }, 0..1000);
        for i in 0..1000u64 {
            assert_eq!(results.next(), Some(Ok(i * i)));
        }
        assert_eq!(results.next(), None);
        assert_eq!(pool.map(|x: u64| async move { x }, Vec::new()), []);
    }
}

#[green::test(timeout_ms = 10_000)]
fn imap_unordered_gives_completion_order_and_input_order_for_size_one() {
    // gevent's test_imap_unordered_sleep, 1.0/0.1/0.2 s scaled to 100/10/20 ms x2.
    for (size, expected) in [(1, [200, 20, 40]), (2, [20, 40, 200]), (3, [20, 40, 200])] {
        let pool = Pool::new(size);
        let mut results = pool.imap_unordered(|ms: u64| sleep_then(ms), [200, 20, 40]);
        let mut seen = Vec::new();
        while let Some(result) = results.next() {
            seen.push(result.unwrap());
        }
        assert_eq!(seen, expected, "pool size {size}");
    }
}

#[green::test(timeout_ms = 10_000)]
fn an_item_failure_shows_at_that_item_and_later_items_still_come() {
    let pool = Pool::new(2);
    let results = pool.map(
        |x: u32| async move {
            assert_ne!(x, 2, "two fails");
            x
        },
        [1, 2, 3],
    );
    assert_eq!(results[0], Ok(1));
    assert!(matches!(&results[1], Err(GreenError::Panicked(m)) if m.contains("two fails")));
    assert_eq!(results[2], Ok(3));

    let mut unordered = pool.imap_unordered(
        |x: u32| async move {
            assert_ne!(x, 1, "one fails");
            x
        },
        [1, 2],
    );
    let mut oks = 0;
    let mut errors = 0;
    while let Some(result) = unordered.next() {
        match result {
            Ok(_) => oks += 1,
            Err(_) => errors += 1,
        }
    }
    assert_eq!((oks, errors), (1, 1));
}

#[green::test(timeout_ms = 10_000)]
fn kill_stops_every_member_quickly() {
    // gevent's test_terminate.
    let pool = Pool::new(3);
    for _ in 0..3 {
        pool.spawn(|| sleep_then(60_000));
    }
    let start = Instant::now();
    pool.kill();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(pool.len(), 0);
    assert_eq!(pool.free_count(), 3);
}

#[green::test(timeout_ms = 10_000)]
fn join_and_join_timeout() {
    let pool = Pool::new(2);
    pool.join(); // empty: at once
    pool.spawn(|| sleep_then(60_000));
    let start = Instant::now();
    assert!(!pool.join_timeout(Duration::from_millis(30)));
    assert!(start.elapsed() >= Duration::from_millis(25));
    pool.kill();
    assert!(pool.join_timeout(Duration::from_millis(30)));
}

#[green::test(timeout_ms = 10_000)]
fn wait_available_waits_for_a_slot_without_taking_it() {
    let pool = Pool::new(1);
    pool.spawn(|| sleep_then(10));
    assert_eq!(pool.wait_available(), 1);
    assert_eq!(pool.free_count(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn a_group_tracks_joins_and_kills_its_members() {
    let group = Group::new();
    let quick = group.spawn(|| sleep_then(1));
    let slow = group.spawn(|| sleep_then(60_000));
    assert_eq!(group.len(), 2);
    assert!(!group.join_timeout(Duration::from_millis(20)));
    assert!(quick.is_ready());
    assert_eq!(group.len(), 1);
    group.kill();
    assert_eq!(slow.join(), Err(GreenError::Killed));
    assert!(group.is_empty());
    assert_eq!(
        group.map(|x: i32| async move { x + 1 }, [1, 2]),
        [Ok(2), Ok(3)]
    );
}

#[green::test(timeout_ms = 10_000)]
fn a_pile_gives_results_in_spawn_order() {
    let pile = Pile::new();
    for ms in [30, 1, 15] {
        pile.spawn(move || sleep_then(ms));
    }
    let mut order = Vec::new();
    while let Some(result) = pile.next() {
        order.push(result.unwrap());
    }
    assert_eq!(order, [30, 1, 15]);

    let pool = Pool::new(1);
    let pile = Pile::with_pool(&pool);
    for i in 0..3 {
        pile.spawn(move || async move { i });
    }
    assert_eq!(pile.len(), 3);
    assert_eq!(pile.next(), Some(Ok(0)));
    assert_eq!(pile.next(), Some(Ok(1)));
    assert_eq!(pile.next(), Some(Ok(2)));
    assert_eq!(pile.next(), None);
}

#[green::test(timeout_ms = 10_000)]
fn imap_and_a_pile_work_in_green_for_loops() {
    let pool = Pool::new(4);
    let mut total = 0;
    for result in pool.imap_unordered(|x: u64| sleep_then(x), [8, 2, 4]) {
        total += result.unwrap();
    }
    assert_eq!(total, 14);

    let pile = Pile::with_pool(&pool);
    for i in 0..3u64 {
        pile.spawn(move || sleep_then(3 - i));
    }
    let mut order = Vec::new();
    for result in &pile {
        order.push(result.unwrap());
    }
    assert_eq!(order, [3, 2, 1]);
}
