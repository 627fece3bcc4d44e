//! Nothing inside a plain closure is awaited: a green call there stays a value.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn closures() -> u32 {
    let plain: Vec<u32> = (1..4).map(|x| x + 1).collect();
    // Inside the closure, `double(x)` is green work, not awaited: `collect`
    // in the green body awaits each item.
    let values: Vec<u32> = (1..4).map(|x| double(x)).collect();
    assert_eq!(values, [2, 4, 6]);
    // Under `nowait!` the works stay values.
    let works: Vec<_> = green::nowait!((1..4).map(|x| double(x)).collect());
    let mut total = 0;
    for work in works {
        total += work.await;
    }
    let later = || double(50);
    let task = green::spawn(later);
    total + plain.iter().sum::<u32>() + task.join().unwrap()
}

#[green::main]
fn main() {
    assert_eq!(closures(), 12 + 9 + 100);
}
