//! Telling HTTP/2 with prior knowledge (h2c) from HTTP/1.1 on a plaintext
//! connection: an h2c client opens with the 24-byte connection preface
//! (RFC 9113 §3.4), which no HTTP/1.1 request line starts with. The bytes
//! read to decide are given back to the protocol chosen by [`Prefixed`].

use core::pin::Pin;
use core::task::{Context, Poll};
use std::io;
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, ReadBuf};

/// What an HTTP/2 client sends first.
pub(crate) const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// The protocol a connection's first bytes ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Protocol {
    Http1,
    Http2,
}

/// Reads the first bytes of `stream` (waiting up to `idle` for the first,
/// then up to `head` for the rest of a preface) and decides. `None` if the
/// client closed, failed or said nothing in time.
pub(crate) async fn sniff<S>(
    mut stream: S,
    idle: Duration,
    head: Duration,
) -> Option<(Protocol, Prefixed<S>)>
where
    S: AsyncRead + Unpin,
{
    // One read usually holds a whole HTTP/1.1 head: hyper is then handed it
    // without a second system call.
    let mut seen = BytesMut::with_capacity(1024);
    let mut wait = idle;
    loop {
        match tokio::time::timeout(wait, stream.read_buf(&mut seen)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => return None,
            Ok(Ok(_)) => {}
        }
        let decided = decide(&seen);
        if let Some(protocol) = decided {
            return Some((protocol, Prefixed::new(seen.freeze(), stream)));
        }
        wait = head;
    }
}

/// `None` while `seen` is a proper prefix of the preface.
fn decide(seen: &[u8]) -> Option<Protocol> {
    let n = seen.len().min(PREFACE.len());
    if seen[..n] != PREFACE[..n] {
        Some(Protocol::Http1)
    } else if n == PREFACE.len() {
        Some(Protocol::Http2)
    } else {
        None
    }
}

/// A stream whose reads first give back `prefix` (the bytes read to decide).
#[derive(Debug)]
pub(crate) struct Prefixed<S> {
    prefix: Bytes,
    stream: S,
}

impl<S> Prefixed<S> {
    pub(crate) fn new(prefix: Bytes, stream: S) -> Prefixed<S> {
        Prefixed { prefix, stream }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.prefix.is_empty() {
            return Pin::new(&mut this.stream).poll_read(cx, buf);
        }
        let n = this.prefix.len().min(buf.remaining());
        buf.put_slice(&this.prefix[..n]);
        this.prefix.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preface_decides() {
        assert_eq!(decide(b"GET / HTTP/1.1\r\n"), Some(Protocol::Http1));
        assert_eq!(
            decide(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0"),
            Some(Protocol::Http2)
        );
        assert_eq!(decide(PREFACE), Some(Protocol::Http2));
        assert_eq!(
            decide(b"PRI * HT"),
            None,
            "a preface cut short waits for more"
        );
        assert_eq!(decide(b"PRI / HTTP/1.1"), Some(Protocol::Http1));
        assert_eq!(decide(b"P"), None);
        assert_eq!(decide(b"POST"), Some(Protocol::Http1));
    }

    #[test]
    fn the_prefix_is_read_first() {
        let stream: &[u8] = b" world";
        let mut prefixed = Prefixed::new(Bytes::from_static(b"hello"), stream);
        let mut text = String::new();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(prefixed.read_to_string(&mut text)).unwrap();
        assert_eq!(text, "hello world");
    }
}
