//! compat's `Read`, `Write` and `BufRead` as std's are: implemented by a
//! user's own types (one poll method each), and used as trait objects,
//! `Box<dyn Read>` and `&mut dyn Write`, with the same calls.

use std::task::{Context, Poll};

use green::compat::fs::{self, File};
use green::compat::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use green::compat::net::{TcpListener, TcpStream};

/// A reader of its own: the lines `0\n` to `{count - 1}\n`, produced a few
/// bytes per read, and pending (woken at once) every other read, as a
/// reader that waits for its bytes is.
struct Counter {
    next: u32,
    count: u32,
    pending: Vec<u8>,
    wait: bool,
}

impl Counter {
    fn new(count: u32) -> Self {
        Counter {
            next: 0,
            count,
            pending: Vec::new(),
            wait: false,
        }
    }
}

impl Read for Counter {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.wait = !self.wait;
        if self.wait {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if self.pending.is_empty() && self.next < self.count {
            self.pending = format!("{}\n", self.next).into_bytes();
            self.next += 1;
        }
        let n = buf.len().min(self.pending.len()).min(3);
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Poll::Ready(Ok(n))
    }
}

/// A writer of its own: keeps what it is given, at most 5 bytes a write,
/// and counts its flushes.
#[derive(Default)]
struct Recorder {
    written: Vec<u8>,
    flushes: usize,
}

impl Write for Recorder {
    fn poll_write(&mut self, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let n = buf.len().min(5);
        self.written.extend_from_slice(&buf[..n]);
        Poll::Ready(Ok(n))
    }

    fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.flushes += 1;
        Poll::Ready(Ok(()))
    }
}

#[green::green]
fn sum_of_lines<R: BufRead>(reader: R) -> io::Result<u32> {
    let mut sum = 0;
    for line in reader.lines() {
        sum += line?.parse::<u32>().unwrap();
    }
    Ok(sum)
}

#[green::test]
fn a_user_reader_through_buf_reader_and_lines() -> io::Result<()> {
    assert_eq!(sum_of_lines(BufReader::new(Counter::new(100)))?, 4950);
    // Unbuffered and tiny buffers too, and the other green methods.
    assert_eq!(
        sum_of_lines(BufReader::with_capacity(1, Counter::new(20)))?,
        190
    );
    let mut all = String::new();
    Counter::new(3).read_to_string(&mut all)?;
    assert_eq!(all, "0\n1\n2\n");
    let mut exact = [0u8; 4];
    Counter::new(3).read_exact(&mut exact)?;
    assert_eq!(&exact, b"0\n1\n");
    let mut taken = Vec::new();
    Counter::new(10).take(5).read_to_end(&mut taken)?;
    assert_eq!(taken, b"0\n1\n2");
    Ok(())
}

/// The source a program picks at run time, as std programs pick theirs.
#[green::green]
fn open_source(
    name: &str,
    path: &std::path::Path,
    addr: std::net::SocketAddr,
) -> io::Result<Box<dyn Read>> {
    Ok(match name {
        "file" => Box::new(File::open(path)?),
        _ => Box::new(TcpStream::connect(addr)?),
    })
}

#[green::green]
fn read_all(reader: &mut dyn Read) -> io::Result<String> {
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    Ok(text)
}

#[green::test]
fn a_boxed_reader_chosen_at_run_time_reads_a_file_or_a_socket() -> io::Result<()> {
    let dir = std::env::temp_dir().join(format!("green-io-traits-{}", std::process::id()));
    fs::create_dir_all(&dir)?;
    let path = dir.join("source.txt");
    fs::write(&path, "from the file")?;

    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = green::spawn(move || async move {
        let (mut stream, _) = listener.accept().await?;
        stream.write_all(b"from the socket").await
    });

    for (name, expected) in [("file", "from the file"), ("tcp", "from the socket")] {
        let mut source: Box<dyn Read> = open_source(name, &path, addr)?;
        let mut first = [0u8; 5];
        source.read_exact(&mut first)?;
        assert_eq!(&first, b"from ");
        // The box, and a `&mut dyn Read` borrowed from it, read the rest.
        let rest = read_all(&mut *source)?;
        assert_eq!(format!("from {rest}"), expected);
    }
    server.join().unwrap()?;

    // Boxed readers chain, take and buffer as std's.
    let boxed: Box<dyn Read + Send> = Box::new(&b"one\ntwo\n"[..]);
    let mut lines = Vec::new();
    for line in BufReader::new(boxed).lines() {
        lines.push(line?);
    }
    assert_eq!(lines, ["one", "two"]);
    fs::remove_dir_all(&dir)
}

#[green::green]
fn report(out: &mut dyn Write, name: &str, count: usize) -> io::Result<()> {
    write!(out, "{name}: ")?;
    writeln!(out, "{count} items")?;
    out.write_all(b"done\n")?;
    out.flush()
}

#[green::test]
fn a_user_writer_behind_dyn_write_takes_write_macros() -> io::Result<()> {
    let mut recorder = Recorder::default();
    report(&mut recorder, "apples", 12)?;
    assert_eq!(recorder.written, b"apples: 12 items\ndone\n");
    assert_eq!(recorder.flushes, 1);

    // Boxed, buffered and copied into, as std's writers are.
    let mut boxed: Box<dyn Write> = Box::new(BufWriter::new(Recorder::default()));
    report(&mut *boxed, "pears", 3)?;
    let mut copied = Recorder::default();
    let copied_bytes = io::copy(&mut Counter::new(4), &mut copied as &mut dyn Write)?;
    assert_eq!(copied_bytes, 8);
    assert_eq!(copied.written, b"0\n1\n2\n3\n");
    Ok(())
}
