//! `copy`: everything from a reader into a writer.

use core::future::Future;
use std::io;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncWrite};

/// Green version of [`std::io::copy`]: copies everything `reader` gives into
/// `writer`, until the end of `reader`, and gives how many bytes were copied.
///
/// Blocks the task, not the thread. Takes any compat reader and writer
/// (tokio's `AsyncRead` and `AsyncWrite`, which the compat types implement).
///
/// ```
/// use green::compat::io;
///
/// #[green::main]
/// fn main() -> io::Result<()> {
///     let mut reader: &[u8] = b"copied";
///     let mut writer = Vec::new();
///     assert_eq!(io::copy(&mut reader, &mut writer)?, 6);
///     assert_eq!(writer, b"copied");
///     Ok(())
/// }
/// ```
pub fn copy<'a, R, W>(
    reader: &'a mut R,
    writer: &'a mut W,
) -> Green<impl Future<Output = io::Result<u64>> + 'a>
where
    R: AsyncRead + Unpin + ?Sized,
    W: AsyncWrite + Unpin + ?Sized,
{
    Green::new(tokio::io::copy(reader, writer))
}
