//! Bad input across the public API: zero and huge sizes, zero and
//! `Duration::MAX` timeouts, malformed or empty addresses. Each gives a
//! value or a typed error and loses nothing; none panics. The runtime
//! follows gevent; compat gives what std gives on the same input.

use std::io::{self, ErrorKind};
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::compat::io::{BufRead, BufReader, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use green::compat::sync::{Barrier, Condvar, Mutex, mpsc};
use green::compat::{fs, thread};
use green::{
    AsyncResult, BoundedSemaphore, Elapsed, Event, GetError, GreenError, Pool, PutError, Queue,
    Semaphore,
};

/// What "at once" means on these noisy machines: far below every
/// `Duration::MAX` and every 60 s sleep below.
const SOON: Duration = Duration::from_secs(5);

fn kind<T>(result: io::Result<T>) -> Option<ErrorKind> {
    result.err().map(|error| error.kind())
}

// Runtime: sizes.

#[green::test(timeout_ms = 20_000)]
fn semaphores_of_usize_max_permits_count_down_and_back() {
    let semaphore = Semaphore::new(usize::MAX);
    let guard = semaphore.acquire();
    assert_eq!(semaphore.available(), usize::MAX - 1);
    drop(guard);
    assert_eq!(semaphore.available(), usize::MAX);

    let bounded = BoundedSemaphore::new(usize::MAX);
    bounded.try_acquire().unwrap().forget();
    assert_eq!(bounded.available(), usize::MAX - 1);
    assert!(bounded.release().is_ok());
    assert!(bounded.release().is_err());
    assert_eq!(bounded.available(), usize::MAX);
}

#[green::test(timeout_ms = 20_000)]
fn releasing_a_semaphore_at_usize_max_keeps_every_permit() {
    let semaphore = Semaphore::new(usize::MAX);
    semaphore.release();
    assert_eq!(semaphore.available(), usize::MAX);
    assert!(semaphore.try_acquire().is_some());
}

#[green::test(timeout_ms = 20_000)]
fn a_pool_of_zero_gives_the_work_back_and_never_runs_it() {
    let pool = Pool::new(0);
    assert!(pool.is_full());
    let green::PoolFull(work) = pool.try_spawn(|| async { 7 }).unwrap_err();
    assert_eq!(green::wait(work()), 7);
    // A blocking spawn waits for a slot that never comes.
    let spawned = green::timeout(Duration::from_millis(20), || pool.spawn(|| async { 8 }));
    assert!(spawned.is_err());
    assert!(pool.is_empty());
}

// Runtime: zero and `Duration::MAX` timeouts.

#[green::test(timeout_ms = 20_000)]
fn timeout_of_duration_max_waits_for_the_work() {
    let done = green::timeout(Duration::MAX, || async {
        green::sleep(Duration::from_millis(5)).await;
        "done"
    });
    assert_eq!(done, Ok("done"));
    let value = green::with_timeout(Duration::MAX, || async { 1 }, 2);
    assert_eq!(value, 1);
}

#[green::test(timeout_ms = 20_000)]
fn timeout_of_zero_runs_the_work_until_it_first_blocks() {
    assert_eq!(green::timeout(Duration::ZERO, || async { 1 }), Ok(1));
    let start = Instant::now();
    let slept = green::timeout(Duration::ZERO, || green::sleep(Duration::from_secs(60)));
    assert_eq!(slept, Err(Elapsed));
    assert!(start.elapsed() < SOON);
    let late = || async {
        green::sleep(Duration::from_secs(60)).await;
        "late"
    };
    assert_eq!(
        green::with_timeout(Duration::ZERO, late, "gave up"),
        "gave up"
    );
}

#[green::test(timeout_ms = 20_000)]
fn a_task_spawned_duration_max_later_can_be_killed() {
    let start = Instant::now();
    let later = green::spawn_later(Duration::MAX, || async { "never" });
    green::idle();
    assert!(!later.is_ready());
    later.kill();
    assert_eq!(later.join(), Err(GreenError::Killed));
    assert!(start.elapsed() < SOON);
}

#[green::test(timeout_ms = 20_000)]
fn a_duration_max_sleep_can_be_killed() {
    let start = Instant::now();
    let sleeper = green::spawn(|| green::sleep(Duration::MAX));
    green::idle();
    sleeper.kill();
    assert_eq!(sleeper.join(), Err(GreenError::Killed));

    let sleeper = green::spawn(|| thread::sleep(Duration::MAX));
    green::idle();
    sleeper.kill();
    assert_eq!(sleeper.join(), Err(GreenError::Killed));
    assert!(start.elapsed() < SOON);
}

#[green::test(timeout_ms = 20_000)]
fn joinall_timeout_of_duration_max_joins_every_task() {
    let tasks: Vec<_> = (0..3u64)
        .map(|i| {
            green::spawn(move || async move {
                green::sleep(Duration::from_millis(i)).await;
                i
            })
        })
        .collect();
    let (results, running) = green::joinall_timeout(tasks, Duration::MAX);
    assert_eq!(results, [Ok(0), Ok(1), Ok(2)]);
    assert!(running.is_empty());
}

#[green::test(timeout_ms = 20_000)]
fn waits_of_duration_max_end_when_the_value_comes() {
    let event = Rc::new(Event::new());
    event.set();
    assert!(event.wait_timeout(Duration::MAX));

    let event = Rc::new(Event::new());
    let queue = Queue::new();
    let result = Rc::new(AsyncResult::<u8, ()>::new());
    let semaphore = Semaphore::new(0);
    {
        let (event, queue, result, semaphore) = (
            event.clone(),
            queue.clone(),
            result.clone(),
            semaphore.clone(),
        );
        green::spawn(move || async move {
            green::sleep(Duration::from_millis(5)).await;
            event.set();
            queue.put("item").await.unwrap();
            result.set(3);
            semaphore.release();
        });
    }
    let start = Instant::now();
    assert!(event.wait_timeout(Duration::MAX));
    assert_eq!(queue.get_timeout(Duration::MAX), Ok("item"));
    assert_eq!(result.get_timeout(Duration::MAX), Ok(Ok(3)));
    assert!(semaphore.acquire_timeout(Duration::MAX).is_ok());
    assert!(start.elapsed() < SOON);
    assert_eq!(queue.get_timeout(Duration::ZERO), Err(GetError::Empty));
}

// compat: timeouts, as std.

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn zero_socket_timeouts_are_invalid_input_as_in_std() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let stream = TcpStream::connect(addr)?;
    let std_stream = std::net::TcpStream::connect(addr)?;
    let zero = Some(Duration::ZERO);
    assert_eq!(
        kind(std_stream.set_read_timeout(zero)),
        Some(ErrorKind::InvalidInput)
    );
    assert_eq!(
        kind(stream.set_read_timeout(zero)),
        kind(std_stream.set_read_timeout(zero))
    );
    assert_eq!(
        kind(stream.set_write_timeout(zero)),
        kind(std_stream.set_write_timeout(zero))
    );
    assert_eq!(stream.read_timeout()?, None);

    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let std_socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
    assert_eq!(
        kind(socket.set_read_timeout(zero)),
        kind(std_socket.set_read_timeout(zero))
    );
    assert_eq!(
        kind(socket.set_write_timeout(zero)),
        kind(std_socket.set_write_timeout(zero))
    );

    let error = TcpStream::connect_timeout(&addr, Duration::ZERO).unwrap_err();
    let std_error = std::net::TcpStream::connect_timeout(&addr, Duration::ZERO).unwrap_err();
    assert_eq!(error.kind(), std_error.kind());
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    Ok(())
}

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn duration_max_socket_timeouts_are_accepted_and_wait_for_data() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let mut client = TcpStream::connect_timeout(&addr, Duration::MAX)?;
    let (mut server, _) = listener.accept()?;
    // std takes `Some(Duration::MAX)` (the socket option saturates).
    let std_stream = std::net::TcpStream::connect(addr)?;
    assert!(std_stream.set_read_timeout(Some(Duration::MAX)).is_ok());
    client.set_read_timeout(Some(Duration::MAX))?;
    client.set_write_timeout(Some(Duration::MAX))?;
    assert_eq!(client.read_timeout()?, Some(Duration::MAX));

    let writer = green::spawn(move || async move {
        for byte in [b'a', b'b'] {
            green::sleep(Duration::from_millis(10)).await;
            server.write_all(&[byte]).await.unwrap();
        }
        server
    });
    // Each read waits, so each arms the socket's timer: the second re-arms it.
    let mut byte = [0u8];
    assert_eq!(client.read(&mut byte)?, 1);
    assert_eq!(byte, *b"a");
    assert_eq!(client.read(&mut byte)?, 1);
    assert_eq!(byte, *b"b");
    client.write_all(b"c")?;
    drop(writer.join().unwrap());
    Ok(())
}

