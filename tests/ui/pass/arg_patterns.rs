//! Arguments are moved into the future; patterns and `mut` work.
use std::cell::Cell;
use std::rc::Rc;

struct Loud(Rc<Cell<u32>>);

impl Drop for Loud {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[green::green]
fn patterns((a, b): (u32, u32), mut c: u32, _: Loud, Point { x, y }: Point) -> u32 {
    c += 1;
    a + b + c + x + y
}

struct Point {
    x: u32,
    y: u32,
}

#[green::green]
fn unused(_loud: Loud, _: Loud) {}

#[green::main]
fn main() {
    let drops = Rc::new(Cell::new(0));
    let work = green::nowait!(patterns(
        (1, 2),
        3,
        Loud(drops.clone()),
        Point { x: 4, y: 5 }
    ));
    // Like an async fn, the arguments live in the future until it finishes.
    assert_eq!(drops.get(), 0);
    assert_eq!(work.await, 16);
    assert_eq!(drops.get(), 1);
    let work = green::nowait!(unused(Loud(drops.clone()), Loud(drops.clone())));
    assert_eq!(drops.get(), 1);
    work.await;
    assert_eq!(drops.get(), 3);
}
