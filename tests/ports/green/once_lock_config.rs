//! A global configuration initialised once with `OnceLock`, read by threads.

use green::compat::sync::atomic::{AtomicUsize, Ordering};
use green::compat::sync::{Mutex, OnceLock};
use green::compat::thread;
use std::collections::HashMap;

static CONFIG: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
static INITS: AtomicUsize = AtomicUsize::new(0);
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[green::green]
fn config() -> &'static HashMap<&'static str, u32> {
    CONFIG.get_or_init(|| {
        INITS.fetch_add(1, Ordering::SeqCst);
        HashMap::from([("workers", 4), ("retries", 3), ("timeout_ms", 250)])
    })
}

#[green::main]
fn main() {
    let handles: Vec<_> = (0..6)
        .map(|i| {
            thread::spawn(move || {
                let cfg = config();
                let line = format!("thread {i} sees {} workers", cfg["workers"]);
                LOG.lock().unwrap().push(line);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }

    let mut log = LOG.lock().unwrap().clone();
    log.sort();
    for line in &log {
        println!("{line}");
    }
    println!("initialised {} time(s)", INITS.load(Ordering::SeqCst));
    println!("retries: {:?}", CONFIG.get().map(|c| c["retries"]));
    println!("set again: {:?}", CONFIG.set(HashMap::new()).is_err());
}
