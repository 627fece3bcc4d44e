//! compat::sync::mpsc against std::sync::mpsc (the same scenario gives the
//! same results), green iteration, and receivers that never block the hub.

use std::time::{Duration, Instant};

use green::compat::sync::mpsc as gmpsc;

/// The scenario with std, on plain threads.
fn with_std() -> Vec<String> {
    use std::sync::mpsc;
    let mut log = Vec::new();

    let (tx, rx) = mpsc::channel();
    for i in 1..=3 {
        tx.send(i).unwrap();
    }
    let tx2 = tx.clone();
    std::thread::spawn(move || tx2.send(4).unwrap())
        .join()
        .unwrap();
    log.push(format!(
        "recv {:?} {:?} {:?} {:?}",
        rx.recv(),
        rx.recv(),
        rx.recv(),
        rx.recv()
    ));
    log.push(format!("try_recv empty {:?}", rx.try_recv()));
    log.push(format!(
        "recv_timeout {:?}",
        rx.recv_timeout(Duration::from_millis(20))
    ));
    tx.send(5).unwrap();
    drop(tx);
    log.push(format!("after close {:?} {:?}", rx.recv(), rx.recv()));
    log.push(format!("try_recv closed {:?}", rx.try_recv()));
    log.push(format!(
        "recv_timeout closed {:?}",
        rx.recv_timeout(Duration::from_millis(20))
    ));

    let (tx, rx) = mpsc::channel::<String>();
    drop(rx);
    log.push(format!(
        "send to closed gives back {:?}",
        tx.send("kept".to_owned()).unwrap_err().0
    ));

    let (tx, rx) = mpsc::sync_channel(2);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    log.push(format!("try_send full {:?}", tx.try_send(3)));
    log.push(format!("sync recv {:?}", rx.recv()));
    log.push(format!("try_send room {:?}", tx.try_send(3)));
    log.push(format!("drain {:?}", rx.try_iter().collect::<Vec<_>>()));
    drop(rx);
    log.push(format!("sync send closed {:?}", tx.send(9).unwrap_err().0));
    log.push(format!("try_send closed {:?}", tx.try_send(10)));

    let (tx, rx) = mpsc::sync_channel(0);
    log.push(format!("rendezvous try_send alone {:?}", tx.try_send('a')));
    let producer = std::thread::spawn(move || {
        let first = tx.send('x');
        let second = tx.send('y');
        (first, second)
    });
    std::thread::sleep(Duration::from_millis(20));
    log.push(format!("rendezvous {:?} {:?}", rx.recv(), rx.recv()));
    log.push(format!("rendezvous sends {:?}", producer.join().unwrap()));
    log.push(format!("rendezvous closed {:?}", rx.recv()));

    let (tx, rx) = mpsc::channel();
    for word in ["a", "b", "c"] {
        tx.send(word).unwrap();
    }
    drop(tx);
    let mut words = Vec::new();
    for word in rx {
        words.push(word);
    }
    log.push(format!("for loop {words:?}"));
    log
}

/// A compat sender is `Send`: a plain OS thread sends into green code.
fn send_from_thread(tx: gmpsc::Sender<i32>, value: i32) {
    std::thread::spawn(move || tx.send(value).unwrap())
        .join()
        .unwrap();
}

/// The same scenario with compat, in green code.
#[green::green]
fn with_green() -> Vec<String> {
    let mut log = Vec::new();

    let (tx, rx) = gmpsc::channel();
    for i in 1..=3 {
        tx.send(i).unwrap();
    }
    send_from_thread(tx.clone(), 4);
    log.push(format!(
        "recv {:?} {:?} {:?} {:?}",
        rx.recv(),
        rx.recv(),
        rx.recv(),
        rx.recv()
    ));
    log.push(format!("try_recv empty {:?}", rx.try_recv()));
    log.push(format!(
        "recv_timeout {:?}",
        rx.recv_timeout(Duration::from_millis(20))
    ));
    tx.send(5).unwrap();
    drop(tx);
    log.push(format!("after close {:?} {:?}", rx.recv(), rx.recv()));
    log.push(format!("try_recv closed {:?}", rx.try_recv()));
    log.push(format!(
        "recv_timeout closed {:?}",
        rx.recv_timeout(Duration::from_millis(20))
    ));

    let (tx, rx) = gmpsc::channel::<String>();
    drop(rx);
    log.push(format!(
        "send to closed gives back {:?}",
        tx.send("kept".to_owned()).unwrap_err().0
    ));

    let (tx, rx) = gmpsc::sync_channel(2);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    log.push(format!("try_send full {:?}", tx.try_send(3)));
    log.push(format!("sync recv {:?}", rx.recv()));
    log.push(format!("try_send room {:?}", tx.try_send(3)));
    log.push(format!("drain {:?}", rx.try_iter().collect::<Vec<_>>()));
    drop(rx);
    log.push(format!("sync send closed {:?}", tx.send(9).unwrap_err().0));
    log.push(format!("try_send closed {:?}", tx.try_send(10)));

    let (tx, rx) = gmpsc::sync_channel(0);
    log.push(format!("rendezvous try_send alone {:?}", tx.try_send('a')));
    let producer = green::spawn(move || async move {
        let first = tx.send('x').await;
        let second = tx.send('y').await;
        (first, second)
    });
    green::sleep(Duration::from_millis(20));
    log.push(format!("rendezvous {:?} {:?}", rx.recv(), rx.recv()));
    log.push(format!("rendezvous sends {:?}", producer.join().unwrap()));
    log.push(format!("rendezvous closed {:?}", rx.recv()));

    let (tx, rx) = gmpsc::channel();
    for word in ["a", "b", "c"] {
        tx.send(word).unwrap();
    }
    drop(tx);
    let mut words = Vec::new();
    for word in rx {
        words.push(word);
    }
    log.push(format!("for loop {words:?}"));
    log
}

