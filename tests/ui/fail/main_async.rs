#[green::main]
async fn main() {
    println!("hello");
}
