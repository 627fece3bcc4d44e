//! `#[green]` on trait method declarations, default bodies and impls.
trait Source {
    #[green::green]
    fn read(&mut self) -> Option<u32>;

    #[green::green]
    fn read_two(&mut self) -> (Option<u32>, Option<u32>) {
        let a = self.read();
        (a, self.read())
    }
}

struct Counter(u32);

impl Source for Counter {
    #[green::green]
    fn read(&mut self) -> Option<u32> {
        green::idle();
        self.0 += 1;
        Some(self.0)
    }
}

#[green::green]
fn use_source(source: &mut impl Source) -> u32 {
    let (a, b) = source.read_two();
    a.unwrap() + b.unwrap() + source.read().unwrap()
}

#[green::main]
fn main() {
    assert_eq!(use_source(&mut Counter(0)), 1 + 2 + 3);
}
