#[green::green]
fn double(x: u32) -> u32 {
    x * 2
}

#[green::green]
fn closures() -> u32 {
    let add = #[green::green]
    async move |x: u32| double(x);
    add(1).await
}

fn main() {}
