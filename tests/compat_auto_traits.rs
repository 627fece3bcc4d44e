//! compat types have std's auto traits: `Send` and `Sync` exactly where
//! std's twins have them, so that a ported program's `F: FnOnce() + Send`
//! bounds (a thread pool's jobs) still hold. Checked at compile time, and
//! at run time with a job queue of `Box<dyn FnOnce() + Send>` closures that
//! capture a `TcpStream`.

use std::marker::PhantomData;
use std::time::Duration;

use green::compat::fs::File;
use green::compat::io::{Read, Stderr, StderrLock, Stdin, StdinLock, Stdout, StdoutLock, Write};
use green::compat::net::{TcpListener, TcpStream, UdpSocket};
use green::compat::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use green::compat::process::{Child, ChildStderr, ChildStdin, ChildStdout};
use green::compat::sync::mpsc::{self, Receiver, Sender, SyncSender};
use green::compat::sync::{
    Barrier, BarrierWaitResult, Condvar, Mutex, MutexGuard, OnceLock, RwLock, RwLockReadGuard,
    RwLockWriteGuard,
};
use green::compat::thread::{self, JoinHandle, Thread, ThreadId};

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}
fn assert_send_sync<T: Send + Sync>() {}

/// Answers whether `T` is `Sync` or `Send`, by autoref specialisation:
/// called on `&Probe<T>`, the method of `Probe<T>`'s `Yes` traits (which need
/// the auto trait) wins over the one of `&Probe<T>`'s `No` traits when it
/// applies.
struct Probe<T: ?Sized>(PhantomData<T>);

trait SyncYes {
    fn sync(&self) -> bool {
        true
    }
}
impl<T: ?Sized + Sync> SyncYes for Probe<T> {}

trait SyncNo {
    fn sync(&self) -> bool {
        false
    }
}
impl<T: ?Sized> SyncNo for &Probe<T> {}

trait SendYes {
    fn send(&self) -> bool {
        true
    }
}
impl<T: ?Sized + Send> SendYes for Probe<T> {}

trait SendNo {
    fn send(&self) -> bool {
        false
    }
}
impl<T: ?Sized> SendNo for &Probe<T> {}

macro_rules! is_sync {
    ($t:ty) => {
        (&Probe::<$t>(PhantomData)).sync()
    };
}

macro_rules! is_send {
    ($t:ty) => {
        (&Probe::<$t>(PhantomData)).send()
    };
}

#[test]
fn the_probes_tell_std_types_apart() {
    assert!(is_sync!(std::sync::Mutex<u8>));
    assert!(!is_sync!(std::cell::Cell<u8>));
    assert!(is_send!(std::cell::Cell<u8>));
    assert!(!is_send!(std::rc::Rc<u8>));
}

#[test]
fn sockets_files_and_pipes_are_send_and_sync_as_std() {
    assert_send_sync::<TcpStream>();
    assert_send_sync::<TcpListener>();
    assert_send_sync::<UdpSocket>();
    assert_send_sync::<UnixStream>();
    assert_send_sync::<UnixListener>();
    assert_send_sync::<UnixDatagram>();
    assert_send_sync::<File>();
    assert_send_sync::<Child>();
    assert_send_sync::<ChildStdin>();
    assert_send_sync::<ChildStdout>();
    assert_send_sync::<ChildStderr>();
    // What std says of its own, so that the two lists stay the same.
    assert_send_sync::<std::net::TcpStream>();
    assert_send_sync::<std::os::unix::net::UnixDatagram>();
    assert_send_sync::<std::process::ChildStdout>();
}

