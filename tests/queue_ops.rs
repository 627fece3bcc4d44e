//! Queues and channels, ported from gevent's test__queue.py.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::{Channel, Closed, GetError, LifoQueue, PriorityQueue, PutError, Queue};

#[green::test(timeout_ms = 10_000)]
fn items_come_out_in_each_queue_order() {
    let fifo = Queue::new();
    let lifo = LifoQueue::new();
    let prio = PriorityQueue::new();
    for i in [3, 1, 2] {
        fifo.put(i).unwrap();
        lifo.put(i).unwrap();
        prio.put(i).unwrap();
    }
    let drain = |take: &dyn Fn() -> Result<i32, GetError>| {
        std::iter::from_fn(|| take().ok()).collect::<Vec<_>>()
    };
    assert_eq!(drain(&|| fifo.try_get()), [3, 1, 2]);
    assert_eq!(drain(&|| lifo.try_get()), [2, 1, 3]);
    assert_eq!(drain(&|| prio.try_get()), [1, 2, 3]);
}

#[green::test(timeout_ms = 10_000)]
fn a_bounded_queue_of_two_holds_two_until_a_get() {
    let queue = Queue::bounded(2);
    let log = Rc::new(RefCell::new(Vec::new()));
    let putter = {
        let (queue, log) = (queue.clone(), log.clone());
        green::spawn(move || async move {
            for item in ["a", "b", "c"] {
                queue.put(item).await.unwrap();
                log.borrow_mut().push(item);
            }
        })
    };
    green::sleep(Duration::from_millis(10));
    assert_eq!(*log.borrow(), ["a", "b"]);
    assert_eq!(queue.len(), 2);
    assert!(queue.is_full());
    assert!(!putter.is_ready());
    assert_eq!(queue.get(), Ok("a"));
    putter.join().unwrap();
    assert_eq!(*log.borrow(), ["a", "b", "c"]);
    assert_eq!(queue.try_get(), Ok("b"));
    assert_eq!(queue.try_get(), Ok("c"));
}

#[green::test(timeout_ms = 10_000)]
fn getters_are_served_in_arrival_order() {
    let queue = Queue::new();
    let getters: Vec<_> = (0..10)
        .map(|_| {
            let queue = queue.clone();
            green::spawn(move || async move { queue.get().await.unwrap() })
        })
        .collect();
    green::idle();
    for i in 0..10 {
        queue.put(i).unwrap();
    }
    let got: Vec<_> = green::joinall(getters)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(got, (0..10).collect::<Vec<_>>());
}

#[green::test(timeout_ms = 10_000)]
fn putters_are_served_in_arrival_order() {
    let queue = Queue::bounded(1);
    queue.put(-1).unwrap();
    let putters: Vec<_> = (0..5)
        .map(|i| {
            let queue = queue.clone();
            green::spawn(move || async move { queue.put(i).await.unwrap() })
        })
        .collect();
    green::idle();
    let mut got = Vec::new();
    for _ in 0..6 {
        got.push(queue.get().unwrap());
    }
    assert_eq!(got, [-1, 0, 1, 2, 3, 4]);
    green::joinall(putters);
}

#[green::test(timeout_ms = 10_000)]
fn a_getter_cancelled_by_a_zero_timeout_is_skipped() {
    let queue = Queue::new();
    let quitter = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get_timeout(Duration::ZERO).await })
    };
    let live = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get().await })
    };
    green::idle();
    assert_eq!(quitter.join(), Ok(Err(GetError::Empty)));
    queue.put("item").unwrap();
    assert_eq!(live.join(), Ok(Ok("item")));
    assert!(queue.is_empty());
}

#[green::test(timeout_ms = 10_000)]
fn a_getter_killed_after_it_was_woken_passes_the_item_on() {
    let queue = Queue::new();
    let first = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get().await })
    };
    let second = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get().await })
    };
    green::idle();
    queue.put(1).unwrap(); // wakes `first`...
    first.kill(); // ...which dies before it runs
    assert_eq!(second.join(), Ok(Ok(1)));
    assert!(queue.is_empty());
    // A newcomer does not overtake a woken getter either.
    let third = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get().await })
    };
    green::idle();
    queue.put(2).unwrap();
    assert_eq!(
        queue.try_get(),
        Err(GetError::Empty),
        "try_get took an item owed to a woken getter"
    );
    assert_eq!(third.join(), Ok(Ok(2)));
}

