//! `BufReader`: a buffer in front of a reader.

use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::io;

use tokio::io::{AsyncBufRead, AsyncRead, AsyncSeek, ReadBuf};

use super::tokio_bridge::AsTokio;
use super::{BufRead, Read};

/// Green version of [`std::io::BufReader`]: reads a reader in large
/// chunks and serves small reads, lines and delimited pieces from its
/// buffer.
///
/// It implements [`Read`](super::Read) and [`BufRead`](super::BufRead)
/// over any compat reader, so [`lines`](super::BufRead::lines) and
/// [`read_line`](super::BufRead::read_line) work on all of them.
/// The default buffer holds 8 KiB, as std's.
///
/// ```
/// use green::compat::io::{BufRead, BufReader};
/// use green::compat::net::{TcpListener, TcpStream};
/// use green::compat::io::Write;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0")?;
///     let mut client = TcpStream::connect(listener.local_addr()?)?;
///     let (server, _) = listener.accept()?;
///     client.write_all(b"GET / HTTP/1.0\r\n\r\n")?;
///     let mut request = BufReader::new(server);
///     let mut first = String::new();
///     request.read_line(&mut first)?;
///     assert_eq!(first, "GET / HTTP/1.0\r\n");
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct BufReader<R> {
    inner: tokio::io::BufReader<AsTokio<R>>,
    // Made with a capacity of 0, which tokio refuses: reads go straight
    // to the reader and `fill_buf` gives an empty slice, as std's.
    unbuffered: bool,
}

impl<R: Read> BufReader<R> {
    /// A reader with an 8 KiB buffer in front of `inner`. As
    /// [`std::io::BufReader::new`].
    ///
    /// ```
    /// use green::compat::io::BufReader;
    ///
    /// let reader = BufReader::new(&b"data"[..]);
    /// assert!(reader.buffer().is_empty());
    /// ```
    pub fn new(inner: R) -> Self {
        BufReader {
            inner: tokio::io::BufReader::new(AsTokio(inner)),
            unbuffered: false,
        }
    }

    /// A reader with a buffer of `capacity` bytes in front of `inner`. As
    /// [`std::io::BufReader::with_capacity`]; as there, a capacity of 0
    /// buffers nothing: reads go straight to `inner` and
    /// [`fill_buf`](super::BufRead::fill_buf) gives an empty slice.
    ///
    /// ```
    /// use green::compat::io::{BufRead, BufReader, Read};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut reader = BufReader::with_capacity(2, &b"abcd"[..]);
    ///     assert_eq!(reader.fill_buf()?, b"ab");
    ///
    ///     let mut unbuffered = BufReader::with_capacity(0, &b"abcd"[..]);
    ///     assert_eq!(unbuffered.fill_buf()?, b"");
    ///     let mut two = [0; 2];
    ///     assert_eq!(unbuffered.read(&mut two)?, 2);
    ///     Ok(())
    /// }
    /// ```
    pub fn with_capacity(capacity: usize, inner: R) -> Self {
        BufReader {
            inner: tokio::io::BufReader::with_capacity(capacity.max(1), AsTokio(inner)),
            unbuffered: capacity == 0,
        }
    }

    /// The reader inside. As [`std::io::BufReader::get_ref`].
    ///
    /// ```
    /// use green::compat::io::BufReader;
    ///
    /// let reader = BufReader::new(&b"data"[..]);
    /// assert_eq!(*reader.get_ref(), b"data");
    /// ```
    pub fn get_ref(&self) -> &R {
        &self.inner.get_ref().0
    }

    /// The reader inside, mutably; reading from it directly skips what is
    /// buffered. As [`std::io::BufReader::get_mut`].
    ///
    /// ```
    /// use green::compat::io::{BufReader, Cursor};
    ///
    /// let mut reader = BufReader::new(Cursor::new(b"data"));
    /// reader.get_mut().set_position(2);
    /// assert_eq!(reader.get_ref().position(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner.get_mut().0
    }

    /// The bytes buffered and not yet read. As
    /// [`std::io::BufReader::buffer`].
    ///
    /// ```
    /// use green::compat::io::{BufRead, BufReader};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut reader = BufReader::new(&b"abc"[..]);
    ///     reader.fill_buf()?;
    ///     reader.consume(1);
    ///     assert_eq!(reader.buffer(), b"bc");
    ///     Ok(())
    /// }
    /// ```
    pub fn buffer(&self) -> &[u8] {
        self.inner.buffer()
    }

    /// Gives back the reader inside; what was buffered is lost. As
    /// [`std::io::BufReader::into_inner`].
    ///
    /// ```
    /// use green::compat::io::BufReader;
    ///
    /// let reader = BufReader::new(&b"data"[..]);
    /// assert_eq!(reader.into_inner(), b"data");
    /// ```
    pub fn into_inner(self) -> R {
        self.inner.into_inner().0
    }
}

impl<R: Read> Read for BufReader<R> {
    #[inline]
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if self.unbuffered {
            return self.get_mut().poll_read(cx, buf);
        }
        let mut buf = ReadBuf::new(buf);
        ready!(Pin::new(&mut self.inner).poll_read(cx, &mut buf))?;
        Poll::Ready(Ok(buf.filled().len()))
    }
}

impl<R: Read> BufRead for BufReader<R> {
    #[inline]
    fn poll_fill_buf(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        if self.unbuffered {
            return Poll::Ready(Ok(&[]));
        }
        Pin::new(&mut self.inner).poll_fill_buf(cx)
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        Pin::new(&mut self.inner).consume(amt);
    }
}

impl<R: Read + AsyncSeek + Unpin> AsyncSeek for BufReader<R> {
    #[inline]
    fn start_seek(self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        Pin::new(&mut self.get_mut().inner).start_seek(position)
    }

    #[inline]
    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(&mut self.get_mut().inner).poll_complete(cx)
    }
}
