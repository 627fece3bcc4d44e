//! Direct self-recursion (`f(..)`, `self.f(..)`, `Self::f(..)`) is boxed automatically.
#[green::green]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

struct Tree {
    children: Vec<Tree>,
}

impl Tree {
    #[green::green]
    fn size(&self) -> usize {
        let mut total = 1;
        for child in &self.children {
            total += Self::size(child);
        }
        total
    }

    #[green::green]
    fn depth(&self, limit: usize) -> usize {
        if limit == 0 {
            0
        } else {
            1 + self.depth(limit - 1)
        }
    }

    #[green::green]
    fn count(n: u32) -> u32 {
        if n == 0 { 0 } else { 1 + Self::count(n - 1) }
    }
}

#[green::main]
fn main() {
    assert_eq!(fib(15), 610);
    let tree = Tree {
        children: vec![
            Tree { children: vec![] },
            Tree {
                children: vec![Tree { children: vec![] }],
            },
        ],
    };
    assert_eq!(tree.size(), 4);
    assert_eq!(tree.depth(3), 3);
    assert_eq!(Tree::count(10), 10);
}