#[green::test(timeout_ms = 10_000)]
fn a_getter_timed_out_never_swallows_a_later_item() {
    let queue: Queue<u32> = Queue::new();
    let start = Instant::now();
    assert_eq!(
        queue.get_timeout(Duration::from_millis(30)),
        Err(GetError::Empty)
    );
    assert!(start.elapsed() >= Duration::from_millis(25));
    queue.put(9).unwrap();
    assert_eq!(queue.try_get(), Ok(9));
}

#[green::test(timeout_ms = 10_000)]
fn put_timeout_and_try_put_give_the_item_back() {
    let queue = Queue::bounded(1);
    assert_eq!(queue.try_put(String::from("a")), Ok(()));
    assert_eq!(
        queue.try_put(String::from("b")),
        Err(PutError::Full(String::from("b")))
    );
    let start = Instant::now();
    let Err(PutError::Full(item)) = queue.put_timeout(String::from("c"), Duration::from_millis(30))
    else {
        panic!("put_timeout on a full queue succeeded");
    };
    assert_eq!(item, "c");
    assert!(start.elapsed() >= Duration::from_millis(25));
    assert_eq!(queue.len(), 1);
    assert_eq!(format!("{:?}", PutError::Full(())), "Full(..)");
    assert_eq!(PutError::Full(()).to_string(), "queue is full");
}

#[green::test(timeout_ms = 10_000)]
fn peek_waits_for_an_item_without_taking_it() {
    let queue = Queue::new();
    let peeker = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.peek().await })
    };
    green::idle();
    assert!(!peeker.is_ready());
    queue.put(4).unwrap();
    assert_eq!(peeker.join(), Ok(Ok(4)));
    assert_eq!(queue.try_peek(), Some(4));
    assert_eq!(queue.len(), 1);
}

