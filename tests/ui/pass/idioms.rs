//! Everyday Rust inside a green body: borrows, temporaries, inference,
//! control flow and closures all compile and behave as in plain code.
use std::collections::HashMap;
use std::rc::Rc;

#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn evens(limit: u32) -> impl Iterator<Item = u32> {
    (0..limit).filter(|x| x % 2 == 0)
}

#[green::green]
fn first_even(values: &[u32]) -> Option<u32> {
    let found = values.iter().copied().find(|x| x % 2 == 0)?;
    Some(double(found))
}

struct Point {
    x: u32,
    y: u32,
    scale: fn(u32) -> u32,
}

#[green::green]
fn idioms() -> u32 {
    let mut v = Vec::new();
    v.push(v.len() as u32);
    v.push(double(v.len() as u32));
    let mut map = HashMap::new();
    map.insert("a", map.len());
    let mut text = String::new();
    text.push_str(&format!("{}", double(1)));
    let count = v.iter().filter(|x| **x > 0).count();
    let joined = ["a", "b"].join(",");
    let rc = Rc::new(5u32);
    let rc2 = Rc::clone(&rc);
    let boxed = Box::new(double(3));
    let biggest = u32::max(1, 2);
    let mut a = vec![1];
    let mut b = vec![2, 3];
    std::mem::swap(&mut a, &mut b);
    let taken = std::mem::take(&mut a);
    let stepped = (1..10).step_by(2).rev().collect::<Vec<_>>();
    let name: Option<String> = Some("abc".to_owned());
    let len = name.as_ref().map(|s| s.len()).unwrap_or(0);
    let err: Result<u32, String> = Err("x".into());
    let filtered = Some(3).filter(|x| *x > 1).map(|x| x + 1);
    let point = Point {
        x: double(1),
        y: 2,
        scale: |v| v * 10,
    };
    let scaled = (point.scale)(point.x + point.y);
    let add_one = |a: u32| a + 1;
    let mut total = add_one(1);
    for i in 0..v.len() {
        total += v[i];
    }
    while let Some(x) = b.pop() {
        total += x;
    }
    if let Some(x) = v.first() {
        total += *x;
    }
    let from_loop = loop {
        if total > 0 {
            break double(1);
        }
    };
    let pow = 5u32.pow(2);
    let chained = 12345u32.to_string().as_str().len();
    let borrowed = &double(4).to_string();
    let parts: Vec<&str> = "a,b".split(',').collect();
    let mut it = parts.iter();
    let head = it.next();
    let _ = double(0);
    drop(rc);
    let sum_evens: u32 = evens(7).sum();
    let result = match first_even(&[1, 3, 4]) {
        Some(x) => x,
        None => return 0,
    };
    assert_eq!(v, [0, 2]);
    assert_eq!(map["a"], 0);
    assert_eq!(text, "2");
    assert_eq!(
        (count, joined.as_str(), *rc2, *boxed, biggest),
        (1, "a,b", 5, 6, 2)
    );
    assert_eq!(
        (b.len(), taken, stepped),
        (0, vec![2, 3], vec![9, 7, 5, 3, 1])
    );
    assert_eq!(
        (len, err, filtered, scaled),
        (3, Err("x".to_owned()), Some(4), 40)
    );
    assert_eq!(
        (from_loop, pow, chained, borrowed.as_str()),
        (2, 25, 5, "8")
    );
    assert_eq!((head, sum_evens, result), (Some(&"a"), 12, 8));
    total
}

#[green::main]
fn main() {
    // add_one(1) + v[0] + v[1] + the popped 1 + v.first()
    assert_eq!(idioms(), 2 + 0 + 2 + 1 + 0);
}
