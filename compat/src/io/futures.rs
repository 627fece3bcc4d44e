//! The work of the green methods of [`Read`], [`Write`] and [`BufRead`]:
//! one future type a method, named (not `impl Future`) so that the traits
//! stay dyn-compatible, and polling the reader or writer through
//! `&mut dyn` (a vtable call per poll, no allocation).
//!
//! A `#[green]` body awaits them by itself; async code `.await`s them.
//!
//! ```
//! use green::compat::io::{futures::ReadExact, Read};
//!
//! green::run(async {
//!     let mut input: &[u8] = b"abc";
//!     let mut buf = [0u8; 3];
//!     let work: ReadExact<'_> = input.read_exact(&mut buf).into_inner();
//!     work.await.unwrap();
//!     assert_eq!(&buf, b"abc");
//! });
//! ```

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker, ready};
use std::borrow::Cow;
use std::io;

use super::{BufRead, Read, Write};

/// Whether a failed operation is to be retried, as std's loops do.
fn interrupted(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::Interrupted
}

/// Declares a future struct with a `Debug` that shows only its name.
macro_rules! future {
    ($(#[$doc:meta])* $name:ident { $($field:ident: $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        ///
        /// See the [module's example](self).
        #[must_use = "futures do nothing unless awaited"]
        pub struct $name<'a> {
            $($field: $ty,)*
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).finish_non_exhaustive()
            }
        }
    };
}

future! {
    /// The work of [`Read::read`].
    ReadSome { reader: &'a mut dyn Read, buf: &'a mut [u8] }
}

impl<'a> ReadSome<'a> {
    pub(super) fn new(reader: &'a mut dyn Read, buf: &'a mut [u8]) -> Self {
        ReadSome { reader, buf }
    }
}

impl Future for ReadSome<'_> {
    type Output = io::Result<usize>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.reader.poll_read(cx, this.buf)
    }
}

future! {
    /// The work of [`Read::read_exact`].
    ReadExact { reader: &'a mut dyn Read, buf: &'a mut [u8] }
}

impl<'a> ReadExact<'a> {
    pub(super) fn new(reader: &'a mut dyn Read, buf: &'a mut [u8]) -> Self {
        ReadExact { reader, buf }
    }
}

impl Future for ReadExact<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while !this.buf.is_empty() {
            match ready!(this.reader.poll_read(cx, this.buf)) {
                Ok(0) => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "failed to fill whole buffer",
                    )));
                }
                Ok(n) => this.buf = &mut core::mem::take(&mut this.buf)[n..],
                Err(error) if interrupted(&error) => {}
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
        Poll::Ready(Ok(()))
    }
}

/// The most one read of `read_to_end` asks for: the room it offers is
/// zeroed first, as no unsafe code may offer it uninitialized.
const READ_TO_END_CHUNK: usize = 64 * 1024;

/// Appends to `buf` until the end of the stream, `read` counting what was
/// appended across polls; gives the count. `buf` never holds more than
/// what was read, even when pending.
fn poll_read_to_end(
    reader: &mut dyn Read,
    cx: &mut Context<'_>,
    buf: &mut Vec<u8>,
    read: &mut usize,
) -> Poll<io::Result<usize>> {
    loop {
        if buf.len() == buf.capacity() {
            buf.reserve(32);
        }
        let filled = buf.len();
        let room = (buf.capacity() - filled).min(READ_TO_END_CHUNK);
        buf.resize(filled + room, 0);
        let result = reader.poll_read(cx, &mut buf[filled..]);
        let n = match &result {
            Poll::Ready(Ok(n)) => *n,
            _ => 0,
        };
        buf.truncate(filled + n);
        *read += n;
        match result {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(0)) => return Poll::Ready(Ok(core::mem::take(read))),
            Poll::Ready(Ok(_)) => {}
            Poll::Ready(Err(error)) if interrupted(&error) => {}
            Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
        }
    }
}

/// Appends `bytes` to `buf` if they are UTF-8; an
/// [`ErrorKind::InvalidData`](io::ErrorKind::InvalidData) error, and `buf`
/// unchanged, if not.
fn append_utf8(buf: &mut String, bytes: Vec<u8>) -> io::Result<()> {
    let text = String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })?;
    if buf.is_empty() {
        *buf = text;
    } else {
        buf.push_str(&text);
    }
    Ok(())
}