#[green::test(timeout_ms = 10_000)]
fn join_waits_for_every_task_done() {
    let queue = Queue::new();
    let done = Rc::new(RefCell::new(0));
    let worker = {
        let (queue, done) = (queue.clone(), done.clone());
        green::spawn(move || async move {
            while let Ok(_item) = queue.get().await {
                green::sleep(Duration::from_millis(1)).await;
                *done.borrow_mut() += 1;
                queue.task_done();
            }
        })
    };
    // Nothing put yet: join returns at once (gevent issue 45).
    queue.join();
    for i in 0..5 {
        queue.put(i).unwrap();
    }
    queue.join();
    assert_eq!(*done.borrow(), 5);
    queue.close();
    worker.join().unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn close_drains_then_reports_closed_and_ends_iteration() {
    let queue = Queue::new();
    queue.put(1).unwrap();
    queue.put(2).unwrap();
    queue.close();
    assert_eq!(queue.put(3), Err(Closed(3)));
    assert_eq!(queue.try_put(3), Err(PutError::Closed(3)));
    assert_eq!(
        queue.put_timeout(3, Duration::from_millis(5)),
        Err(PutError::Closed(3))
    );
    let mut seen = Vec::new();
    for item in queue.iter() {
        seen.push(item);
    }
    assert_eq!(seen, [1, 2]);
    assert_eq!(queue.get(), Err(Closed(())));
    assert_eq!(queue.try_get(), Err(GetError::Closed));
    assert_eq!(
        queue.get_timeout(Duration::from_millis(5)),
        Err(GetError::Closed)
    );
}

#[green::test(timeout_ms = 10_000)]
fn close_wakes_blocked_getters_and_putters() {
    let empty: Queue<u8> = Queue::new();
    let full = Queue::bounded(1);
    full.put(0u8).unwrap();
    let getter = {
        let empty = empty.clone();
        green::spawn(move || async move { empty.get().await })
    };
    let putter = {
        let full = full.clone();
        green::spawn(move || async move { full.put(1).await })
    };
    green::idle();
    empty.close();
    full.close();
    assert_eq!(getter.join(), Ok(Err(Closed(()))));
    assert_eq!(putter.join(), Ok(Err(Closed(1))));
    assert_eq!(full.get(), Ok(0));
}

#[test]
#[should_panic(expected = "Channel")]
fn bounded_zero_panics_and_points_at_channel() {
    let _ = Queue::<u8>::bounded(0);
}

#[green::test(timeout_ms = 10_000)]
fn channel_put_returns_once_a_getter_took_the_item() {
    // gevent's TestChannel.test_send.
    let channel = Channel::new();
    let events = Rc::new(RefCell::new(Vec::new()));
    let getter = {
        let (channel, events) = (channel.clone(), events.clone());
        green::spawn(move || async move {
            let item = channel.get().await.unwrap();
            events.borrow_mut().push(item);
            let item = channel.get().await.unwrap();
            events.borrow_mut().push(item);
        })
    };
    events.borrow_mut().push("sending");
    channel.put("hello").unwrap();
    events.borrow_mut().push("sent hello");
    channel.put("world").unwrap();
    events.borrow_mut().push("sent world");
    assert_eq!(
        *events.borrow(),
        ["sending", "hello", "sent hello", "world", "sent world"]
    );
    getter.join().unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn channel_get_waits_for_a_putter() {
    // gevent's TestChannel.test_wait.
    let channel = Channel::new();
    let events = Rc::new(RefCell::new(Vec::new()));
    let putter = {
        let (channel, events) = (channel.clone(), events.clone());
        green::spawn(move || async move {
            events.borrow_mut().push("sending hello");
            channel.put("hello").await.unwrap();
            events.borrow_mut().push("sending world");
            channel.put("world").await.unwrap();
            events.borrow_mut().push("sent world");
        })
    };
    events.borrow_mut().push("waiting");
    let item = channel.get().unwrap();
    events.borrow_mut().push(item);
    let item = channel.get().unwrap();
    events.borrow_mut().push(item);
    putter.join().unwrap();
    assert_eq!(
        *events.borrow(),
        [
            "waiting",
            "sending hello",
            "hello",
            "sending world",
            "world",
            "sent world"
        ]
    );
}

#[green::test(timeout_ms = 10_000)]
fn channel_timeouts_and_try_ops() {
    let channel = Channel::new();
    assert_eq!(channel.try_put(1), Err(PutError::Full(1)));
    assert_eq!(
        channel.put_timeout(2, Duration::from_millis(10)),
        Err(PutError::Full(2))
    );
    assert_eq!(
        channel.get_timeout(Duration::from_millis(10)),
        Err(GetError::Empty)
    );
    // A withdrawn item is never seen by a later getter.
    assert_eq!(channel.try_get(), Err(GetError::Empty));
    let getter = {
        let channel = channel.clone();
        green::spawn(move || async move { channel.get().await })
    };
    green::idle();
    assert_eq!(channel.try_put(3), Ok(()));
    assert_eq!(getter.join(), Ok(Ok(3)));
}

#[green::test(timeout_ms = 10_000)]
fn a_killed_channel_putter_withdraws_its_item() {
    let channel = Channel::new();
    let putter = {
        let channel = channel.clone();
        green::spawn(move || async move { channel.put("gone").await })
    };
    green::idle();
    putter.kill();
    assert_eq!(
        channel.get_timeout(Duration::from_millis(10)),
        Err(GetError::Empty)
    );
    channel.close();
    assert_eq!(channel.try_get(), Err(GetError::Closed));
    assert_eq!(channel.try_put("late"), Err(PutError::Closed("late")));
    assert_eq!(channel.get(), Err(Closed(())));
    assert_eq!(channel.put("late"), Err(Closed("late")));
}

#[green::test(timeout_ms = 10_000)]
fn a_for_loop_over_a_queue_ends_when_it_is_closed_and_drained() {
    let queue = Queue::new();
    let producer = {
        let queue = queue.clone();
        green::spawn(move || async move {
            for i in 0..5 {
                queue.put(i).await.unwrap();
                green::sleep(Duration::from_millis(1)).await;
            }
            queue.close();
        })
    };
    let mut seen = Vec::new();
    for item in &queue {
        seen.push(item);
    }
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    producer.join().unwrap();

    let channel = Channel::new();
    let putter = {
        let channel = channel.clone();
        green::spawn(move || async move {
            channel.put('x').await.unwrap();
            channel.close();
        })
    };
    let mut got = Vec::new();
    for item in channel.clone() {
        got.push(item);
    }
    assert_eq!(got, ['x']);
    putter.join().unwrap();
}

#[green::test(timeout_ms = 10_000)]
fn max_size_exactly_as_gevent() {
    // gevent's TestQueue.test_max_size, turn by turn.
    let queue = Queue::bounded(2);
    let results = Rc::new(RefCell::new(Vec::new()));
    let putter = {
        let (queue, results) = (queue.clone(), results.clone());
        green::spawn(move || async move {
            for item in ["a", "b", "c"] {
                queue.put(item).await.unwrap();
                results.borrow_mut().push(item);
            }
            "OK"
        })
    };
    green::idle();
    assert_eq!(*results.borrow(), ["a", "b"]);
    assert_eq!(queue.get(), Ok("a"));
    green::idle();
    assert_eq!(*results.borrow(), ["a", "b", "c"]);
    assert_eq!(queue.get(), Ok("b"));
    assert_eq!(queue.get(), Ok("c"));
    assert!(putter.is_ready());
    assert_eq!(putter.join(), Ok("OK"));
}

#[green::test(timeout_ms = 10_000)]
fn two_bogus_waiters_time_out_and_the_item_stays() {
    // gevent's test_two_bogus_waiters and test_waiters_that_cancel.
    let queue = Queue::new();
    let bogus: Vec<_> = (0..2)
        .map(|_| {
            let queue = queue.clone();
            green::spawn(
                move || async move { green::timeout(Duration::ZERO, || queue.get()).await },
            )
        })
        .collect();
    green::sleep(Duration::from_millis(20));
    queue.put("sent").unwrap();
    for outcome in green::joinall(bogus) {
        assert_eq!(outcome, Ok(Err(green::Elapsed)));
    }
    assert_eq!(queue.get(), Ok("sent"));
}

#[green::test(timeout_ms = 10_000)]
fn multiple_waiters_each_get_one_item() {
    // gevent's test_multiple_waiters.
    let queue = Queue::new();
    let results: Vec<green::AsyncResult<&str, ()>> =
        (0..4).map(|_| green::AsyncResult::new()).collect();
    for result in &results {
        let (queue, result) = (queue.clone(), result.clone());
        green::spawn(move || async move { result.set(queue.get().await.unwrap()) });
    }
    green::sleep(Duration::from_millis(10));
    let ready =
        |results: &[green::AsyncResult<&str, ()>]| results.iter().filter(|r| r.is_ready()).count();
    queue.put("1").unwrap();
    green::idle();
    assert_eq!(ready(&results), 1);
    queue.put("2").unwrap();
    green::idle();
    assert_eq!(ready(&results), 2);
    queue.put("3").unwrap();
    queue.put("4").unwrap();
    green::idle();
    assert_eq!(ready(&results), 4);
    let mut got: Vec<_> = results
        .iter()
        .map(|r| r.try_get().unwrap().unwrap())
        .collect();
    got.sort();
    assert_eq!(got, ["1", "2", "3", "4"]);
}

#[green::test(timeout_ms = 10_000)]
fn try_put_hands_an_item_to_a_waiting_getter() {
    // gevent's test_put_nowait_unlock.
    let queue = Queue::new();
    let getter = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get().await })
    };
    green::sleep(Duration::from_millis(1));
    assert!(queue.is_empty());
    assert_eq!(queue.try_put(10), Ok(()));
    assert!(!getter.is_ready());
    green::sleep(Duration::from_millis(1));
    assert!(getter.is_ready());
    assert!(queue.is_empty());
    assert_eq!(getter.join(), Ok(Ok(10)));
}

