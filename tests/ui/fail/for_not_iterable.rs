#[green::green]
fn count(limit: u32) -> u32 {
    let mut total = 0;
    for n in limit {
        total += n;
    }
    total
}

fn main() {}
