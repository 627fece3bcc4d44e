//! Standard input: `stdin`, `Stdin` and `StdinLock`.

use core::fmt;
use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::io;
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use green_runtime::Green;
use tokio::sync::oneshot;

use super::{BufRead, Lines, Read};

// Reading stdin can block for ever, so it happens on a thread of its own
// (detached: a process whose main work ended exits even if the thread is
// still waiting for a line). The thread reads only when a task asks, one
// chunk per request, through std's stdin, so what the process does not ask
// for stays in the pipe.

type Chunk = io::Result<Vec<u8>>;

/// The requests to the stdin reader thread; `None` if it could not start.
fn reader_thread() -> &'static Option<Mutex<mpsc::Sender<oneshot::Sender<Chunk>>>> {
    static READER: OnceLock<Option<Mutex<mpsc::Sender<oneshot::Sender<Chunk>>>>> = OnceLock::new();
    READER.get_or_init(|| {
        let (requests, incoming) = mpsc::channel::<oneshot::Sender<Chunk>>();
        let spawned = std::thread::Builder::new()
            .name("green-stdin".into())
            .spawn(move || {
                for reply in incoming {
                    let _ = reply.send(read_chunk());
                }
            });
        spawned.ok().map(|_| Mutex::new(requests))
    })
}

fn read_chunk() -> Chunk {
    let mut chunk = vec![0u8; 8 * 1024];
    loop {
        match io::Read::read(&mut io::stdin(), &mut chunk) {
            Ok(n) => {
                chunk.truncate(n);
                return Ok(chunk);
            }
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        }
    }
}

fn request_chunk() -> io::Result<oneshot::Receiver<Chunk>> {
    let unavailable = || io::Error::other("the stdin reader thread is not running");
    let requests = reader_thread().as_ref().ok_or_else(unavailable)?;
    let (reply, chunk) = oneshot::channel();
    let requests = requests
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    requests.send(reply).map_err(|_| unavailable())?;
    Ok(chunk)
}

/// The buffered input of one hub: bytes read and not yet consumed, and the
/// chunk asked for (kept if the asking task is killed, for the next reader).
#[derive(Default)]
struct InputBuffer {
    data: Vec<u8>,
    pos: usize,
    pending: Option<oneshot::Receiver<Chunk>>,
}

impl InputBuffer {
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        if self.pos >= self.data.len() {
            let pending = match &mut self.pending {
                Some(pending) => pending,
                None => self.pending.insert(request_chunk()?),
            };
            let chunk = ready!(Pin::new(pending).poll(cx));
            self.pending = None;
            match chunk {
                Ok(Ok(chunk)) => {
                    self.data = chunk;
                    self.pos = 0;
                }
                Ok(Err(error)) => return Poll::Ready(Err(error)),
                Err(_) => {
                    return Poll::Ready(Err(io::Error::other("the stdin reader thread stopped")));
                }
            }
        }
        Poll::Ready(Ok(&self.data[self.pos..]))
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.data.len());
    }
}

/// What every handle shares, as std's handles share one buffer: the buffer
/// behind a lock that tasks of any hub wait for without blocking their
/// thread (a `StdinLock` holds it across its reads).
type Shared = Arc<tokio::sync::Mutex<InputBuffer>>;

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(Shared::default)
}

/// Green version of [`std::io::Stdin`]: a handle to the standard input of
/// the process, made by [`stdin`].
///
/// Reads block the task, not the thread: the input is read by a helper
/// thread, only as much as asked for. Like std's, the handles (of every
/// hub) share one buffer and a lock, so that lines read by different tasks
/// never mix. It implements [`Read`](super::Read).
///
/// ```no_run
/// use green::compat::io;
///
/// #[green::main]
/// fn main() -> io::Result<()> {
///     let mut name = String::new();
///     io::stdin().read_line(&mut name)?;
///     println!("hello, {}", name.trim());
///     Ok(())
/// }
/// ```
pub struct Stdin {
    // The lock held during one `Read` call.
    reading: Option<StdinLock<'static>>,
}

/// Green version of [`std::io::stdin`]: a handle to the standard input.
///
/// ```no_run
/// use green::compat::io::{self, BufRead};
///
/// #[green::main]
/// fn main() -> io::Result<()> {
///     let mut total = 0;
///     for line in io::stdin().lines() {
///         total += line?.len();
///     }
///     println!("{total} characters");
///     Ok(())
/// }
/// ```
pub fn stdin() -> Stdin {
    Stdin { reading: None }
}

