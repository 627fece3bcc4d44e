#[green::green]
struct Server {
    port: u16,
}

fn main() {}
