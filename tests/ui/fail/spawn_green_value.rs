#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn spawner() -> u32 {
    let task = green::spawn(double(21));
    task.join().unwrap()
}

fn main() {}
