//! Tasks reading and writing at once through clones (`try_clone`) of one
//! stream socket, TCP and Unix: each clone waits on its own, so every task
//! is woken (before, the latest waiter of a direction took the others'
//! place, and they hung), and a `BufWriter` dropped over one clone leaves
//! the others' waits alone.

use std::io;
use std::time::Duration;

use green::compat::io::{BufWriter, Read, Write};
use green::compat::net::{TcpListener, TcpStream};
#[cfg(unix)]
use green::compat::os::unix::net::UnixStream;
use green::{Greenlet, sleep};

/// Far more than any test here needs: reaching it means a task hung.
const HANG: Duration = Duration::from_secs(10);

/// Long enough for spawned tasks to reach their wait.
const SETTLE: Duration = Duration::from_millis(100);

/// More than the socket buffers of both ends hold, so a writer blocks.
const LOT: usize = 4 << 20;

#[green::green]
fn connected_tcp() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    (client, server)
}

/// A task that reads once through `reader` and gives what it read.
fn spawn_reader<R: Read + 'static>(mut reader: R) -> Greenlet<io::Result<Vec<u8>>> {
    green::spawn(move || async move {
        let mut buf = [0u8; 64];
        let n = reader.read(&mut buf).await?;
        Ok(buf[..n].to_vec())
    })
}

/// A task that writes `LOT` bytes of `byte` through `writer`.
fn spawn_writer<W: Write + 'static>(mut writer: W, byte: u8) -> Greenlet<io::Result<()>> {
    green::spawn(move || async move {
        let chunk = vec![byte; 64 * 1024];
        for _ in 0..LOT / chunk.len() {
            writer.write_all(&chunk).await?;
        }
        Ok(())
    })
}

/// Joins `task`, failing the test if it has not ended within `HANG`.
#[green::green]
fn join_in_time<T: 'static>(task: Greenlet<T>, what: &str) -> T {
    match green::timeout(HANG, || task.join()) {
        Ok(Ok(output)) => output,
        Ok(Err(error)) => panic!("{what} failed: {error}"),
        Err(_) => panic!("{what} hung: it was never woken"),
    }
}

/// Two messages for two readers: each reader gets one, whichever it is.
#[green::green]
fn two_readers_get_two_messages<S: Read + Write + 'static>(
    mut writer: S,
    first: impl Read + 'static,
    second: impl Read + 'static,
) {
    let one = spawn_reader(first);
    let two = spawn_reader(second);
    sleep(SETTLE);
    writer.write_all(b"one").unwrap();
    sleep(SETTLE);
    writer.write_all(b"two").unwrap();
    let mut got = vec![
        join_in_time(one, "the first reader").unwrap(),
        join_in_time(two, "the second reader").unwrap(),
    ];
    got.sort();
    assert_eq!(got, [b"one".to_vec(), b"two".to_vec()]);
}

/// Two writers blocked on a full socket both finish once the peer reads.
#[green::green]
fn two_writers_both_finish<S: Read + 'static>(
    mut peer: S,
    first: impl Write + 'static,
    second: impl Write + 'static,
) {
    let one = spawn_writer(first, b'1');
    let two = spawn_writer(second, b'2');
    sleep(SETTLE);
    let mut counts = [0usize; 2];
    let mut buf = vec![0u8; 64 * 1024];
    let (peer, buf, tally) = (&mut peer, &mut buf, &mut counts);
    let drained = green::timeout(HANG, move || async move {
        while tally[0] < LOT || tally[1] < LOT {
            let n = peer.read(buf).await.unwrap();
            assert_ne!(n, 0, "the writers' end closed early");
            for byte in &buf[..n] {
                tally[usize::from(*byte == b'2')] += 1;
            }
        }
    });
    assert!(
        drained.is_ok(),
        "a writer hung: read {counts:?} of {LOT} each"
    );
    join_in_time(one, "the first writer").unwrap();
    join_in_time(two, "the second writer").unwrap();
}

#[green::test(timeout_ms = 60_000)]
fn two_tasks_read_through_two_clones_of_a_tcp_stream() {
    let (client, server) = connected_tcp();
    two_readers_get_two_messages(
        client,
        server.try_clone().unwrap(),
        server.try_clone().unwrap(),
    );
}

#[green::test(timeout_ms = 60_000)]
fn two_tasks_write_through_two_clones_of_a_tcp_stream() {
    let (client, server) = connected_tcp();
    two_writers_both_finish(
        server,
        client.try_clone().unwrap(),
        client.try_clone().unwrap(),
    );
}

#[cfg(unix)]
#[green::test(timeout_ms = 60_000)]
fn two_tasks_read_through_two_clones_of_a_unix_stream() {
    let (left, right) = UnixStream::pair().unwrap();
    two_readers_get_two_messages(left, right.try_clone().unwrap(), right.try_clone().unwrap());
}

#[cfg(unix)]
#[green::test(timeout_ms = 60_000)]
fn two_tasks_write_through_two_clones_of_a_unix_stream() {
    let (left, right) = UnixStream::pair().unwrap();
    two_writers_both_finish(right, left.try_clone().unwrap(), left.try_clone().unwrap());
}

#[green::test(timeout_ms = 60_000)]
fn a_buf_writer_dropped_over_one_clone_leaves_the_others_waiting() {
    let (ours, mut peer) = connected_tcp();
    let reader = spawn_reader(ours.try_clone().unwrap());
    let writer = spawn_writer(ours.try_clone().unwrap(), b'w');
    sleep(SETTLE);
    // The socket's send buffer is full: the drop's one flush attempt cannot
    // write, and leaves its no-op waker on its own clone only.
    let mut buffered = BufWriter::new(ours.try_clone().unwrap());
    buffered.write_all(&[b'b'; 1000]).unwrap();
    drop(buffered);

    peer.write_all(b"for the reader").unwrap();
    assert_eq!(
        join_in_time(reader, "the reader").unwrap(),
        b"for the reader"
    );
    let mut drained = 0;
    let mut buf = vec![0u8; 64 * 1024];
    let (peer, buf, count) = (&mut peer, &mut buf, &mut drained);
    let done = green::timeout(HANG, move || async move {
        while *count < LOT {
            *count += peer.read(buf).await.unwrap();
        }
    });
    assert!(
        done.is_ok(),
        "the writer hung after {drained} of {LOT} bytes"
    );
    join_in_time(writer, "the writer").unwrap();
}

#[green::test(timeout_ms = 30_000)]
fn clones_share_timeouts_and_close_with_the_last_handle() {
    let (client, mut server) = connected_tcp();
    client
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let clone = client.try_clone().unwrap();
    assert_eq!(
        clone.read_timeout().unwrap(),
        Some(Duration::from_millis(100))
    );
    drop(client);
    // The clone keeps the connection open: the peer does not see its end.
    let mut buf = [0u8; 4];
    assert!(green::timeout(Duration::from_millis(50), || server.read(&mut buf)).is_err());
    drop(clone);
    assert_eq!(server.read(&mut buf).unwrap(), 0);
}

#[test]
fn a_clone_off_a_hub_is_an_error_not_a_panic() {
    let (client, _server) = green::run(connected_tcp());
    let error = client.try_clone().unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::Other);
}
