//! A plain closure is not a green body: a green call in it is not awaited,
//! so `map(|x| double(x))` yields green work, not values.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn doubled(items: Vec<u32>) -> Vec<u32> {
    let out: Vec<u32> = items.iter().map(|x| double(*x)).collect();
    out
}

fn main() {}
