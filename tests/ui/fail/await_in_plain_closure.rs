//! `.await` in a plain closure of a green body: the closure is plain code.
#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn doubled(items: Vec<u32>) -> Vec<u32> {
    items.iter().map(|x| double(*x).await).collect()
}

fn main() {}
