//! `timeout` and `with_timeout`, ported from gevent's test__timeout.py.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use green::Elapsed;

struct SetOnDrop(Rc<Cell<bool>>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[green::green]
fn sleep_ms(ms: u64) -> u64 {
    green::sleep(Duration::from_millis(ms));
    ms
}

#[green::test(timeout_ms = 10_000)]
fn a_timeout_fires_after_about_its_duration_and_runs_the_drops() {
    let dropped = Rc::new(Cell::new(false));
    let flag = SetOnDrop(dropped.clone());
    let start = Instant::now();
    let result = green::timeout(Duration::from_millis(40), move || async move {
        let _flag = flag;
        green::sleep(Duration::from_secs(60)).await;
    });
    let elapsed = start.elapsed();
    assert_eq!(result, Err(Elapsed));
    assert!(dropped.get(), "the timed-out work was not dropped");
    assert!(elapsed >= Duration::from_millis(35), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[green::test(timeout_ms = 10_000)]
fn work_that_finishes_in_time_gives_its_value() {
    assert_eq!(
        green::timeout(Duration::from_secs(5), || sleep_ms(1)),
        Ok(1)
    );
    assert_eq!(
        green::with_timeout(Duration::from_secs(5), || sleep_ms(2), 0),
        2
    );
    assert_eq!(
        green::with_timeout(Duration::from_millis(5), || sleep_ms(10_000), 0),
        0
    );
}

#[green::test(timeout_ms = 10_000)]
fn nested_timeouts_fire_innermost_first() {
    // The inner one is shorter: it fires, the outer one sees a value.
    let outer = green::timeout(Duration::from_secs(5), || {
        green::timeout(Duration::from_millis(10), || sleep_ms(10_000))
    });
    assert_eq!(outer, Ok(Err(Elapsed)));

    // Same deadline: still the inner one.
    let outer = green::timeout(Duration::from_millis(20), || {
        green::timeout(Duration::from_millis(20), || sleep_ms(10_000))
    });
    assert_eq!(outer, Ok(Err(Elapsed)));
}

#[green::test(timeout_ms = 10_000)]
fn an_outer_timeout_is_not_swallowed_by_an_inner_one() {
    let start = Instant::now();
    let outer = green::timeout(Duration::from_millis(20), || async {
        // The inner timeout is longer: the outer one must fire first, and
        // the work after the inner timeout must never run.
        let inner = green::timeout(Duration::from_secs(5), || sleep_ms(10_000)).await;
        let _ = inner;
        unreachable!("the outer timeout was swallowed");
    });
    assert_eq!(outer, Err(Elapsed));
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[green::test(timeout_ms = 10_000)]
fn a_zero_timeout_lets_the_work_run_until_it_blocks() {
    assert_eq!(green::timeout(Duration::ZERO, || async { 5 }), Ok(5));
    assert_eq!(green::timeout(Duration::ZERO, || sleep_ms(1)), Err(Elapsed));
}

#[green::test(timeout_ms = 10_000)]
fn the_clock_starts_when_the_work_starts() {
    let pending = green::nowait!(green::timeout(Duration::from_millis(50), || sleep_ms(10)));
    green::sleep(Duration::from_millis(80));
    assert_eq!(pending.await, Ok(10));
}

#[green::test(timeout_ms = 10_000)]
fn a_timeout_around_a_join_leaves_the_task_running() {
    let task = green::spawn(|| sleep_ms(50));
    assert_eq!(
        green::timeout(Duration::from_millis(5), || async { task.wait_for().await }),
        Err(Elapsed)
    );
    assert!(!task.is_ready());
    assert_eq!(task.join(), Ok(50));
}

trait WaitFor {
    fn wait_for(&self) -> green::Green<impl std::future::Future<Output = ()> + '_>;
}

impl<T: 'static> WaitFor for green::Greenlet<T> {
    fn wait_for(&self) -> green::Green<impl std::future::Future<Output = ()> + '_> {
        green::Green::new(async move {
            while !self.is_ready() {
                green::sleep(Duration::from_millis(1)).await;
            }
        })
    }
}

#[green::test(timeout_ms = 10_000)]
fn elapsed_displays_lower_case() {
    assert_eq!(Elapsed.to_string(), "deadline has elapsed");
}

#[green::test(timeout_ms = 10_000)]
fn timeout_work_may_borrow_what_its_closure_captures() {
    use green::compat::io::{Read, Write};
    use green::compat::net::{TcpListener, TcpStream};

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, _) = listener.accept().unwrap();
    let mut buf = [0u8; 8];
    // Nothing sent yet: the read times out and the buffer is still usable.
    assert_eq!(
        green::timeout(Duration::from_millis(20), || server.read(&mut buf)).map(|r| r.unwrap()),
        Err(green::Elapsed)
    );
    client.write_all(b"ping").unwrap();
    let n = green::timeout(Duration::from_secs(5), || server.read(&mut buf))
        .unwrap()
        .unwrap();
    assert_eq!(&buf[..n], b"ping");
}
