//! Worker threads that move through phases in lockstep with a `Barrier`.

use std::sync::{Arc, Barrier, Mutex};
use std::thread;

const WORKERS: usize = 4;
const PHASES: usize = 3;

fn main() {
    let barrier = Arc::new(Barrier::new(WORKERS));
    let log = Arc::new(Mutex::new(Vec::new()));
    let mut handles = Vec::with_capacity(WORKERS);

    for id in 0..WORKERS {
        let barrier = Arc::clone(&barrier);
        let log = Arc::clone(&log);
        handles.push(thread::spawn(move || {
            let mut leaders = 0;
            for phase in 0..PHASES {
                log.lock().unwrap().push((phase, id));
                if barrier.wait().is_leader() {
                    leaders += 1;
                }
            }
            leaders
        }));
    }

    let mut leaders = 0;
    for handle in handles {
        leaders += handle.join().unwrap();
    }

    let log = log.lock().unwrap();
    let in_order = log.windows(2).all(|w| w[0].0 <= w[1].0);
    println!("entries: {}", log.len());
    println!("phases never overlap: {in_order}");
    println!("one leader per phase: {}", leaders == PHASES);
    for phase in 0..PHASES {
        let mut ids: Vec<usize> = log
            .iter()
            .filter(|(p, _)| *p == phase)
            .map(|(_, id)| *id)
            .collect();
        ids.sort();
        println!("phase {phase}: {ids:?}");
    }
}
