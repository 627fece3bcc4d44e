//! The deadlock report (gevent's LoopExit): when every task of the hub, main
//! included, waits on something only another task of the hub could give, the
//! main task's wait panics with "this would block forever" and the list of
//! tasks; waits that I/O, a timer or a thread can end are never reported.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use green::compat::io::{Read, Write};
use green::compat::net::{TcpListener, TcpStream};
use green::{Event, GetError, Lock, Queue};

/// Runs `work` on a hub and gives the message it panicked with.
fn deadlock_report<F: std::future::IntoFuture>(work: F) -> String {
    let payload = catch_unwind(AssertUnwindSafe(|| {
        green::run(work);
    }))
    .expect_err("the hub should have reported a deadlock");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => panic!("not a String payload: {:?}", payload.downcast_ref::<&str>()),
    }
}

/// The line of this file that ends with the comment `// <marker>`.
fn line_with(marker: &str) -> usize {
    let end = format!("// {marker}");
    include_str!("hub_deadlock.rs")
        .lines()
        .position(|line| line.ends_with(&end))
        .unwrap_or_else(|| panic!("no line marked {marker}"))
        + 1
}

/// The report's line for the task named `name`.
fn line_of<'a>(report: &'a str, name: &str) -> &'a str {
    report
        .lines()
        .find(|line| line.split_whitespace().nth(1) == Some(name))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{report}"))
}

#[test]
fn an_event_nobody_sets() {
    let line = line_with("wait-event");
    let report = deadlock_report(async {
        let event = Event::new();
        event.wait().await; // wait-event
    });
    assert!(report.starts_with("this would block forever"), "{report}");
    let main = line_of(&report, "MainGreenlet");
    assert!(
        main.contains(&format!("Event::wait at {}:{line}", file!())),
        "{report}"
    );
    assert!(main.contains("waiting"), "{report}");
}

/// Takes a number from `from` and gives the next one to `to`.
async fn relay(from: Queue<u32>, to: Queue<u32>) {
    let n = from.get().await.unwrap(); // relay-get
    to.put(n + 1).await.unwrap();
}

#[test]
fn two_tasks_each_waiting_on_the_others_queue() {
    let [spawn_a, spawn_b, get, join] =
        ["spawn-a", "spawn-b", "relay-get", "join-a"].map(line_with);
    let report = deadlock_report(async {
        let (to_a, to_b) = (Queue::<u32>::new(), Queue::<u32>::new());
        let (a_in, a_out, b_in, b_out) = (to_a.clone(), to_b.clone(), to_b.clone(), to_a.clone());
        let a = green::spawn(move || relay(a_in, a_out)); // spawn-a
        a.set_name("ping");
        let b = green::spawn(move || relay(b_in, b_out)); // spawn-b
        b.set_name("pong");
        a.join().await.unwrap(); // join-a
    });
    assert!(report.starts_with("this would block forever"), "{report}");
    let file = file!();
    for (name, spawned) in [("ping", spawn_a), ("pong", spawn_b)] {
        let task = line_of(&report, name);
        assert!(task.contains(&format!("{file}:{spawned} ")), "{report}");
        assert!(
            task.contains(&format!("Queue::get at {file}:{get}")),
            "{report}"
        );
        // The id comes first.
        let id = task.split_whitespace().next().unwrap();
        assert!(id.parse::<u64>().is_ok(), "{report}");
    }
    let main = line_of(&report, "MainGreenlet");
    assert!(
        main.contains(&format!("Greenlet::join at {file}:{join}")),
        "{report}"
    );
}

/// Takes `lock` and then takes it again.
async fn relock(lock: Lock) {
    let _first = lock.acquire().await;
    let _second = lock.acquire().await; // second-acquire
}

#[test]
fn a_lock_taken_twice_by_one_task() {
    let [spawn, second] = ["spawn-relocker", "second-acquire"].map(line_with);
    let report = deadlock_report(async {
        let lock = Lock::new();
        let worker = green::spawn(move || relock(lock)); // spawn-relocker
        worker.set_name("relocker");
        worker.join().await.unwrap();
    });
    assert!(report.starts_with("this would block forever"), "{report}");
    let worker = line_of(&report, "relocker");
    let file = file!();
    assert!(worker.contains(&format!("{file}:{spawn} ")), "{report}");
    assert!(
        worker.contains(&format!("Lock::acquire at {file}:{second}")),
        "{report}"
    );
}

