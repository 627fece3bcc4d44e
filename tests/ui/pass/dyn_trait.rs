//! `#[green(boxed)]` keeps a green trait dyn-compatible: its methods return
//! `Green<Pin<Box<dyn Future>>>`, so the trait is used as `Box<dyn Trait>`
//! and `&dyn Trait`, and a green body awaits its calls like any other.
trait Store {
    #[green::green(boxed)]
    fn load(&self, key: u32) -> Option<String>;

    #[green::green(boxed)]
    fn load_two(&self, a: u32, b: u32) -> (Option<String>, Option<String>) {
        (self.load(a), self.load(b))
    }
}

struct Memory(Vec<String>);

impl Store for Memory {
    #[green::green(boxed)]
    fn load(&self, key: u32) -> Option<String> {
        green::idle();
        self.0.get(key as usize).cloned()
    }
}

struct Prefixed(&'static str);

impl Store for Prefixed {
    #[green::green(boxed)]
    fn load(&self, key: u32) -> Option<String> {
        green::idle();
        Some(format!("{}{key}", self.0))
    }
}

#[green::green]
fn first_found(stores: &[Box<dyn Store>], key: u32) -> Option<String> {
    for store in stores {
        if let Some(value) = store.load(key) {
            return Some(value);
        }
    }
    None
}

#[green::green]
fn both(store: &dyn Store) -> String {
    let (a, b) = store.load_two(0, 1);
    format!("{}+{}", a.unwrap_or_default(), b.unwrap_or_default())
}

#[green::main]
fn main() {
    let stores: Vec<Box<dyn Store>> = vec![
        Box::new(Memory(vec!["zero".to_owned()])),
        Box::new(Prefixed("p")),
    ];
    assert_eq!(first_found(&stores, 0).as_deref(), Some("zero"));
    assert_eq!(first_found(&stores, 5).as_deref(), Some("p5"));
    assert_eq!(both(&*stores[1]), "p0+p1");
    let memory = Memory(vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(both(&memory), "a+b");
}
