// Blocking APIs of well-known crates inside a green body, each naming what to
// use instead. (Stand-in modules spell the crates' paths.)
mod reqwest {
    pub mod blocking {
        pub fn get(_url: &str) {}
        pub struct Client;
        impl Client {
            pub fn new() {}
        }
    }
}
mod ureq {
    pub fn get(_url: &str) {}
}
mod postgres {
    pub struct Client;
    impl Client {
        pub fn connect(_params: &str) {}
    }
}
mod tungstenite {
    pub fn connect(_url: &str) {}
    pub fn accept(_stream: ()) {}
}
mod redis {
    pub struct Client;
    impl Client {
        pub fn get_connection() {}
    }
}

#[green::green]
fn fetch() {
    reqwest::blocking::get("http://127.0.0.1/");
    reqwest::blocking::Client::new();
    ureq::get("http://127.0.0.1/");
    postgres::Client::connect("host=127.0.0.1");
    tungstenite::connect("ws://127.0.0.1/");
    tungstenite::accept(());
    redis::Client::get_connection();
}

#[green::green]
fn imports() {
    use reqwest::blocking::*;
    get("http://127.0.0.1/");
}

fn main() {}
