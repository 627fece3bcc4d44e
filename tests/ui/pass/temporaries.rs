//! Method chains over temporaries borrow-check (the dispatch uses `match`).
#[green::green]
fn make() -> Vec<u32> {
    vec![1, 2, 3]
}

#[green::green]
fn text() -> String {
    "  padded  ".to_owned()
}

struct Holder(Vec<u32>);

impl Holder {
    #[green::green]
    fn items(&self) -> &[u32] {
        &self.0
    }
}

#[green::green]
fn chains() -> usize {
    let a = make().len();
    let b = text().trim().len();
    let c = make().iter().map(|x| *x as usize).max().unwrap();
    let d = Holder(make()).items().len();
    let e = make().first().copied().unwrap() as usize;
    a + b + c + d + e
}

#[green::main]
fn main() {
    assert_eq!(chains(), 3 + 6 + 3 + 3 + 1);
}
