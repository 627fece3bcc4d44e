//! Waiting on many tasks at once: `joinall`, `joinall_timeout`.

use core::future::Future;
use core::time::Duration;

use crate::error::GreenError;
use crate::green::Green;
use crate::task::Greenlet;

/// Waits for every task and gives their results in the order given
/// (gevent's `joinall`).
///
/// ```
/// #[green::main]
/// fn main() {
///     let tasks: Vec<_> = (1..=3).map(|i| green::spawn(move || async move { i * 10 })).collect();
///     let results = green::joinall(tasks);
///     assert_eq!(results, [Ok(10), Ok(20), Ok(30)]);
/// }
/// ```
pub fn joinall<T, I>(handles: I) -> Green<impl Future<Output = Vec<Result<T, GreenError>>>>
where
    T: 'static,
    I: IntoIterator<Item = Greenlet<T>>,
{
    let handles: Vec<Greenlet<T>> = handles.into_iter().collect();
    Green::new(async move {
        let mut results = Vec::with_capacity(handles.len());
        for handle in handles {
            handle.wait_done().await;
            results.push(handle.take_result());
        }
        results
    })
}

/// Waits at most `timeout` for the tasks. Gives the results of the tasks that
/// ended (in the order given) and the handles of those still running, which
/// are left running.
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let quick = green::spawn(|| async { "quick" });
///     let slow = green::spawn(|| async {
///         green::sleep(Duration::from_secs(60)).await;
///         "slow"
///     });
///     let (done, pending) = green::joinall_timeout([quick, slow], Duration::from_millis(20));
///     assert_eq!(done, [Ok("quick")]);
///     assert_eq!(pending.len(), 1);
///     green::killall(pending);
/// }
/// ```
pub fn joinall_timeout<T, I>(
    handles: I,
    timeout: Duration,
) -> Green<impl Future<Output = (Vec<Result<T, GreenError>>, Vec<Greenlet<T>>)>>
where
    T: 'static,
    I: IntoIterator<Item = Greenlet<T>>,
{
    let handles: Vec<Greenlet<T>> = handles.into_iter().collect();
    Green::new(async move {
        let all_done = async {
            for handle in &handles {
                handle.wait_done().await;
            }
        };
        let _ = tokio::time::timeout(timeout, all_done).await;
        let mut finished = Vec::new();
        let mut pending = Vec::new();
        for handle in handles {
            if handle.is_ready() {
                finished.push(handle.take_result());
            } else {
                pending.push(handle);
            }
        }
        (finished, pending)
    })
}

/// Kills every task and returns once all of them are dead (gevent's `killall`).
///
/// ```
/// use std::time::Duration;
///
/// #[green::main]
/// fn main() {
///     let tasks: Vec<_> = (0..3)
///         .map(|_| green::spawn(|| green::sleep(Duration::from_secs(60))))
///         .collect();
///     green::killall(&tasks);
///     assert!(tasks.iter().all(|t| t.is_ready()));
/// }
/// ```
pub fn killall<'a, T, I>(handles: I) -> Green<impl Future<Output = ()> + 'a>
where
    T: 'static,
    I: IntoIterator,
    I::Item: core::borrow::Borrow<Greenlet<T>> + 'a,
{
    let handles: Vec<I::Item> = handles.into_iter().collect();
    Green::new(async move {
        use core::borrow::Borrow;
        for handle in &handles {
            handle.borrow().kill_nowait();
        }
        for handle in &handles {
            handle.borrow().wait_done().await;
        }
    })
}