future! {
    /// The work of [`Read::read_to_end`].
    ReadToEnd { reader: &'a mut dyn Read, buf: &'a mut Vec<u8>, read: usize }
}

impl<'a> ReadToEnd<'a> {
    pub(super) fn new(reader: &'a mut dyn Read, buf: &'a mut Vec<u8>) -> Self {
        ReadToEnd {
            reader,
            buf,
            read: 0,
        }
    }
}

impl Future for ReadToEnd<'_> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        poll_read_to_end(this.reader, cx, this.buf, &mut this.read)
    }
}

future! {
    /// The work of [`Read::read_to_string`].
    ReadToString {
        reader: &'a mut dyn Read,
        buf: &'a mut String,
        bytes: Vec<u8>,
        read: usize,
    }
}

impl<'a> ReadToString<'a> {
    pub(super) fn new(reader: &'a mut dyn Read, buf: &'a mut String) -> Self {
        ReadToString {
            reader,
            buf,
            bytes: Vec::new(),
            read: 0,
        }
    }
}

impl Future for ReadToString<'_> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let read = ready!(poll_read_to_end(
            this.reader,
            cx,
            &mut this.bytes,
            &mut this.read
        ));
        append_utf8(this.buf, core::mem::take(&mut this.bytes))?;
        Poll::Ready(read)
    }
}

future! {
    /// The work of [`Write::write`].
    WriteSome { writer: &'a mut dyn Write, buf: &'a [u8] }
}

impl<'a> WriteSome<'a> {
    pub(super) fn new(writer: &'a mut dyn Write, buf: &'a [u8]) -> Self {
        WriteSome { writer, buf }
    }
}

impl Future for WriteSome<'_> {
    type Output = io::Result<usize>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.writer.poll_write(cx, this.buf)
    }
}

/// Writes `buf[*written..]` until all of it is written.
fn poll_write_all(
    writer: &mut dyn Write,
    cx: &mut Context<'_>,
    buf: &[u8],
    written: &mut usize,
) -> Poll<io::Result<()>> {
    while *written < buf.len() {
        match ready!(writer.poll_write(cx, &buf[*written..])) {
            Ok(0) => {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "failed to write whole buffer",
                )));
            }
            Ok(n) => *written += n,
            Err(error) if interrupted(&error) => {}
            Err(error) => return Poll::Ready(Err(error)),
        }
    }
    Poll::Ready(Ok(()))
}

future! {
    /// The work of [`Write::write_all`].
    WriteAll { writer: &'a mut dyn Write, buf: &'a [u8], written: usize }
}

impl<'a> WriteAll<'a> {
    pub(super) fn new(writer: &'a mut dyn Write, buf: &'a [u8]) -> Self {
        WriteAll {
            writer,
            buf,
            written: 0,
        }
    }
}

impl Future for WriteAll<'_> {
    type Output = io::Result<()>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        poll_write_all(this.writer, cx, this.buf, &mut this.written)
    }
}

future! {
    /// The work of [`Write::flush`].
    Flush { writer: &'a mut dyn Write }
}

impl<'a> Flush<'a> {
    pub(super) fn new(writer: &'a mut dyn Write) -> Self {
        Flush { writer }
    }
}

impl Future for Flush<'_> {
    type Output = io::Result<()>;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().writer.poll_flush(cx)
    }
}

future! {
    /// The work of [`Write::write_fmt`]: the text, formatted at once, then
    /// written.
    WriteFmt {
        writer: &'a mut dyn Write,
        text: io::Result<Cow<'static, str>>,
        written: usize,
    }
}

impl<'a> WriteFmt<'a> {
    pub(super) fn new(writer: &'a mut dyn Write, args: fmt::Arguments<'_>) -> Self {
        WriteFmt {
            writer,
            text: format_eagerly(args),
            written: 0,
        }
    }
}

impl Future for WriteFmt<'_> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let text = match &this.text {
            Ok(text) => text,
            // The formatting failed: give its error, once.
            Err(_) => {
                let failed = core::mem::replace(&mut this.text, Ok(Cow::Borrowed("")));
                return Poll::Ready(failed.map(drop));
            }
        };
        ready!(poll_write_all(
            this.writer,
            cx,
            text.as_bytes(),
            &mut this.written
        ))?;
        Poll::Ready(Ok(()))
    }
}

