//! A plain closure is not a green body: a green call in it is green work.
//! In a plain fn nothing awaits it, and a predicate asks about a value the
//! closure does not have.
use green::compat::thread::JoinHandle;

#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

// A plain fn: `collect` is std's, and cannot build values from works.
fn doubled(items: &[u32]) -> Vec<u32> {
    items.iter().map(|x| double(*x)).collect()
}

// A green fn whose plain closure tests green work.
#[green::green]
fn successes(handles: Vec<JoinHandle<u32>>) -> usize {
    handles.into_iter().map(|h| h.join().is_ok()).filter(|ok| *ok).count()
}

fn main() {}
