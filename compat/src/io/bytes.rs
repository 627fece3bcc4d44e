//! The green iterator of `Read::bytes`.

use core::future::Future;
use std::io;

use green_runtime::{Green, GreenIterator};

use super::Read;

/// Green version of [`std::io::Bytes`]: the bytes of a reader, made by
/// [`Read::bytes`].
///
/// A *green iterator*: instead of `Iterator` it has an inherent green
/// [`next`](Bytes::next), which a `for` loop in a `#[green]` body calls and
/// awaits.
///
/// ```
/// use green::compat::io::{BufReader, Read};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let input: &[u8] = b"abc";
///     let mut upper = Vec::new();
///     for byte in BufReader::new(input).bytes() {
///         upper.push(byte?.to_ascii_uppercase());
///     }
///     assert_eq!(upper, b"ABC");
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Bytes<R> {
    reader: R,
}

impl<R> Bytes<R> {
    pub(crate) fn new(reader: R) -> Self {
        Bytes { reader }
    }
}

impl<R: Read> Bytes<R> {
    /// The next byte, `None` at the end of the stream, or the error that
    /// stopped the read (reads interrupted by a signal are retried, as std).
    ///
    /// ```
    /// use green::compat::io::Read;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let input: &[u8] = b"z";
    ///     let mut bytes = input.bytes();
    ///     assert_eq!(bytes.next().unwrap().unwrap(), b'z');
    ///     assert!(bytes.next().is_none());
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<u8>>> + '_> {
        Green::new(async move {
            let mut byte = [0u8];
            loop {
                return match self.reader.read(&mut byte).await {
                    Ok(0) => None,
                    Ok(_) => Some(Ok(byte[0])),
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                    Err(error) => Some(Err(error)),
                };
            }
        })
    }
}

impl<R: Read> GreenIterator for Bytes<R> {
    type Item = io::Result<u8>;

    fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<u8>>> + '_> {
        Bytes::next(self)
    }
}