/// Formats `args` into an owned (or static) string.
fn format_eagerly(args: fmt::Arguments<'_>) -> io::Result<Cow<'static, str>> {
    if let Some(text) = args.as_str() {
        return Ok(Cow::Borrowed(text));
    }
    let mut text = String::new();
    match fmt::Write::write_fmt(&mut text, args) {
        Ok(()) => Ok(Cow::Owned(text)),
        Err(fmt::Error) => Err(io::Error::other("formatter error")),
    }
}

future! {
    /// The work of [`BufRead::fill_buf`].
    FillBuf { reader: Option<&'a mut dyn BufRead> }
}

impl<'a> FillBuf<'a> {
    pub(super) fn new(reader: &'a mut dyn BufRead) -> Self {
        FillBuf {
            reader: Some(reader),
        }
    }
}

impl<'a> Future for FillBuf<'a> {
    type Output = io::Result<&'a [u8]>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&'a [u8]>> {
        let this = self.get_mut();
        let reader = this
            .reader
            .as_mut()
            .expect("FillBuf polled after it was done");
        // Wait until the buffer holds bytes (or the stream ended), then take
        // them with a poll that is ready at once: without unsafe code, a
        // borrow cannot be given out of a poll that may be pending.
        let available = loop {
            match ready!(reader.poll_fill_buf(cx)) {
                Err(error) if interrupted(&error) => continue,
                result => break result.map(<[u8]>::len),
            }
        };
        let reader = this
            .reader
            .take()
            .expect("FillBuf polled after it was done");
        match available {
            Err(error) => Poll::Ready(Err(error)),
            Ok(0) => Poll::Ready(Ok(&[])),
            Ok(_) => match reader.poll_fill_buf(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(result) => Poll::Ready(result),
                Poll::Pending => Poll::Ready(Err(io::Error::other(
                    "poll_fill_buf gave bytes, then was pending",
                ))),
            },
        }
    }
}

/// Appends to `buf` up to and including `byte`, `read` counting what was
/// appended across polls; gives the count.
fn poll_read_until(
    reader: &mut dyn BufRead,
    cx: &mut Context<'_>,
    byte: u8,
    buf: &mut Vec<u8>,
    read: &mut usize,
) -> Poll<io::Result<usize>> {
    loop {
        let (found, used) = {
            let available = match ready!(reader.poll_fill_buf(cx)) {
                Ok(available) => available,
                Err(error) if interrupted(&error) => continue,
                Err(error) => return Poll::Ready(Err(error)),
            };
            match available.iter().position(|&b| b == byte) {
                Some(at) => {
                    buf.extend_from_slice(&available[..=at]);
                    (true, at + 1)
                }
                None => {
                    buf.extend_from_slice(available);
                    (false, available.len())
                }
            }
        };
        reader.consume(used);
        *read += used;
        if found || used == 0 {
            return Poll::Ready(Ok(core::mem::take(read)));
        }
    }
}

future! {
    /// The work of [`BufRead::read_until`].
    ReadUntil { reader: &'a mut dyn BufRead, byte: u8, buf: &'a mut Vec<u8>, read: usize }
}

impl<'a> ReadUntil<'a> {
    pub(super) fn new(reader: &'a mut dyn BufRead, byte: u8, buf: &'a mut Vec<u8>) -> Self {
        ReadUntil {
            reader,
            byte,
            buf,
            read: 0,
        }
    }
}

impl Future for ReadUntil<'_> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        poll_read_until(this.reader, cx, this.byte, this.buf, &mut this.read)
    }
}

future! {
    /// The work of [`BufRead::read_line`].
    ReadLine {
        reader: &'a mut dyn BufRead,
        buf: &'a mut String,
        bytes: Vec<u8>,
        read: usize,
    }
}

impl<'a> ReadLine<'a> {
    pub(super) fn new(reader: &'a mut dyn BufRead, buf: &'a mut String) -> Self {
        ReadLine {
            reader,
            buf,
            bytes: Vec::new(),
            read: 0,
        }
    }
}

impl Future for ReadLine<'_> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let read = ready!(poll_read_until(
            this.reader,
            cx,
            b'\n',
            &mut this.bytes,
            &mut this.read
        ));
        append_utf8(this.buf, core::mem::take(&mut this.bytes))?;
        Poll::Ready(read)
    }
}