#[green::test(timeout_ms = 20_000)]
fn duration_max_udp_timeouts_are_accepted_and_wait_for_data() -> io::Result<()> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let addr = socket.local_addr()?;
    socket.set_read_timeout(Some(Duration::MAX))?;
    let sender = UdpSocket::bind("127.0.0.1:0")?;
    let task = green::spawn(move || async move {
        green::sleep(Duration::from_millis(10)).await;
        sender.send_to(b"x", addr).await.unwrap();
    });
    let mut buf = [0u8; 4];
    let (n, _) = socket.recv_from(&mut buf)?;
    assert_eq!(&buf[..n], b"x");
    task.join().unwrap();
    Ok(())
}

// compat: addresses, as std.

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn malformed_addresses_are_io_errors_as_in_std() {
    let bad_port = "127.0.0.1:99999";
    assert_eq!(
        kind(TcpStream::connect(bad_port)),
        kind(std::net::TcpStream::connect(bad_port))
    );
    assert_eq!(
        kind(TcpStream::connect(bad_port)),
        Some(ErrorKind::InvalidInput)
    );
    let no_port = "not an address";
    assert_eq!(
        kind(TcpListener::bind(no_port)),
        kind(std::net::TcpListener::bind(no_port))
    );
    assert_eq!(
        kind(UdpSocket::bind(no_port)),
        kind(std::net::UdpSocket::bind(no_port))
    );
    // Not an IPv4 address, so a name to look up: an error either way (the
    // kind depends on the resolver).
    assert!(TcpStream::connect("256.1.1.1:80").is_err());
    assert!(std::net::TcpStream::connect("256.1.1.1:80").is_err());
}

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn an_empty_address_list_is_invalid_input_as_in_std() {
    let none: &[SocketAddr] = &[];
    assert_eq!(
        kind(std::net::TcpStream::connect(none)),
        Some(ErrorKind::InvalidInput)
    );
    assert_eq!(
        kind(TcpStream::connect(none)),
        kind(std::net::TcpStream::connect(none))
    );
    assert_eq!(
        kind(TcpListener::bind(none)),
        kind(std::net::TcpListener::bind(none))
    );
    assert_eq!(
        kind(UdpSocket::bind(none)),
        kind(std::net::UdpSocket::bind(none))
    );
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(
        kind(socket.send_to(b"x", none)),
        kind(std_socket.send_to(b"x", none))
    );
    assert_eq!(kind(socket.connect(none)), kind(std_socket.connect(none)));
}