impl Stdin {
    /// Locks this handle's input for the caller: a reader that implements
    /// [`BufRead`](super::BufRead). As [`std::io::Stdin::lock`], except that
    /// waiting for the lock (when another task holds it) happens at the
    /// first read, which is green, so `lock` itself never blocks.
    ///
    /// ```
    /// use green::compat::io;
    ///
    /// let stdin = io::stdin();
    /// let locked = stdin.lock(); // nothing is read until asked
    /// drop(locked);
    /// ```
    pub fn lock(&self) -> StdinLock<'static> {
        StdinLock {
            state: LockState::Acquiring(Box::pin(shared().clone().lock_owned())),
            _lifetime: PhantomData,
        }
    }

    /// Reads one line, newline included, and appends it to `buf`; `Ok(0)`
    /// at the end of the input. Green. As [`std::io::Stdin::read_line`].
    ///
    /// ```no_run
    /// use green::compat::io;
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     let mut line = String::new();
    ///     while io::stdin().read_line(&mut line)? > 0 {
    ///         print!("{line}");
    ///         line.clear();
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn read_line<'a>(
        &self,
        buf: &'a mut String,
    ) -> Green<impl Future<Output = io::Result<usize>> + 'a> {
        let mut locked = self.lock();
        Green::new(async move { locked.read_line(buf).await })
    }

    /// A green iterator over the lines of the input, without their
    /// newlines. As [`std::io::Stdin::lines`].
    ///
    /// ```no_run
    /// use green::compat::io;
    ///
    /// #[green::main]
    /// fn main() -> io::Result<()> {
    ///     for line in io::stdin().lines() {
    ///         println!("{}", line?.to_uppercase());
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn lines(self) -> Lines<StdinLock<'static>> {
        self.lock().lines()
    }
}

impl Read for Stdin {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let reading = match &mut self.reading {
            Some(reading) => reading,
            None => self.reading.insert(stdin().lock()),
        };
        let result = ready!(reading.poll_read(cx, buf));
        self.reading = None; // as std, each read takes the lock and lets it go
        Poll::Ready(result)
    }
}

impl BufRead for StdinLock<'_> {
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let buffer = ready!(self.poll_buffer(cx));
        buffer.poll_fill(cx)
    }

    fn consume(&mut self, amt: usize) {
        if let LockState::Held(buffer) = &mut self.state {
            buffer.consume(amt);
        }
    }
}

impl fmt::Debug for Stdin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stdin").finish_non_exhaustive()
    }
}

/// The buffer guard, and how it is waited for: the wait is boxed (once per
/// lock) as the type of tokio's `lock_owned` future cannot be named.
enum LockState {
    Acquiring(Pin<Box<dyn Future<Output = Guard> + Send + Sync>>),
    Held(Guard),
}

type Guard = tokio::sync::OwnedMutexGuard<InputBuffer>;

/// Green version of [`std::io::StdinLock`]: the standard input, locked by
/// one task, made by [`Stdin::lock`]. It implements
/// [`Read`](super::Read) and [`BufRead`](super::BufRead); the lock is
/// released when it is dropped.
///
/// ```no_run
/// use green::compat::io::{self, BufRead};
///
/// #[green::main]
/// fn main() -> io::Result<()> {
///     let mut input = io::stdin().lock();
///     let mut first = String::new();
///     let mut second = String::new();
///     input.read_line(&mut first)?;
///     input.read_line(&mut second)?; // no other task reads in between
///     Ok(())
/// }
/// ```
pub struct StdinLock<'a> {
    state: LockState,
    _lifetime: PhantomData<&'a ()>,
}

impl StdinLock<'_> {
    fn poll_buffer(&mut self, cx: &mut Context<'_>) -> Poll<&mut InputBuffer> {
        if let LockState::Acquiring(acquiring) = &mut self.state {
            self.state = LockState::Held(ready!(acquiring.as_mut().poll(cx)));
        }
        match &mut self.state {
            LockState::Held(guard) => Poll::Ready(guard),
            LockState::Acquiring(_) => Poll::Pending,
        }
    }
}

impl Read for StdinLock<'_> {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let available = ready!(self.poll_fill_buf(cx))?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Poll::Ready(Ok(n))
    }
}

impl fmt::Debug for StdinLock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held = matches!(self.state, LockState::Held(_));
        f.debug_struct("StdinLock")
            .field("held", &held)
            .finish_non_exhaustive()
    }
}
