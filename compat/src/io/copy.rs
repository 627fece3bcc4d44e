//! `copy`: everything from a reader into a writer.

use core::future::Future;
use std::io;

use green_runtime::Green;

use super::tokio_bridge::AsTokio;
use super::{Read, Write};

/// Green version of [`std::io::copy`]: copies everything `reader` gives into
/// `writer`, until the end of `reader`, and gives how many bytes were copied.
///
/// Blocks the task, not the thread. Takes any compat reader and writer,
/// trait objects included, as std's.
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
    R: Read + ?Sized,
    W: Write + ?Sized,
{
    Green::new(async move { tokio::io::copy(&mut AsTokio(reader), &mut AsTokio(writer)).await })
}