#[test]
fn mpsc_scenario_matches_std() {
    let expected = std::thread::spawn(with_std).join().unwrap();
    let got = green::run(with_green());
    assert_eq!(got, expected);
    assert!(
        expected
            .iter()
            .any(|line| line == "after close Ok(5) Err(RecvError)")
    );
    assert!(
        expected
            .iter()
            .any(|line| line == "recv_timeout Err(Timeout)")
    );
}

#[green::test(timeout_ms = 10_000)]
fn rendezvous_send_waits_for_the_receiver() {
    let (tx, rx) = gmpsc::sync_channel(0);
    let start = Instant::now();
    let producer = green::spawn(move || async move {
        tx.send(1).await.unwrap();
        Instant::now()
    });
    green::sleep(Duration::from_millis(50));
    assert_eq!(rx.recv(), Ok(1));
    let sent_at = producer.join().unwrap();
    assert!(sent_at.duration_since(start) >= Duration::from_millis(50));
}

#[green::test(timeout_ms = 10_000)]
fn rendezvous_send_to_a_dropped_receiver_gives_the_value_back() {
    let (tx, rx) = gmpsc::sync_channel::<String>(0);
    let producer = green::spawn(move || async move { tx.send("back".to_owned()).await });
    green::sleep(Duration::from_millis(10));
    drop(rx);
    assert_eq!(producer.join().unwrap().unwrap_err().0, "back");
}

#[green::test(timeout_ms = 10_000)]
fn iter_and_borrowed_receiver_loops() {
    let (tx, rx) = gmpsc::channel();
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    let mut got = Vec::new();
    for n in rx.iter() {
        got.push(n);
        if n == 2 {
            break;
        }
    }
    tx.send(3).unwrap();
    drop(tx);
    for n in &rx {
        got.push(n);
    }
    assert_eq!(got, [1, 2, 3]);
}

fn slow_thread_sender(tx: gmpsc::Sender<u32>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for i in 0..5 {
            std::thread::sleep(Duration::from_millis(5));
            tx.send(i).unwrap();
        }
    })
}

#[green::test(timeout_ms = 10_000)]
fn a_plain_thread_feeds_green_code() {
    let (tx, rx) = gmpsc::channel();
    let thread = slow_thread_sender(tx);
    let mut got = Vec::new();
    for n in rx {
        got.push(n);
    }
    assert_eq!(got, [0, 1, 2, 3, 4]);
    thread.join().unwrap();
}

#[green::green]
fn wait_for_late_message() -> u32 {
    let (tx, rx) = gmpsc::channel();
    green::spawn(move || async move {
        green::sleep(Duration::from_millis(50)).await;
        tx.send(7).unwrap();
    });
    rx.recv().unwrap()
}

#[green::test(timeout_ms = 30_000)]
fn hundred_receivers_wait_50ms_concurrently() {
    let start = Instant::now();
    let tasks: Vec<_> = (0..100)
        .map(|_| green::spawn(wait_for_late_message))
        .collect();
    for result in green::joinall(tasks) {
        assert_eq!(result, Ok(7));
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(50));
    assert!(elapsed < Duration::from_millis(2_500), "took {elapsed:?}");
}

#[green::green]
fn bounded_send_waits_for_room() -> Vec<u32> {
    let (tx, rx) = gmpsc::sync_channel(1);
    let producer = green::spawn(move || async move {
        for i in 0..4 {
            tx.send(i).await.unwrap();
        }
    });
    let mut got = Vec::new();
    for n in rx {
        green::sleep(Duration::from_millis(2));
        got.push(n);
    }
    producer.join().unwrap();
    got
}

#[green::test(timeout_ms = 10_000)]
fn sync_channel_send_is_green() {
    assert_eq!(bounded_send_waits_for_room(), [0, 1, 2, 3]);
}

#[test]
fn handles_are_send_like_std() {
    fn send<T: Send>() {}
    fn sync<T: Sync>() {}
    send::<gmpsc::Sender<u32>>();
    sync::<gmpsc::Sender<u32>>();
    send::<gmpsc::SyncSender<u32>>();
    sync::<gmpsc::SyncSender<u32>>();
    send::<gmpsc::Receiver<u32>>();
}
