//! A plain closure is not a green body: a green call in it is green work,
//! which `collect`, `sum` and `product` in the green body await, item by
//! item.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn doubled(items: Vec<u32>) -> Vec<u32> {
    let out: Vec<u32> = items.iter().map(|x| double(*x)).collect();
    let again = items.iter().map(|x| double(*x)).collect::<Vec<_>>();
    assert_eq!(out, again);
    let total: u32 = items.iter().map(|x| double(*x)).sum();
    assert_eq!(total, out.iter().sum::<u32>());
    out
}

#[green::main]
fn main() {
    assert_eq!(doubled(vec![1, 2, 3]), [2, 4, 6]);
}