// compat: sync and thread, as std.

#[green::test(timeout_ms = 20_000)]
fn duration_max_waits_in_compat_end_when_woken() {
    let start = Instant::now();

    let (tx, rx) = mpsc::channel();
    green::spawn(move || async move {
        green::sleep(Duration::from_millis(5)).await;
        tx.send(1).unwrap();
    });
    assert_eq!(rx.recv_timeout(Duration::MAX), Ok(1));

    let pair = Rc::new((Mutex::new(false), Condvar::new()));
    {
        let pair = pair.clone();
        green::spawn(move || async move {
            green::sleep(Duration::from_millis(5)).await;
            *pair.0.lock().await.unwrap() = true;
            pair.1.notify_all();
        });
    }
    let guard = pair.0.lock().unwrap();
    let (guard, result) = pair
        .1
        .wait_timeout_while(guard, Duration::MAX, |set| !*set)
        .unwrap();
    assert!(*guard && !result.timed_out());
    drop(guard);

    let pair = Rc::new((Mutex::new(()), Condvar::new()));
    {
        let pair = pair.clone();
        green::spawn(move || async move {
            green::sleep(Duration::from_millis(5)).await;
            pair.1.notify_one();
        });
    }
    let guard = pair.0.lock().unwrap();
    let (_guard, result) = pair.1.wait_timeout(guard, Duration::MAX).unwrap();
    assert!(!result.timed_out());

    let parked = thread::spawn(|| async {
        thread::park_timeout(Duration::MAX).await;
        "unparked"
    });
    green::sleep(Duration::from_millis(5));
    parked.thread().unpark();
    assert_eq!(parked.join().unwrap(), "unparked");

    assert!(start.elapsed() < SOON);
}

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn a_barrier_of_zero_lets_every_waiter_through_as_in_std() {
    let std_barrier = std::sync::Barrier::new(0);
    let barrier = Barrier::new(0);
    assert_eq!(barrier.wait().is_leader(), std_barrier.wait().is_leader());
    assert_eq!(barrier.wait().is_leader(), std_barrier.wait().is_leader());
}

#[green::test(timeout_ms = 20_000)]
fn sync_channel_of_zero_is_a_rendezvous_as_in_std() {
    let (tx, rx) = mpsc::sync_channel(0);
    assert_eq!(tx.try_send(1), Err(mpsc::TrySendError::Full(1)));
    let sender = green::spawn(move || async move {
        tx.send(2).await.unwrap();
        "sent"
    });
    green::sleep(Duration::from_millis(10));
    assert!(!sender.is_ready());
    assert_eq!(rx.recv(), Ok(2));
    assert_eq!(sender.join(), Ok("sent"));
    assert_eq!(rx.recv(), Err(mpsc::RecvError));
}

