//! `&self`, `&mut self` and `self` methods, and impl-level lifetimes.
struct Counter {
    count: u32,
}

impl Counter {
    #[green::green]
    fn get(&self) -> u32 {
        self.count
    }

    #[green::green]
    fn bump(&mut self, by: u32) -> u32 {
        self.count += by;
        self.get()
    }

    #[green::green]
    fn name(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.get())
    }

    #[green::green]
    fn into_count(self) -> u32 {
        self.count
    }

    #[green::green]
    fn new(count: u32) -> Self {
        Counter { count }
    }

    #[green::green]
    fn from_box(self: Box<Self>) -> u32 {
        self.count
    }

    #[green::green]
    fn from_rc(self: std::rc::Rc<Self>, extra: &u32) -> u32 {
        self.count + extra
    }

    #[green::green]
    fn typed_ref(self: &Self) -> &u32 {
        &self.count
    }
}

struct Parser<'a> {
    input: &'a str,
}

impl<'a> Parser<'a> {
    #[green::green]
    fn rest(&self) -> &'a str {
        self.input
    }

    #[green::green]
    fn take(&mut self, n: usize) -> &'a str {
        let (head, tail) = self.input.split_at(n);
        self.input = tail;
        head
    }
}

#[green::main]
fn main() {
    let mut counter = Counter::new(1);
    assert_eq!(counter.get(), 1);
    assert_eq!(counter.bump(2), 3);
    assert_eq!(counter.name("n="), "n=3");
    assert_eq!(*counter.typed_ref(), 3);
    assert_eq!(counter.into_count(), 3);
    assert_eq!(Box::new(Counter::new(4)).from_box(), 4);
    assert_eq!(std::rc::Rc::new(Counter::new(5)).from_rc(&1), 6);

    let mut parser = Parser { input: "abcdef" };
    assert_eq!(parser.take(2), "ab");
    assert_eq!(parser.rest(), "cdef");
}
