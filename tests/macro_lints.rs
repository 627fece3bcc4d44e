//! Expanded `#[green]` code triggers no clippy lint, even in a crate that
//! denies clippy's pedantic group: every lint reported here would point at
//! code the user did not write. (CI runs clippy with `--all-targets`.)
#![deny(clippy::pedantic)]

use std::cell::Cell;
use std::rc::Rc;

use green::compat::io::{BufRead, BufReader};
use green::{Queue, green};

struct Counter {
    hits: Cell<u32>,
}

impl Counter {
    #[green]
    fn hit(&self, by: u32) -> u32 {
        green::idle();
        self.hits.set(self.hits.get() + by);
        self.hits.get()
    }

    #[green]
    fn into_hits(self) -> u32 {
        self.hits.get()
    }
}

#[green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green]
fn arguments(_unused: u32, (a, b): (u32, u32), _: u32, mut total: u32) -> u32 {
    total += double(a) + b;
    total
}

#[green]
fn fallible(text: &str) -> Result<u32, std::num::ParseIntError> {
    let parsed: u32 = text.trim().parse()?;
    Ok(double(parsed))
}

#[green]
fn loops(queue: &Queue<u32>) -> u32 {
    let mut sum = 0;
    for i in 0..3 {
        sum += double(i);
    }
    queue.close();
    for item in queue.iter() {
        sum += item;
    }
    let reader = BufReader::new(&b"1\n2\n"[..]);
    for line in reader.lines() {
        sum += line.map_or(0, |line| line.parse().unwrap_or(0));
    }
    sum
}

#[green]
fn closures(counter: Rc<Counter>) -> u32 {
    let task = green::spawn(move || async move { counter.hit(1).await });
    let add = #[green]
    move |x: u32| double(x) + 1;
    add(2) + task.join().unwrap_or(0)
}

#[green]
fn formatted(x: u32) -> String {
    let text = format!("{} {}", double(x), x);
    assert_eq!(double(x), x * 2, "{}", double(x));
    text
}

#[green::test(timeout_ms = 20_000)]
fn lint_free_green_code_runs() {
    let counter = Counter { hits: Cell::new(0) };
    assert_eq!(counter.hit(2), 2);
    assert_eq!(counter.into_hits(), 2);
    assert_eq!(arguments(9, (1, 2), 0, 10), 14);
    assert_eq!(fallible(" 21 "), Ok(42));
    assert!(fallible("x").is_err());
    let queue = Queue::new();
    queue.put(5).unwrap();
    assert_eq!(loops(&queue), 6 + 5 + 3);
    let counter = Rc::new(Counter { hits: Cell::new(0) });
    assert_eq!(closures(counter), 5 + 1);
    assert_eq!(formatted(4), "8 4");
}
