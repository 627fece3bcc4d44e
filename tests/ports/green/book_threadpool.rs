//! The Rust book's multithreaded web server: a `ThreadPool` of workers fed
//! `Job`s through a channel, shut down gracefully in `Drop`.

use green::compat::io::{BufRead, BufReader, Read, Write};
use green::compat::net::{SocketAddr, TcpListener, TcpStream};
use green::compat::sync::atomic::{AtomicUsize, Ordering};
use green::compat::sync::{Arc, Mutex, mpsc};
use green::compat::thread;
use green::compat::time::Duration;

pub struct ThreadPool {
    workers: Vec<Worker>,
    sender: Option<mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() -> green::BoxGreen<'static, ()> + Send + 'static>;

impl ThreadPool {
    /// Create a new ThreadPool.
    ///
    /// # Panics
    ///
    /// The `new` function will panic if the size is zero.
    #[green::green]
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0);

        let (sender, receiver) = mpsc::channel();
        let receiver = Arc::new(Mutex::new(receiver));
        let mut workers = Vec::with_capacity(size);
        for id in 0..size {
            workers.push(Worker::new(id, Arc::clone(&receiver)));
        }

        ThreadPool {
            workers,
            sender: Some(sender),
        }
    }

    pub fn execute<F>(&self, f: F)
    where
        F: FnOnce() -> green::BoxGreen<'static, ()> + Send + 'static,
    {
        let job = Box::new(f);
        self.sender.as_ref().unwrap().send(job).unwrap();
    }
}

impl ThreadPool {
    #[green::green]
    fn shutdown(mut self) {
        drop(self.sender.take());

        for worker in &mut self.workers {
            println!("Shutting down worker {}", worker.id);

            if let Some(thread) = worker.thread.take() {
                thread.join().unwrap();
            }
        }
    }
}

struct Worker {
    id: usize,
    thread: Option<thread::JoinHandle<()>>,
}

impl Worker {
    #[green::green]
    fn new(id: usize, receiver: Arc<Mutex<mpsc::Receiver<Job>>>) -> Worker {
        let thread = thread::spawn(move || {
            loop {
                let message = receiver.lock().unwrap().recv();

                match message {
                    Ok(job) => {
                        job();
                    }
                    Err(_) => {
                        break;
                    }
                }
            }
        });

        Worker {
            id,
            thread: Some(thread),
        }
    }
}

static SERVED: AtomicUsize = AtomicUsize::new(0);

#[green::green]
fn handle_connection(mut stream: TcpStream) {
    let buf_reader = BufReader::new(&stream);
    let request_line = buf_reader.lines().next().unwrap().unwrap();

    let (status_line, contents) = match &request_line[..] {
        "GET / HTTP/1.1" => ("HTTP/1.1 200 OK", "<p>Hi from Rust</p>"),
        "GET /sleep HTTP/1.1" => {
            thread::sleep(Duration::from_millis(50));
            ("HTTP/1.1 200 OK", "<p>Hi from Rust</p>")
        }
        _ => (
            "HTTP/1.1 404 NOT FOUND",
            "<p>Sorry, I don't know what you asked for.</p>",
        ),
    };

    let length = contents.len();
    let response = format!("{status_line}\r\nContent-Length: {length}\r\n\r\n{contents}");
    stream.write_all(response.as_bytes()).unwrap();
    SERVED.fetch_add(1, Ordering::SeqCst);
}

#[green::green]
fn get(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    format!("{path}: {}", response.lines().next().unwrap())
}

#[green::main]
fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let paths = ["/sleep", "/", "/sleep", "/nope", "/"];

    let clients: Vec<_> = paths
        .iter()
        .map(|&path| thread::spawn(move || get(addr, path)))
        .collect();

    let pool = ThreadPool::new(4);

    for stream in listener.incoming().take(paths.len()) {
        let stream = stream.unwrap();

        pool.execute(move || handle_connection(stream).boxed());
    }

    let mut replies = Vec::new();
    for client in clients {
        replies.push(client.join().unwrap());
    }
    replies.sort();
    for reply in &replies {
        println!("{reply}");
    }

    pool.shutdown();
    println!("served {} requests", SERVED.load(Ordering::SeqCst));
}
