//! gevent's `dns_mass_resolve.py` on green: resolves many host names at
//! once, at most 10 lookups in flight (a `Pool`), and gives up on whatever
//! is left after 2 seconds (a `timeout` around the whole batch). Prints
//! each answer and how many finished in time.
//!
//! The names are the arguments; with none, the original's list
//! (`10.com` .. `1009.com`, which asks the DNS).
//!
//! ```text
//! cargo run --example dns_mass_resolve -- localhost example.org
//! ```

use std::cell::RefCell;
use std::net::IpAddr;
use std::rc::Rc;
use std::time::Duration;

use green::compat::net::ToSocketAddrs;

/// The answer for one name: its first address, or why there is none.
pub(crate) type Answer = Result<IpAddr, String>;

/// What a batch gave: the answers that came in time, in the order they
/// came, and how many names there were.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) answers: Vec<(String, Answer)>,
    pub(crate) total: usize,
}

/// Looks `name` up (gevent's `gethostbyname`).
#[green::green]
pub(crate) fn resolve(name: &str) -> Answer {
    match (name, 0).to_socket_addrs() {
        Ok(mut addrs) => addrs
            .next()
            .map(|addr| addr.ip())
            .ok_or_else(|| "no address".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// Resolves `names`, `concurrency` at a time, for at most `deadline`.
#[green::green]
pub(crate) fn resolve_all(names: Vec<String>, concurrency: usize, deadline: Duration) -> Report {
    // gevent counts with a global; green tasks of one hub share an Rc.
    let answers = Rc::new(RefCell::new(Vec::new()));
    let total = names.len();
    let pool = green::Pool::new(concurrency);
    let batch = green::timeout(deadline, || {
        for name in names {
            let answers = answers.clone();
            pool.spawn(move || {
                let answer = resolve(&name);
                match &answer {
                    Ok(ip) => println!("{name} = {ip}"),
                    Err(e) => println!("{name} failed with {e}"),
                }
                answers.borrow_mut().push((name, answer));
            });
        }
        pool.join();
    });
    if batch.is_err() {
        // Time is up: stop the lookups still waiting (one already on an OS
        // thread runs to its end there, unheard).
        pool.kill();
    }
    let answers = answers.borrow().clone();
    Report { answers, total }
}

#[green::main]
fn main() {
    let mut names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        names = (10..1010).map(|n| format!("{n}.com")).collect();
    }
    let report = resolve_all(names, 10, Duration::from_secs(2));
    println!(
        "finished within 2 seconds: {}/{}",
        report.answers.len(),
        report.total
    );
}