#[test]
fn standard_streams_are_send_and_sync_as_std() {
    assert_send_sync::<Stdin>();
    assert_send_sync::<Stdout>();
    assert_send_sync::<Stderr>();
    assert_send_sync::<std::io::Stdin>();
    // std: stdin's lock is Sync and !Send (an OS lock is released by the
    // thread that took it); ours is a green lock, Send too, one thing more
    // than std, as compat's `MutexGuard`. The output locks wrap std's
    // (re-entrant, hence neither Send nor Sync).
    assert_sync::<StdinLock<'static>>();
    assert!(is_send!(StdinLock<'static>));
    assert!(!is_send!(std::io::StdinLock<'static>));
    assert!(!is_send!(StdoutLock<'static>));
    assert!(!is_sync!(StdoutLock<'static>));
    assert!(!is_send!(StderrLock<'static>));
    assert!(!is_sync!(StderrLock<'static>));
    assert!(!is_sync!(std::io::StdoutLock<'static>));
}

#[test]
fn channels_are_send_and_sync_as_std() {
    type Job = Box<dyn FnOnce() + Send>;
    assert_send_sync::<Sender<Job>>();
    assert_send_sync::<SyncSender<Job>>();
    assert_send::<Receiver<Job>>();
    // std: a Receiver is never Sync, a channel of !Send values is not Send.
    assert!(!is_sync!(Receiver<Job>));
    assert!(!is_sync!(std::sync::mpsc::Receiver<Job>));
    assert!(!is_send!(Sender<std::rc::Rc<u8>>));
    assert!(!is_send!(Receiver<std::rc::Rc<u8>>));
    assert!(!is_send!(std::sync::mpsc::Sender<std::rc::Rc<u8>>));
}

#[test]
fn locks_are_send_and_sync_as_std() {
    assert_send_sync::<Mutex<Vec<u8>>>();
    assert_send_sync::<RwLock<Vec<u8>>>();
    assert_send_sync::<Condvar>();
    assert_send_sync::<Barrier>();
    assert_send_sync::<BarrierWaitResult>();
    assert_send_sync::<OnceLock<String>>();
    // std: a Mutex<T> is Sync for T: Send (a Cell inside is fine), an
    // RwLock<T> and a OnceLock<T> need T: Sync too.
    assert_sync::<Mutex<std::cell::Cell<u8>>>();
    assert!(!is_sync!(RwLock<std::cell::Cell<u8>>));
    assert!(!is_sync!(OnceLock<std::cell::Cell<u8>>));
    assert!(!is_send!(Mutex<std::rc::Rc<u8>>));
    // std: guards are Sync when the data is. std's are also !Send (an OS
    // lock is released by the thread that took it); ours are Send, one
    // thing more than std, so that async code holding one across an
    // `.await` can still run on a multi-thread runtime.
    assert_sync::<MutexGuard<'static, u8>>();
    assert_sync::<RwLockReadGuard<'static, u8>>();
    assert_sync::<RwLockWriteGuard<'static, u8>>();
    assert!(is_send!(MutexGuard<'static, u8>));
    assert!(!is_send!(std::sync::MutexGuard<'static, u8>));
}

#[test]
fn threads_are_send_and_sync_as_std() {
    assert_send_sync::<JoinHandle<String>>();
    assert_send_sync::<Thread>();
    assert_send_sync::<ThreadId>();
    assert!(!is_send!(JoinHandle<std::rc::Rc<u8>>));
}

/// A job as a std thread pool stores it.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// Runs every job it receives, in order, until the senders are gone, and
/// says how many it ran.
#[green::green]
fn worker(jobs: Receiver<Job>) -> usize {
    let mut ran = 0;
    for job in jobs {
        job();
        ran += 1;
    }
    ran
}

#[green::test]
fn a_job_queue_of_send_closures_capturing_streams_runs() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let (tx, rx) = mpsc::channel::<Job>();
    let worker = thread::spawn(move || worker(rx));

    let mut clients = Vec::new();
    for i in 0..3u8 {
        let client = TcpStream::connect(addr)?;
        let (mut stream, _) = listener.accept()?;
        // The std idiom: a Send closure owning the connection. A plain
        // closure cannot wait, so it hands its write to a green task.
        let job: Job = Box::new(move || {
            green::spawn(move || async move {
                stream.write_all(&[b'a' + i; 4]).await.unwrap();
            });
        });
        tx.send(job).unwrap();
        clients.push(client);
    }
    drop(tx);

    for (i, mut client) in (0u8..).zip(clients) {
        client.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reply = Vec::new();
        client.read_to_end(&mut reply)?;
        assert_eq!(reply, [b'a' + i; 4]);
    }
    assert_eq!(worker.join().unwrap(), 3);
    Ok(())
}

#[green::test]
fn a_join_handle_moved_to_another_thread_joins_there() {
    let handle = thread::spawn(|| async {
        green::sleep(Duration::from_millis(20)).await;
        String::from("from hub one")
    });
    let failing = thread::spawn(|| async { panic!("on hub one") });
    // Another OS thread with a hub of its own joins both: the values come
    // back through a channel while this hub runs the tasks.
    let other = green::spawn_blocking(move || {
        green::run(async move {
            let payload = failing.join().await.unwrap_err();
            (
                handle.join().await.unwrap(),
                payload.downcast::<&str>().unwrap(),
            )
        })
    });
    let (value, message) = other.join().unwrap();
    assert_eq!(value, "from hub one");
    assert_eq!(*message, "on hub one");
}
