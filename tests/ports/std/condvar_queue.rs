//! A blocking bounded queue built from `Mutex<VecDeque>` and two `Condvar`s.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

struct BlockingQueue<T> {
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BlockingQueue<T> {
    fn new(capacity: usize) -> Self {
        BlockingQueue {
            items: Mutex::new(VecDeque::new()),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        self.not_empty.notify_one();
    }

    fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        loop {
            if let Some(item) = items.pop_front() {
                self.not_full.notify_one();
                return item;
            }
            items = self.not_empty.wait(items).unwrap();
        }
    }
}

fn main() {
    let queue = Arc::new(BlockingQueue::new(3));
    let mut producers = Vec::new();
    for p in 0..3 {
        let queue = Arc::clone(&queue);
        producers.push(thread::spawn(move || {
            for i in 0..5 {
                queue.push(Some(p * 100 + i));
            }
        }));
    }

    let consumer_queue = Arc::clone(&queue);
    let consumer = thread::spawn(move || {
        let mut got = Vec::new();
        let mut finished = 0;
        while finished < 3 {
            match consumer_queue.pop() {
                Some(v) => got.push(v),
                None => finished += 1,
            }
        }
        got
    });

    for p in producers {
        p.join().unwrap();
    }
    for _ in 0..3 {
        queue.push(None);
    }
    let mut got = consumer.join().unwrap();
    got.sort();
    println!("consumed {} items", got.len());
    println!("{got:?}");
    println!(
        "queue empty at the end: {}",
        queue.items.lock().unwrap().is_empty()
    );
}
