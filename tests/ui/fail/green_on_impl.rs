struct Server;

#[green::green]
impl Server {
    fn serve(&self) {}
}

fn main() {}
