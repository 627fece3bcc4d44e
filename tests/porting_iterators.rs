//! std's thread-joining chains, ported by changing `use` lines only: a plain
//! closure's `h.join().unwrap()` is green work (`Green`'s lazy `unwrap`), and
//! `collect`/`sum`/`product` in a green body await a std iterator of green
//! items, one item after the other.

use std::time::Duration;

use green::GreenError;
use green::compat::sync::{Arc, Mutex, mpsc};
use green::compat::thread;

/// Threads that end in reverse order: the results must still come in the
/// order of the handles.
#[green::green]
fn spawn_all(n: u64) -> Vec<thread::JoinHandle<u64>> {
    (0..n)
        .map(|i| {
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(3 * (n - i)));
                i * 10
            })
        })
        .collect()
}

#[green::test]
fn join_unwrap_in_a_plain_closure_collects_in_order() {
    let handles = spawn_all(4);
    let results: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results, [0, 10, 20, 30]);

    let handles = spawn_all(4);
    let results = handles
        .into_iter()
        .map(|h| h.join().expect("thread panicked"))
        .collect::<Vec<_>>();
    assert_eq!(results, [0, 10, 20, 30]);
}

#[green::test]
fn join_unwrap_in_a_plain_closure_sums() {
    let total: u64 = spawn_all(4).into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(total, 60);
    let total = spawn_all(3)
        .into_iter()
        .map(|h| h.join().unwrap_or(0))
        .sum::<u64>();
    assert_eq!(total, 30);
    let handles: Vec<_> = (1..=4u64)
        .map(|i| {
            thread::spawn(move || {
                thread::yield_now();
                i
            })
        })
        .collect();
    let product: u64 = handles.into_iter().map(|h| h.join().unwrap()).product();
    assert_eq!(product, 24);
}

#[green::test]
fn a_panicking_thread_falls_back_or_panics_as_std() {
    let handles = vec![
        thread::spawn(|| 1u64),
        thread::spawn(|| -> u64 { panic!("worker died") }),
        thread::spawn(|| 3u64),
    ];
    let total = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(100))
        .sum::<u64>();
    assert_eq!(total, 104);

    let handles = vec![
        thread::spawn(|| 1u64),
        thread::spawn(|| -> u64 { panic!("worker died") }),
    ];
    let errors: Vec<Option<u64>> = handles.into_iter().map(|h| h.join().ok()).collect();
    assert_eq!(errors, [Some(1), None]);

    let handles = vec![thread::spawn(|| -> u64 { panic!("worker died") })];
    let kinds: Vec<Result<u64, &str>> = handles
        .into_iter()
        .map(|h| h.join().map_err(|_| "panicked"))
        .collect();
    assert_eq!(kinds, [Err("panicked")]);

    // The chain run in a task of its own: `unwrap` panics with std's message.
    let task = green::spawn(|| {
        let handles = vec![
            thread::spawn(|| 1u64),
            thread::spawn(|| -> u64 { panic!("worker died") }),
        ];
        let results: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        results
    });
    match task.join() {
        Err(GreenError::Panicked(message)) => assert!(
            message.contains("called `Result::unwrap()` on an `Err` value"),
            "{message}"
        ),
        other => panic!("expected a panic, got {other:?}"),
    }

    let task = green::spawn(|| {
        let handles = vec![thread::spawn(|| -> u64 { panic!("worker died") })];
        handles
            .into_iter()
            .map(|h| h.join().expect("worker 0"))
            .sum::<u64>()
    });
    match task.join() {
        Err(GreenError::Panicked(message)) => {
            assert!(message.starts_with("worker 0: "), "{message}")
        }
        other => panic!("expected a panic, got {other:?}"),
    }
}

struct Worker {
    id: usize,
    job: Option<u64>,
}

impl Worker {
    /// A green constructor, as the Rust book's thread pool's (receiving its
    /// first job here).
    #[green::green]
    fn new(id: usize, receiver: Arc<Mutex<mpsc::Receiver<u64>>>) -> Worker {
        let job = receiver.lock().unwrap().recv().ok();
        Worker { id, job }
    }
}

#[green::test]
fn a_green_constructor_in_a_plain_closure_collects_into_a_vec() {
    let (sender, receiver) = mpsc::channel();
    for job in [7, 8, 9] {
        sender.send(job).unwrap();
    }
    let receiver = Arc::new(Mutex::new(receiver));
    let workers: Vec<Worker> = (0..3)
        .map(|id| Worker::new(id, Arc::clone(&receiver)))
        .collect();
    let ids: Vec<usize> = workers.iter().map(|w| w.id).collect();
    assert_eq!(ids, [0, 1, 2]);
    let jobs: Vec<Option<u64>> = workers.iter().map(|w| w.job).collect();
    assert_eq!(jobs, [Some(7), Some(8), Some(9)]);
}

#[green::test]
fn option_outputs_unwrap_lazily_too() {
    let (sender, receiver) = mpsc::channel();
    let receiver = Arc::new(Mutex::new(receiver));
    for i in 1..=3u64 {
        sender.send(i).unwrap();
    }
    drop(sender);
    let firsts: Vec<u64> = (0..4)
        .map(|_| Worker::new(0, Arc::clone(&receiver)))
        .map(|w| async move { w.await.job }) // foreign futures: a std iterator
        .map(green::wait)
        .map(|job| job.unwrap_or_default())
        .collect();
    assert_eq!(firsts, [1, 2, 3, 0]);
}