// compat: zero-sized buffers, as std.

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn a_buf_reader_of_capacity_zero_reads_as_std_does() {
    let data = &b"one\ntwo\n"[..];

    let mut std_reader = std::io::BufReader::with_capacity(0, data);
    let mut reader = BufReader::with_capacity(0, data);
    let mut buf = [0u8; 3];
    assert_eq!(
        reader.read(&mut buf).unwrap(),
        std::io::Read::read(&mut std_reader, &mut buf).unwrap()
    );
    let mut line = String::new();
    let mut std_line = String::new();
    assert_eq!(
        reader.read_line(&mut line).unwrap(),
        std::io::BufRead::read_line(&mut std_reader, &mut std_line).unwrap()
    );
    assert_eq!(line, std_line);
    let mut rest = Vec::new();
    let mut std_rest = Vec::new();
    assert_eq!(
        reader.read_to_end(&mut rest).unwrap(),
        std::io::Read::read_to_end(&mut std_reader, &mut std_rest).unwrap()
    );
    assert_eq!(rest, std_rest);
}

#[green::test(timeout_ms = 20_000)]
fn a_buf_writer_of_capacity_zero_writes_through_as_std_does() {
    let mut std_writer = std::io::BufWriter::with_capacity(0, Vec::new());
    let mut writer = green::compat::io::BufWriter::with_capacity(0, Vec::new());
    assert_eq!(
        writer.write(b"abc").unwrap(),
        std::io::Write::write(&mut std_writer, b"abc").unwrap()
    );
    assert_eq!(writer.get_ref(), std_writer.get_ref());
    writer.flush().unwrap();
    assert_eq!(writer.into_inner().unwrap(), b"abc");
}

#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn reading_a_file_into_an_empty_buffer_gives_zero_as_in_std() -> io::Result<()> {
    let dir = std::env::temp_dir().join(format!("green-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("data");
    std::fs::write(&path, b"data")?;
    let mut file = fs::File::open(&path)?;
    let mut std_file = std::fs::File::open(&path)?;
    assert_eq!(
        file.read(&mut [])?,
        std::io::Read::read(&mut std_file, &mut [])?
    );
    file.read_exact(&mut [])?;
    let mut all = Vec::new();
    assert_eq!(file.read_to_end(&mut all)?, 4);
    assert_eq!(all, b"data");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

// Closed queues and dropped peers: the value comes back.

#[green::test(timeout_ms = 20_000)]
fn a_closed_queue_gives_the_item_back() {
    let queue = Queue::bounded(1);
    queue.close();
    assert_eq!(queue.put("kept"), Err(green::Closed("kept")));
    assert_eq!(queue.try_put("kept"), Err(PutError::Closed("kept")));
    assert_eq!(
        queue.put_timeout("kept", Duration::MAX),
        Err(PutError::Closed("kept"))
    );
    assert_eq!(queue.get_timeout(Duration::MAX), Err(GetError::Closed));
}

#[green::test(timeout_ms = 20_000)]
fn a_rendezvous_send_whose_receiver_goes_away_gets_the_value_back() {
    let (tx, rx) = mpsc::sync_channel(0);
    let sender = green::spawn(move || async move { tx.send(String::from("kept")).await });
    green::sleep(Duration::from_millis(10));
    assert!(!sender.is_ready());
    drop(rx);
    assert_eq!(
        sender.join(),
        Ok(Err(mpsc::SendError(String::from("kept"))))
    );

    let (tx, rx) = mpsc::channel();
    drop(rx);
    assert_eq!(tx.send(1), Err(mpsc::SendError(1)));
}

#[cfg(unix)]
#[green::test(timeout_ms = 20_000)]
#[allow_blocking] // std's calls are the spec; each returns at once
fn unix_socket_paths_too_long_or_with_a_nul_are_invalid_input_as_in_std() {
    use green::compat::os::unix::net::{UnixDatagram, UnixListener, UnixStream};

    let too_long = std::env::temp_dir().join("x".repeat(200));
    let with_nul = "/tmp/green\0bad";
    for path in [too_long.to_str().unwrap(), with_nul] {
        let std_kind = kind(std::os::unix::net::UnixListener::bind(path));
        assert_eq!(std_kind, Some(ErrorKind::InvalidInput));
        assert_eq!(kind(UnixListener::bind(path)), std_kind);
        assert_eq!(kind(UnixStream::connect(path)), std_kind);
        assert_eq!(kind(UnixDatagram::bind(path)), std_kind);
    }
}
