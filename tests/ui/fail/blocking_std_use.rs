//! `use std::..` of a blocking item inside a green body names the
//! replacement to import instead.
#![allow(unused_imports)]

#[green::green]
fn imports() {
    use std::fs;
    use std::net::TcpStream;
    use std::sync::*;
    use std::sync::{Arc, Mutex, mpsc};
    use std::thread::sleep;
    // Plain items pass.
    use std::time::Duration;
    let _ = (Arc::new(1), Duration::ZERO);
}

fn main() {}