#[green::test(timeout_ms = 10_000)]
fn channel_try_get_releases_a_waiting_putter() {
    // gevent's test_get_nowait_unlock_channel and test_zero_max_size.
    let channel = Channel::new();
    let putter = {
        let channel = channel.clone();
        green::spawn(move || async move { channel.put(5).await })
    };
    green::sleep(Duration::from_millis(1));
    assert!(!putter.is_ready());
    assert_eq!(channel.try_get(), Ok(5));
    green::sleep(Duration::from_millis(1));
    assert!(putter.is_ready());
    assert_eq!(putter.join(), Ok(Ok(())));

    let channel = Channel::new();
    let sender_done = green::AsyncResult::<&str, ()>::new();
    let sender = {
        let (channel, done) = (channel.clone(), sender_done.clone());
        green::spawn(move || async move {
            channel.put("hi").await.unwrap();
            done.set("done");
        })
    };
    green::sleep(Duration::from_millis(1));
    assert!(!sender_done.is_ready());
    let receiver = {
        let channel = channel.clone();
        green::spawn(move || async move { channel.get().await })
    };
    assert_eq!(receiver.join(), Ok(Ok("hi")));
    assert_eq!(sender_done.get(), Ok("done"));
    assert_eq!(
        green::timeout(Duration::ZERO, || green::joinall([sender])),
        Ok(vec![Ok(())])
    );
}
