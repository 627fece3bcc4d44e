//! UDP ping/pong between two sockets on loopback.

use green::compat::net::UdpSocket;
use green::compat::thread;
use green::compat::time::Duration;

#[green::main]
fn main() -> std::io::Result<()> {
    let server = UdpSocket::bind("127.0.0.1:0")?;
    let server_addr = server.local_addr()?;

    let responder = thread::spawn(move || -> std::io::Result<usize> {
        let mut buf = [0u8; 128];
        let mut answered = 0;
        loop {
            let (n, peer) = server.recv_from(&mut buf)?;
            let text = String::from_utf8_lossy(&buf[..n]).to_string();
            if text == "bye" {
                return Ok(answered);
            }
            let reply = text.replace("ping", "pong");
            server.send_to(reply.as_bytes(), peer)?;
            answered += 1;
        }
    });

    let client = UdpSocket::bind("127.0.0.1:0")?;
    client.set_read_timeout(Some(Duration::from_secs(2)))?;
    client.connect(server_addr)?;
    let mut buf = [0u8; 128];
    for i in 0..5 {
        client.send(format!("ping {i}").as_bytes())?;
        let n = client.recv(&mut buf)?;
        println!("{}", std::str::from_utf8(&buf[..n]).unwrap());
    }
    client.send(b"bye")?;
    println!("server answered {}", responder.join().unwrap()?);
    Ok(())
}
