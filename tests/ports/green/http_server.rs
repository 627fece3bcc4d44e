//! A thread-per-connection HTTP server, with its own client threads.

use green::compat::io::{BufRead, BufReader, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};
use green::compat::thread;

#[green::green]
fn handle_connection(mut stream: TcpStream) {
    let buf_reader = BufReader::new(&stream);
    let http_request: Vec<_> = buf_reader
        .lines()
        .map(|result| result.unwrap())
        .take_while(|line| !line.is_empty())
        .collect();

    let request_line = &http_request[0];
    let (status_line, body) = if request_line == "GET / HTTP/1.1" {
        ("HTTP/1.1 200 OK", "<h1>Hello!</h1>".to_string())
    } else if request_line.starts_with("GET /echo/") {
        let word = request_line
            .split(' ')
            .nth(1)
            .unwrap()
            .trim_start_matches("/echo/");
        (
            "HTTP/1.1 200 OK",
            format!("echo {word}, {} headers", http_request.len() - 1),
        )
    } else {
        ("HTTP/1.1 404 NOT FOUND", "<h1>Oops!</h1>".to_string())
    };
    let length = body.len();
    let response = format!("{status_line}\r\nContent-Length: {length}\r\n\r\n{body}");
    stream.write_all(response.as_bytes()).unwrap();
}

#[green::green]
fn fetch(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ports\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or("").to_string();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    format!("{path} -> {status} | {body}")
}

#[green::main]
fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let paths = ["/", "/echo/green", "/missing", "/echo/threads"];

    let clients: Vec<_> = paths
        .iter()
        .map(|&path| thread::spawn(move || fetch(addr, path)))
        .collect();

    let mut handlers = Vec::new();
    for stream in listener.incoming().take(paths.len()) {
        let stream = stream.unwrap();
        handlers.push(thread::spawn(|| {
            handle_connection(stream);
        }));
    }

    let mut lines = Vec::new();
    for client in clients {
        lines.push(client.join().unwrap());
    }
    for h in handlers {
        h.join().unwrap();
    }
    lines.sort();
    for line in lines {
        println!("{line}");
    }
}
