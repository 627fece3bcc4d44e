//! The green iterators of `BufRead`: `Lines` and `Split`.

use core::future::Future;
use std::io;

use green_runtime::{Green, GreenIterator};

use super::BufRead;

/// Green version of [`std::io::Lines`]: the lines of a reader, made by
/// [`BufRead::lines`].
///
/// A *green iterator*: instead of `Iterator` it has an inherent green
/// [`next`](Lines::next), which a `for` loop in a `#[green]` body calls and
/// awaits. Each line comes without its `\n` or `\r\n`.
///
/// ```
/// use green::compat::io::{BufRead, Cursor};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut count = 0;
///     for line in Cursor::new("x\ny\n").lines() {
///         assert_eq!(line?.len(), 1);
///         count += 1;
///     }
///     assert_eq!(count, 2);
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Lines<B> {
    reader: B,
}

impl<B> Lines<B> {
    pub(crate) fn new(reader: B) -> Self {
        Lines { reader }
    }
}

impl<B: BufRead> Lines<B> {
    /// The next line, `None` at the end of the stream, or the error that
    /// stopped the read. Green: blocks the task until a whole line is there.
    ///
    /// ```
    /// use green::compat::io::BufRead;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let input: &[u8] = b"only\r\n";
    ///     let mut lines = input.lines();
    ///     assert_eq!(lines.next().unwrap().unwrap(), "only");
    ///     assert!(lines.next().is_none());
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<String>>> + '_> {
        Green::new(async move {
            let mut line = String::new();
            match self.reader.read_line(&mut line).await {
                Ok(0) => None,
                Ok(_) => {
                    if line.ends_with('\n') {
                        line.pop();
                        if line.ends_with('\r') {
                            line.pop();
                        }
                    }
                    Some(Ok(line))
                }
                Err(error) => Some(Err(error)),
            }
        })
    }
}

impl<B: BufRead> GreenIterator for Lines<B> {
    type Item = io::Result<String>;

    fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<String>>> + '_> {
        Lines::next(self)
    }
}

/// Green version of [`std::io::Split`]: the pieces of a reader between
/// separator bytes, made by [`BufRead::split`].
///
/// A *green iterator*: instead of `Iterator` it has an inherent green
/// [`next`](Split::next), which a `for` loop in a `#[green]` body calls and
/// awaits. Each piece comes without its separator.
///
/// ```
/// use green::compat::io::{BufRead, Cursor};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut sum = 0;
///     for word in Cursor::new("1 2 3").split(b' ') {
///         sum += String::from_utf8(word?).unwrap().parse::<u32>().unwrap();
///     }
///     assert_eq!(sum, 6);
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct Split<B> {
    reader: B,
    delimiter: u8,
}

impl<B> Split<B> {
    pub(crate) fn new(reader: B, delimiter: u8) -> Self {
        Split { reader, delimiter }
    }
}

impl<B: BufRead> Split<B> {
    /// The next piece, `None` at the end of the stream, or the error that
    /// stopped the read. Green: blocks the task until the separator or the
    /// end is there.
    ///
    /// ```
    /// use green::compat::io::{BufRead, Cursor};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut pieces = Cursor::new("a,b").split(b',');
    ///     assert_eq!(pieces.next().unwrap().unwrap(), b"a");
    ///     assert_eq!(pieces.next().unwrap().unwrap(), b"b");
    ///     assert!(pieces.next().is_none());
    /// }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<Vec<u8>>>> + '_> {
        Green::new(async move {
            let mut piece = Vec::new();
            match self.reader.read_until(self.delimiter, &mut piece).await {
                Ok(0) => None,
                Ok(_) => {
                    if piece.last() == Some(&self.delimiter) {
                        piece.pop();
                    }
                    Some(Ok(piece))
                }
                Err(error) => Some(Err(error)),
            }
        })
    }
}

impl<B: BufRead> GreenIterator for Split<B> {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<Vec<u8>>>> + '_> {
        Split::next(self)
    }
}
