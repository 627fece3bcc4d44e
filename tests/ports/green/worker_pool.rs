//! A pool of workers, each `Worker { id, thread: Option<JoinHandle<()>> }`,
//! fed through a shared receiver and joined in `Drop`.

use green::compat::sync::mpsc::{self, Receiver, Sender};
use green::compat::sync::{Arc, Mutex};
use green::compat::thread::{self, JoinHandle};

struct Worker {
    id: usize,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    #[green::green]
    fn new(id: usize, tasks: Arc<Mutex<Receiver<u64>>>, results: Sender<(u64, u64)>) -> Worker {
        let thread = thread::spawn(move || {
            loop {
                let task = tasks.lock().unwrap().recv();
                match task {
                    Ok(n) => {
                        let answer = (1..=n).product::<u64>();
                        results.send((n, answer)).unwrap();
                    }
                    Err(_) => break,
                }
            }
        });
        Worker {
            id,
            thread: Some(thread),
        }
    }
}

struct Pool {
    workers: Vec<Worker>,
    sender: Option<Sender<u64>>,
}

impl Pool {
    #[green::green]
    fn new(size: usize, results: Sender<(u64, u64)>) -> Pool {
        let (sender, receiver) = mpsc::channel();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|id| Worker::new(id, Arc::clone(&receiver), results.clone()))
            .collect();
        Pool {
            workers,
            sender: Some(sender),
        }
    }

    fn submit(&self, n: u64) {
        self.sender.as_ref().unwrap().send(n).unwrap();
    }
}

impl Pool {
    #[green::green]
    fn shutdown(mut self) {
        drop(self.sender.take());
        for worker in &mut self.workers {
            if let Some(thread) = worker.thread.take() {
                thread.join().unwrap();
                println!("worker {} stopped", worker.id);
            }
        }
    }
}

#[green::main]
fn main() {
    let (results_tx, results_rx) = mpsc::channel();
    let pool = Pool::new(3, results_tx);
    for n in 1..=10 {
        pool.submit(n);
    }
    pool.shutdown();

    let mut results: Vec<(u64, u64)> = results_rx.iter().collect();
    results.sort();
    for (n, factorial) in results {
        println!("{n}! = {factorial}");
    }
}
