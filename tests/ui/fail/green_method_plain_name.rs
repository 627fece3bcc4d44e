//! A green method named like a method green bodies never await: `q.len()`
//! in a green body would drop the work unrun.
struct Store(Vec<u32>);

impl Store {
    #[green::green]
    fn len(&self) -> usize {
        green::idle();
        self.0.len()
    }

    #[green::green]
    fn unwrap(self) -> Vec<u32> {
        self.0
    }
}

trait Cache {
    #[green::green]
    fn contains(&self, key: u32) -> bool;
}

fn main() {}
