//! The state one WebSocket connection keeps, whether one value owns it
//! ([`WebSocket`](crate::WebSocket)) or two halves share it
//! ([`ReadHalf`](crate::ReadHalf), [`WriteHalf`](crate::WriteHalf)), and the
//! green operations on it, written once for both.

use core::cell::RefCell;
use core::future::poll_fn;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::rc::Rc;

use futures_util::{Sink, Stream};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error, Message};

/// tokio-tungstenite's stream, and whether its end was already reported.
///
/// tokio-tungstenite ends its `Stream` (`None`) where tungstenite's `read`
/// returns `ConnectionClosed` once and `AlreadyClosed` afterwards; green's
/// `read` gives tungstenite's errors back, so a loop `while let Ok(msg) =
/// ws.read()` ends and a second read after the end says so.
pub(crate) struct Connection<S> {
    stream: WebSocketStream<S>,
    end_reported: bool,
    /// What the read that pushed out an answer found (see
    /// [`Connection::push_answer`]), for the next read.
    read_ahead: Option<Result<Message, Error>>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    pub(crate) fn new(stream: WebSocketStream<S>) -> Self {
        Connection {
            stream,
            end_reported: false,
            read_ahead: None,
        }
    }

    pub(crate) fn get_ref(&self) -> &S {
        self.stream.get_ref()
    }

    /// The next message; after a ping or a close, with its answer pushed
    /// out.
    fn poll_read(&mut self, cx: &mut Context<'_>) -> Poll<Result<Message, Error>> {
        if let Some(result) = self.read_ahead.take() {
            return Poll::Ready(result);
        }
        let result = core::task::ready!(self.poll_next_message(cx));
        if matches!(result, Ok(Message::Ping(_) | Message::Close(_))) {
            self.push_answer(cx);
        }
        Poll::Ready(result)
    }

    /// Writes out the pong or close reply tungstenite has just queued.
    ///
    /// tungstenite writes queued answers at the start of its next read, so
    /// this is one more read, polled with the reading task's waker: a
    /// flush through the `Sink` would register this task as the connection's
    /// writer and could leave a split writer, waiting on a full socket,
    /// asleep. What that read finds (usually nothing yet) is kept for the
    /// next `read`; if the socket is full, the answer goes out with the next
    /// read or send.
    fn push_answer(&mut self, cx: &mut Context<'_>) {
        if let Poll::Ready(result) = self.poll_next_message(cx) {
            self.read_ahead = Some(result);
        }
    }

    fn poll_next_message(&mut self, cx: &mut Context<'_>) -> Poll<Result<Message, Error>> {
        match Pin::new(&mut self.stream).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(result)) => Poll::Ready(result),
            Poll::Ready(None) if self.end_reported => Poll::Ready(Err(Error::AlreadyClosed)),
            Poll::Ready(None) => {
                self.end_reported = true;
                Poll::Ready(Err(Error::ConnectionClosed))
            }
        }
    }

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.stream).poll_ready(cx)
    }

    fn start_send(&mut self, message: Message) -> Result<(), Error> {
        Pin::new(&mut self.stream).start_send(message)
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }
}

/// Where the green operations find the connection: owned, or shared by the
/// two halves of a split.
pub(crate) trait Access<S> {
    /// Runs `f` on the connection. Never across an await: a shared
    /// connection is borrowed only for the length of one poll.
    fn with<R>(&mut self, f: impl FnOnce(&mut Connection<S>) -> R) -> R;
}

impl<S> Access<S> for Connection<S> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Connection<S>) -> R) -> R {
        f(self)
    }
}

impl<S> Access<S> for Rc<RefCell<Connection<S>>> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Connection<S>) -> R) -> R {
        // The borrow never fails: it lasts one call of `f`, which polls
        // tokio-tungstenite and never re-enters green code (both halves live
        // on one hub thread, and a poll does not poll another task).
        f(&mut self.borrow_mut())
    }
}

/// The next message. Pings and the peer's close are answered by
/// tungstenite; the answer is written out before this returns when the
/// socket takes it (else with the next read or send).
pub(crate) async fn read<S, A>(access: &mut A) -> Result<Message, Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
    A: Access<S>,
{
    poll_fn(|cx| access.with(|c| c.poll_read(cx))).await
}

/// Sends one message and flushes it to the socket.
pub(crate) async fn send<S, A>(access: &mut A, message: Message) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
    A: Access<S>,
{
    poll_fn(|cx| access.with(|c| c.poll_ready(cx))).await?;
    // No await between ready and start_send: the other half cannot slip a
    // message in between.
    access.with(|c| c.start_send(message))?;
    flush(access).await
}

/// Writes out what tungstenite holds buffered (a queued pong or close reply
/// included).
pub(crate) async fn flush<S, A>(access: &mut A) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
    A: Access<S>,
{
    poll_fn(|cx| access.with(|c| c.poll_flush(cx))).await
}

/// Starts the close handshake: sends a close frame (`None`: code 1005, no
/// status). A close already under way is not an error.
pub(crate) async fn send_close<S, A>(access: &mut A, frame: Option<CloseFrame>) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
    A: Access<S>,
{
    match send(access, Message::Close(frame)).await {
        Ok(()) | Err(Error::ConnectionClosed | Error::AlreadyClosed) => Ok(()),
        Err(error) => Err(error),
    }
}

/// The whole close handshake from this side: sends the close frame, then
/// reads (dropping data messages) until the peer's close comes back or the
/// connection ends.
pub(crate) async fn close<S, A>(access: &mut A, frame: Option<CloseFrame>) -> Result<(), Error>
where
    S: AsyncRead + AsyncWrite + Unpin,
    A: Access<S>,
{
    send_close(access, frame).await?;
    loop {
        match read(access).await {
            Ok(Message::Close(_)) | Err(Error::ConnectionClosed | Error::AlreadyClosed) => {
                return Ok(());
            }
            Ok(_) => {}
            // The peer reset the connection instead of answering: closed all
            // the same.
            Err(Error::Io(error))
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
                ) =>
            {
                return Ok(());
            }
            Err(Error::Protocol(
                tokio_tungstenite::tungstenite::error::ProtocolError::ResetWithoutClosingHandshake,
            )) => return Ok(()),
            Err(error) => return Err(error),
        }
    }
}
