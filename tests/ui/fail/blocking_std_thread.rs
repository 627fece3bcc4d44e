// The rest of std's blocking thread and name-lookup surface, each naming its
// compat twin.
use std::time::Duration;

#[green::green]
fn coordinate() {
    std::thread::scope(|_| {});
    std::thread::park();
    std::thread::park_timeout(Duration::from_millis(1));
    std::thread::yield_now();
    let _ = std::thread::Builder::new();
    let _ = std::net::ToSocketAddrs::to_socket_addrs(&"localhost:80");
}

fn main() {}
