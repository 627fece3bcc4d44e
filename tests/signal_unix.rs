//! green::signal: unix signal streams and ctrl_c wake green tasks, for the
//! graceful shutdown of a green server. Each test sends a signal to this
//! very process (after listening for it, so the default action never runs).

#![cfg(unix)]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use green::compat::process::Command;
use green::signal::{SignalKind, signal};

#[green::green]
fn send_to_self(name: &'static str) {
    let pid = std::process::id().to_string();
    let status = Command::new("kill").args([name, &pid]).status().unwrap();
    assert!(status.success());
}

#[green::test(timeout_ms = 10_000)]
fn sigusr1_wakes_a_waiting_task() {
    let mut usr1 = signal(SignalKind::user_defined1()).unwrap();
    let waiter = green::spawn(move || async move { usr1.recv().await });
    green::idle();
    send_to_self("-USR1");
    assert_eq!(waiter.join(), Ok(Some(())));
}

#[green::test(timeout_ms = 10_000)]
fn graceful_shutdown_of_a_green_server() {
    let served = Rc::new(Cell::new(0u32));
    let server = {
        let served = served.clone();
        green::spawn(move || async move {
            loop {
                green::sleep(Duration::from_millis(2)).await;
                served.set(served.get() + 1);
            }
        })
    };
    let terminate = signal(SignalKind::terminate()).unwrap();
    let sender = green::spawn(|| async {
        green::sleep(Duration::from_millis(30)).await;
        send_to_self("-TERM").await;
    });
    let mut shutdowns = 0;
    for () in terminate {
        shutdowns += 1;
        break;
    }
    server.kill();
    sender.join().unwrap();
    assert_eq!(shutdowns, 1);
    assert!(
        served.get() > 0,
        "the server ran while main waited for the signal"
    );
}

#[green::test(timeout_ms = 10_000)]
fn ctrl_c_is_green() {
    let waiter = green::spawn(green::signal::ctrl_c);
    green::idle(); // the waiter installs the SIGINT handler
    send_to_self("-INT");
    assert!(waiter.join().unwrap().is_ok());
}
