//! What green says when a program would hang: the run info of a healthy hub,
//! then the deadlock report (gevent's LoopExit) of one where every task
//! waits on another.
//!
//! `cargo run --example deadlock` (it ends with the report's panic).

use green::Queue;

/// Doubles every request into `replies`.
#[green::green]
fn serve(requests: Queue<u32>, replies: Queue<u32>) {
    while let Ok(n) = requests.get() {
        replies.put(n * 2).unwrap();
    }
}

#[green::main]
fn main() {
    let (requests, replies) = (Queue::new(), Queue::new());
    let server = {
        let (requests, replies) = (requests.clone(), replies.clone());
        green::spawn(move || serve(requests, replies))
    };
    server.set_name("server");
    let ticker = green::spawn(|| green::sleep(std::time::Duration::from_millis(50)));
    ticker.set_name("ticker");
    green::idle();
    green::print_run_info();

    requests.put(21).unwrap();
    println!("reply: {:?}", replies.get());
    // The bug: a second reply, but no second request. Once the ticker is
    // done, nothing on the hub can ever put into `replies`.
    println!("reply: {:?}", replies.get());
}