#[test]
fn a_lock_taken_twice_by_main() {
    let report = deadlock_report(async {
        let lock = Lock::new();
        let _first = lock.acquire().await;
        let _second = lock.acquire().await;
    });
    assert!(report.starts_with("this would block forever"), "{report}");
    assert!(
        line_of(&report, "MainGreenlet").contains("Lock::acquire at"),
        "{report}"
    );
}

#[test]
fn a_task_that_ends_without_setting_leaves_the_others_blocked() {
    // The deadlock appears only once the task that could have set the event
    // has ended.
    let report = deadlock_report(async {
        let event = Event::new();
        let _quitter = green::spawn(|| green::sleep(Duration::from_millis(20)));
        let waiter = {
            let event = event.clone();
            green::spawn(move || async move { event.wait().await })
        };
        waiter.join().await.unwrap();
    });
    assert!(report.starts_with("this would block forever"), "{report}");
    assert!(report.contains("Event::wait at"), "{report}");
    assert!(!report.contains("sleep"), "{report}");
}

#[test]
fn the_hub_still_works_after_a_reported_deadlock() {
    deadlock_report(async { Event::new().wait().await });
    assert_eq!(green::run(async { 7 }), 7);
}

#[green::test]
#[should_panic(expected = "this would block forever")]
fn a_green_test_fails_with_the_report() {
    let queue: Queue<u8> = Queue::new();
    queue.get().unwrap();
}

#[green::test(timeout_ms = 60_000)]
#[should_panic(expected = "this would block forever")]
fn a_green_test_with_a_time_limit_fails_with_the_report_not_the_limit() {
    let task = green::spawn(|| async {
        let queue: Queue<u8> = Queue::new();
        queue.get().await
    });
    task.join().unwrap().unwrap();
}

// Waits that something other than a task of the hub ends: never reported.

#[green::test(timeout_ms = 20_000)]
fn a_queue_fed_by_a_task_that_sleeps() {
    let queue = Queue::new();
    let feeder = queue.clone();
    green::spawn(move || async move {
        green::sleep(Duration::from_millis(200)).await;
        feeder.put("late").await.unwrap();
    });
    assert_eq!(queue.get(), Ok("late"));
}

#[green::test(timeout_ms = 20_000)]
fn a_queue_fed_by_spawn_blocking() {
    let queue = Queue::new();
    let feeder = queue.clone();
    green::spawn(move || async move {
        let value = green::spawn_blocking(|| {
            std::thread::sleep(Duration::from_millis(200));
            42
        })
        .join()
        .await
        .unwrap();
        feeder.put(value).await.unwrap();
    });
    assert_eq!(queue.get(), Ok(42));
}

#[green::green]
fn read_one_byte(mut stream: TcpStream) -> u8 {
    let mut byte = [0];
    stream.read_exact(&mut byte).unwrap();
    byte[0]
}

/// A plain OS thread that connects to `addr` and writes one byte 200 ms later.
fn late_writer(addr: std::net::SocketAddr) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut peer = std::net::TcpStream::connect(addr).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        std::io::Write::write_all(&mut peer, &[9]).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    })
}

#[green::test(timeout_ms = 20_000)]
fn a_queue_fed_by_a_tcp_read() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let writer = late_writer(addr);
    let (stream, _) = listener.accept().unwrap();
    let queue = Queue::new();
    let feeder = queue.clone();
    green::spawn(move || async move {
        let byte = read_one_byte(stream).await;
        feeder.put(byte).await.unwrap();
    });
    assert_eq!(queue.get(), Ok(9));
    writer.join().unwrap();
}

#[green::test(timeout_ms = 20_000)]
fn a_green_tcp_peer_in_another_task() {
    // Both ends green, on this hub: the reader waits on I/O, not on a task.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let queue = Queue::new();
    let feeder = queue.clone();
    green::spawn(move || async move {
        let (stream, _) = listener.accept().await.unwrap();
        feeder.put(read_one_byte(stream).await).await.unwrap();
    });
    let mut client = TcpStream::connect(addr).unwrap();
    green::sleep(Duration::from_millis(100));
    client.write_all(&[5]).unwrap();
    assert_eq!(queue.get(), Ok(5));
}

#[green::test(timeout_ms = 20_000)]
fn waits_with_a_timeout_run_out_instead() {
    let queue: Queue<u8> = Queue::new();
    let start = Instant::now();
    assert_eq!(
        queue.get_timeout(Duration::from_millis(100)),
        Err(GetError::Empty)
    );
    assert_eq!(
        green::timeout(Duration::from_millis(100), || queue.get()),
        Err(green::Elapsed)
    );
    // A task blocked under a timeout keeps main's join from being a deadlock.
    let other = queue.clone();
    let waiter = green::spawn(move || async move {
        green::timeout(Duration::from_millis(100), || other.get()).await
    });
    assert_eq!(waiter.join(), Ok(Err(green::Elapsed)));
    assert!(start.elapsed() >= Duration::from_millis(300));
}

