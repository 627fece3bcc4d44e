// Errors name compat's types and green's bounds by their public paths
// (`green::compat::net::TcpStream`), never by internal ones.
use green::compat::net::TcpStream;
use green::compat::sync::mpsc;

fn takes_std(_: std::net::TcpStream) {}

// A fn that forgot `#[green]`.
fn plain(rx: mpsc::Receiver<u32>, stream: TcpStream) -> u32 {
    takes_std(stream);
    rx.recv() + 1
}

fn main() {}
