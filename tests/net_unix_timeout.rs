//! `compat::os::unix::net::UnixStream`'s read and write timeouts against
//! std's: the same scenario with std in a thread and with compat in green
//! code gives the same `ErrorKind`s and values, and each read gets its whole
//! timeout, also after one cut short by `green::timeout`.
#![cfg(unix)]

use std::io::{self, ErrorKind};
use std::time::{Duration, Instant};

use green::compat::io::{Read as _, Write as _};
use green::compat::os::unix::net::UnixStream;

const LIMIT: Duration = Duration::from_millis(100);

fn kind<T>(result: io::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => format!("{:?}", error.kind()),
    }
}

fn scenario_std() -> Vec<String> {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;

    let mut log = Vec::new();
    let (mut ours, mut peer) = UnixStream::pair().unwrap();
    log.push(format!("default read {:?}", ours.read_timeout().unwrap()));
    log.push(format!("default write {:?}", ours.write_timeout().unwrap()));
    log.push(format!(
        "zero read {}",
        kind(ours.set_read_timeout(Some(Duration::ZERO)))
    ));
    log.push(format!(
        "zero write {}",
        kind(ours.set_write_timeout(Some(Duration::ZERO)))
    ));
    ours.set_read_timeout(Some(LIMIT)).unwrap();
    let mut clone = ours.try_clone().unwrap();
    log.push(format!("clone {:?}", clone.read_timeout().unwrap()));

    let mut buf = [0u8; 8];
    let start = Instant::now();
    log.push(format!("read {}", kind(ours.read(&mut buf))));
    log.push(format!("waited {}", start.elapsed() >= LIMIT * 8 / 10));
    log.push(format!("clone read {}", kind(clone.read(&mut buf))));
    peer.write_all(b"here").unwrap();
    log.push(format!("read ready {:?}", ours.read(&mut buf)));
    ours.set_read_timeout(None).unwrap();
    log.push(format!("cleared {:?}", clone.read_timeout().unwrap()));

    ours.set_write_timeout(Some(LIMIT)).unwrap();
    let chunk = vec![7u8; 1 << 16];
    let error = loop {
        if let Err(error) = ours.write(&chunk) {
            break error;
        }
    };
    log.push(format!("write {:?}", error.kind()));
    log
}

#[green::green]
fn scenario_green() -> Vec<String> {
    let mut log = Vec::new();
    let (mut ours, mut peer) = UnixStream::pair().unwrap();
    log.push(format!("default read {:?}", ours.read_timeout().unwrap()));
    log.push(format!("default write {:?}", ours.write_timeout().unwrap()));
    log.push(format!(
        "zero read {}",
        kind(ours.set_read_timeout(Some(Duration::ZERO)))
    ));
    log.push(format!(
        "zero write {}",
        kind(ours.set_write_timeout(Some(Duration::ZERO)))
    ));
    ours.set_read_timeout(Some(LIMIT)).unwrap();
    let mut clone = ours.try_clone().unwrap();
    log.push(format!("clone {:?}", clone.read_timeout().unwrap()));

    let mut buf = [0u8; 8];
    let start = Instant::now();
    log.push(format!("read {}", kind(ours.read(&mut buf))));
    log.push(format!("waited {}", start.elapsed() >= LIMIT * 8 / 10));
    log.push(format!("clone read {}", kind(clone.read(&mut buf))));
    peer.write_all(b"here").unwrap();
    log.push(format!("read ready {:?}", ours.read(&mut buf)));
    ours.set_read_timeout(None).unwrap();
    log.push(format!("cleared {:?}", clone.read_timeout().unwrap()));

    ours.set_write_timeout(Some(LIMIT)).unwrap();
    let chunk = vec![7u8; 1 << 16];
    let error = loop {
        if let Err(error) = ours.write(&chunk) {
            break error;
        }
    };
    log.push(format!("write {:?}", error.kind()));
    log
}

#[test]
fn read_and_write_timeouts_match_std() {
    let std_log = std::thread::spawn(scenario_std).join().unwrap();
    let green_log = green::run(scenario_green());
    assert_eq!(green_log, std_log);
    // On Linux, std's expired SO_RCVTIMEO is EAGAIN: WouldBlock.
    #[cfg(target_os = "linux")]
    assert!(
        std_log.contains(&"read WouldBlock".to_owned()),
        "{std_log:?}"
    );
}

#[green::test(timeout_ms = 30_000)]
fn a_read_after_one_cut_short_by_green_timeout_gets_its_whole_timeout() {
    let (mut ours, _peer) = UnixStream::pair().unwrap();
    ours.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 8];
    let cut = green::timeout(Duration::from_millis(50), || ours.read(&mut buf));
    assert!(cut.is_err(), "the silent peer sent something: {cut:?}");

    let start = Instant::now();
    let error = ours.read(&mut buf).unwrap_err();
    let waited = start.elapsed();
    assert_eq!(error.kind(), ErrorKind::WouldBlock);
    assert!(
        waited >= Duration::from_millis(180) && waited < Duration::from_secs(2),
        "waited {waited:?}"
    );
}

#[green::test(timeout_ms = 30_000)]
fn a_read_with_a_timeout_blocks_only_its_task() {
    let (mut ours, _peer) = UnixStream::pair().unwrap();
    ours.set_read_timeout(Some(LIMIT)).unwrap();
    let ticker = green::spawn(|| async {
        let mut ticks = 0;
        for _ in 0..5 {
            green::sleep(LIMIT / 10).await;
            ticks += 1;
        }
        ticks
    });
    let mut buf = [0u8; 1];
    assert_eq!(
        ours.read(&mut buf).unwrap_err().kind(),
        ErrorKind::WouldBlock
    );
    // The ticker's 50 ms ran during the read's 100 ms wait.
    assert!(ticker.is_ready(), "the read blocked the hub");
    assert_eq!(ticker.join().unwrap(), 5);
}
