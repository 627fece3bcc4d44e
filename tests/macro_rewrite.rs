//! The `#[green]` rewrite, end to end: what is awaited and what is left alone.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;
use std::time::Duration;

#[green::green]
fn double(x: u32) -> u32 {
    green::idle();
    x * 2
}

#[green::green]
fn numbers() -> Vec<u32> {
    vec![1, 2, 3]
}

#[green::green]
fn checked(x: u32) -> Result<u32, String> {
    if x > 100 {
        Err(format!("{x} is too big"))
    } else {
        Ok(x)
    }
}

#[green::green]
fn chain(x: u32) -> Result<u32, String> {
    let a = checked(x)?;
    let b = checked(double(a))?;
    Ok(b + 1)
}

#[green::test]
fn calls_and_question_marks_are_awaited() {
    assert_eq!(double(2), 4);
    assert_eq!(chain(3), Ok(7));
    assert_eq!(chain(60), Err("120 is too big".to_owned()));
    assert_eq!(numbers().len(), 3);
}

#[green::test]
fn inference_calls_are_left_plain() {
    let v: Vec<u32> = numbers().into_iter().map(|x| x + 1).collect();
    let s: u32 = v.iter().sum();
    let n: u32 = "5".parse().unwrap();
    let m = "6".parse::<u32>().unwrap();
    let map: BTreeMap<u32, u32> = Default::default();
    let text = String::from("x");
    let wide: u64 = n.into();
    assert_eq!(
        (s, n, m, map.len(), text.as_str(), wide),
        (9, 5, 6, 0, "x", 5)
    );
}

#[green::test]
fn closures_and_async_blocks() {
    // A plain closure is not rewritten: the green value stays a value, which
    // `collect` in the green body awaits item by item.
    let doubled: Vec<u32> = (1..=3).map(double).collect();
    assert_eq!(doubled, [2, 4, 6]);
    // `nowait!` keeps the works as values.
    let works: Vec<_> = green::nowait!((1..=3).map(double).collect());
    let mut total = 0;
    for work in works {
        total += work.await;
    }
    // An async block is rewritten.
    let block = async { double(10) + 1 };
    assert_eq!(total + block.await, 12 + 21);
    let closure = async |x: u32| double(x);
    assert_eq!(closure(4).await, 8);
}

struct Lines {
    left: Vec<&'static str>,
}

impl Lines {
    #[green::green]
    fn next(&mut self) -> Option<&'static str> {
        green::sleep(Duration::from_millis(1));
        self.left.pop()
    }
}

#[green::test]
fn for_loops_over_green_and_std_iterators() {
    let mut seen = Vec::new();
    for line in (Lines {
        left: vec!["c", "b", "a"],
    }) {
        seen.push(line);
    }
    'outer: for i in 0..10 {
        for j in [1, 2, 3] {
            if i == 2 {
                break 'outer;
            }
            if j == 2 {
                continue 'outer;
            }
            seen.push("cell");
        }
        seen.push("never");
    }
    assert_eq!(seen, ["a", "b", "c", "cell", "cell"]);
}

#[green::green]
fn fib(n: u64) -> u64 {
    if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
}

#[green::test]
fn recursion_is_boxed() {
    assert_eq!(fib(20), 6765);
}

// Mutual recursion: one of the two is boxed by hand (docs/porting-std.md).
#[green::green(boxed)]
fn even(n: u32) -> bool {
    if n == 0 { true } else { odd(n - 1) }
}

#[green::green]
fn odd(n: u32) -> bool {
    if n == 0 { false } else { even(n - 1) }
}

#[green::test]
fn mutual_recursion_with_one_fn_boxed() {
    assert!(even(10));
    assert!(odd(7));
    assert!(!odd(100));
}

#[green::test]
fn formatting_macros_await_their_arguments() {
    let mut out = String::new();
    write!(out, "{}", double(1)).unwrap();
    writeln!(out, "-{}", double(2)).unwrap();
    assert_eq!(out, "2-4\n");
    assert_eq!(format!("{}{x}", double(3), x = double(4)), "68");
    assert_eq!(double(5), 10);
    assert_ne!(double(5), 11, "{}", double(6));
    assert!(double(1) == 2, "{}", double(7));
}

#[green::test]
fn nowait_keeps_a_green_value() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let work = green::nowait!(double(21));
    log.borrow_mut().push("made");
    let task = green::spawn(move || work);
    assert_eq!(task.join(), Ok(42));
    assert_eq!(*log.borrow(), ["made"]);
}

#[green::test]
fn foreign_futures_need_wait_or_await() {
    let sleep = tokio::time::sleep(Duration::from_millis(1)); // not awaited
    green::wait(sleep);
    let handle = tokio::task::spawn_local(async { 3 }); // not joined
    assert_eq!(handle.await.unwrap(), 3);
}

/// Generated code names only absolute paths.
mod shadowing {
    #![allow(dead_code)]
    mod core {}
    mod std {}

    #[green::green]
    pub(crate) fn shadowed(values: &[u32]) -> u32 {
        let mut total = 0;
        for v in values {
            total += super::double(*v);
        }
        total
    }
}

#[green::test]
fn hygiene_with_shadowed_core_and_std() {
    assert_eq!(shadowing::shadowed(&[1, 2]), 6);
}

#[green::green]
fn complex_output(n: u32) -> (Vec<Result<u32, String>>, Vec<Option<u32>>) {
    (vec![Ok(double(n))], vec![None])
}

#[green::test]
fn complex_output_types_are_fine() {
    let (a, b) = complex_output(2);
    assert_eq!((a, b), (vec![Ok(4)], vec![None]));
}

#[green::test]
fn refcell_borrows_across_calls() {
    let cell = RefCell::new(vec![1u32, 2]);
    let first = cell.borrow().first().copied().unwrap();
    cell.borrow_mut().push(double(first));
    assert_eq!(*cell.borrow(), [1, 2, 2]);
}

struct Account {
    balance: u32,
}

impl Account {
    #[green::green]
    fn deposit(mut self, amount: u32) -> Self {
        self.balance += double(amount) / 2;
        self
    }

    #[green::green]
    fn close(self) -> u32 {
        self.balance
    }
}

#[green::green]
fn patterns((a, b): (u32, u32), mut c: u32, _: u32, #[allow(unused_variables)] unused: u32) -> u32 {
    c += double(1);
    a + b + c
}

#[green::test]
fn by_value_receivers_and_argument_patterns() {
    let account = Account { balance: 1 }.deposit(2);
    assert_eq!(account.close(), 3);
    assert_eq!(patterns((1, 2), 3, 4, 5), 8);
}

#[green::green(await_all)]
fn awaits_foreign_futures() -> u32 {
    tokio::time::sleep(Duration::from_millis(1));
    double(1)
}

#[green::green(sync(double))]
fn keeps_double() -> u32 {
    let work = double(2);
    work.await
}

#[green::green(boxed)]
fn boxed_countdown(n: u32) -> u32 {
    if n == 0 {
        0
    } else {
        1 + boxed_countdown(n - 1)
    }
}

#[green::test]
fn attribute_arguments() {
    assert_eq!(awaits_foreign_futures(), 2);
    assert_eq!(keeps_double(), 4);
    assert_eq!(boxed_countdown(5), 5);
}

#[green::test]
fn green_closures_and_nowait_attributes() {
    let offset = 1;
    let add = #[green::green]
    move |x: u32| double(x) + offset;
    assert_eq!(add(2), 5);
    #[nowait]
    let work = double(3);
    assert_eq!(green::spawn(move || work).join(), Ok(6));
}