#[green::test(timeout_ms = 20_000)]
fn a_foreign_future_is_not_a_green_wait() {
    let queue = Queue::new();
    let feeder = queue.clone();
    green::spawn(move || async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        feeder.put(1).await.unwrap();
    });
    assert_eq!(queue.get(), Ok(1));
}

#[green::test(timeout_ms = 20_000)]
fn many_switches_between_blocked_tasks_are_no_deadlock() {
    // Ping-pong through two bounded queues: at every switch the one task
    // running has just woken the other, which is still marked waiting.
    let (ping, pong) = (Queue::bounded(1), Queue::bounded(1));
    let echo = {
        let (ping, pong) = (ping.clone(), pong.clone());
        green::spawn(move || async move {
            for _ in 0..10_000 {
                let n: u32 = ping.get().await.unwrap();
                pong.put(n + 1).await.unwrap();
            }
        })
    };
    for n in 0..10_000u32 {
        ping.put(n).unwrap();
        assert_eq!(pong.get(), Ok(n + 1));
    }
    echo.join().unwrap();
}

/// A plain OS thread that sends `value` on `tx` 200 ms later.
fn late_sender(
    tx: green::compat::sync::mpsc::Sender<u32>,
    value: u32,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        tx.send(value).unwrap();
    })
}

#[green::test(timeout_ms = 20_000)]
fn a_compat_channel_fed_by_an_os_thread() {
    // The only green task waits on a queue fed by main, and main waits on a
    // compat channel an OS thread feeds: not a deadlock.
    let (tx, rx) = green::compat::sync::mpsc::channel();
    let sender = late_sender(tx, 3);
    let queue = Queue::new();
    let getter = {
        let queue = queue.clone();
        green::spawn(move || async move { queue.get().await })
    };
    let value = rx.recv().unwrap();
    queue.put(value).unwrap();
    assert_eq!(getter.join(), Ok(Ok(3)));
    sender.join().unwrap();
}

#[green::test(timeout_ms = 20_000)]
fn a_compat_mutex_held_by_an_os_thread() {
    use green::compat::sync::Mutex;
    use std::sync::Arc;
    let shared = Arc::new(Mutex::new(0));
    let holder = hold_for_a_while(shared.clone());
    green::sleep(Duration::from_millis(50));
    // Main blocks on the mutex a thread holds while the only green task
    // waits on main: only the thread can end it.
    let done = Event::new();
    let waiter = {
        let done = done.clone();
        green::spawn(move || async move { done.wait().await })
    };
    *shared.lock().unwrap() += 1;
    done.set();
    waiter.join().unwrap();
    holder.join().unwrap();
    assert_eq!(*shared.lock().unwrap(), 2);
}

/// Holds the lock of `shared` for 200 ms from a plain OS thread (its own
/// hub, blocked on purpose).
fn hold_for_a_while(
    shared: std::sync::Arc<green::compat::sync::Mutex<i32>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        green::run(async {
            let mut guard = shared.lock().await.unwrap();
            std::thread::sleep(Duration::from_millis(200));
            *guard += 1;
        })
    })
}

/// A green wait that went pending and was dropped in the same poll (as a
/// `select` drops the branch that lost) leaves no mark: its task, then on a
/// plain tokio timer, is live, so main's wait on it is no deadlock.
#[test]
fn a_wait_dropped_while_pending_leaves_no_mark() {
    use std::future::{IntoFuture, poll_fn};
    use std::task::Poll;

    let got = green::run(async {
        let (nothing, reply) = (Queue::<u32>::new(), Queue::<u32>::new());
        let task = {
            let reply = reply.clone();
            green::spawn(move || async move {
                {
                    let mut get = std::pin::pin!(nothing.get().into_future());
                    poll_fn(|cx| {
                        assert!(get.as_mut().poll(cx).is_pending());
                        Poll::Ready(())
                    })
                    .await;
                }
                tokio::time::sleep(Duration::from_millis(30)).await;
                reply.put(7).await.unwrap();
            })
        };
        let got = reply.get().await.unwrap();
        task.join().await.unwrap();
        got
    });
    assert_eq!(got, 7);
}
