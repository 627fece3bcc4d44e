//! The green `Seek` trait.

use core::future::Future;
use std::io::{self, SeekFrom};

use green_runtime::Green;
use tokio::io::{AsyncSeek, AsyncSeekExt};

/// Green version of [`std::io::Seek`]: a stream with a cursor that can be
/// moved.
///
/// Same methods as std's; each returns `Green<impl Future>`, awaited by
/// itself in a `#[green]` body (a seek of a file can block). It is
/// implemented for every `tokio::io::AsyncSeek + Unpin` type:
/// [`Cursor`](super::Cursor), [`fs::File`](crate::fs::File), ...
///
/// ```
/// use green::compat::io::{Cursor, Read, Seek, SeekFrom};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     let mut data = Cursor::new(b"0123456789".to_vec());
///     data.seek(SeekFrom::End(-3))?;
///     let mut tail = String::new();
///     data.read_to_string(&mut tail)?;
///     assert_eq!(tail, "789");
///     Ok(())
/// }
/// ```
pub trait Seek {
    /// Moves the cursor to `pos` and gives the new position from the start.
    /// A position before the start gives an
    /// [`ErrorKind::InvalidInput`](super::ErrorKind::InvalidInput) error. As
    /// [`std::io::Seek::seek`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Seek, SeekFrom};
    ///
    /// #[green::main]
    /// fn main() {
    ///     let mut data = Cursor::new([0u8; 10]);
    ///     assert_eq!(data.seek(SeekFrom::Start(4)).unwrap(), 4);
    ///     assert_eq!(data.seek(SeekFrom::Current(2)).unwrap(), 6);
    ///     assert!(data.seek(SeekFrom::Current(-7)).is_err());
    /// }
    /// ```
    fn seek(&mut self, pos: SeekFrom) -> Green<impl Future<Output = io::Result<u64>>>;

    /// Moves the cursor back to the start. As [`std::io::Seek::rewind`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Read, Seek};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut data = Cursor::new(b"again".to_vec());
    ///     let mut first = String::new();
    ///     data.read_to_string(&mut first)?;
    ///     data.rewind()?;
    ///     let mut second = String::new();
    ///     data.read_to_string(&mut second)?;
    ///     assert_eq!(first, second);
    ///     Ok(())
    /// }
    /// ```
    fn rewind(&mut self) -> Green<impl Future<Output = io::Result<()>>>;

    /// The position of the cursor from the start. As
    /// [`std::io::Seek::stream_position`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Seek, SeekFrom};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut data = Cursor::new([0u8; 8]);
    ///     data.seek(SeekFrom::Start(5))?;
    ///     assert_eq!(data.stream_position()?, 5);
    ///     Ok(())
    /// }
    /// ```
    fn stream_position(&mut self) -> Green<impl Future<Output = io::Result<u64>>>;

    /// Moves the cursor by `offset` bytes from where it is. As
    /// [`std::io::Seek::seek_relative`].
    ///
    /// ```
    /// use green::compat::io::{Cursor, Seek};
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let mut data = Cursor::new([0u8; 8]);
    ///     data.seek_relative(3)?;
    ///     data.seek_relative(-1)?;
    ///     assert_eq!(data.stream_position()?, 2);
    ///     Ok(())
    /// }
    /// ```
    fn seek_relative(&mut self, offset: i64) -> Green<impl Future<Output = io::Result<()>>>;
}

impl<S: AsyncSeek + Unpin + ?Sized> Seek for S {
    #[inline]
    fn seek(&mut self, pos: SeekFrom) -> Green<impl Future<Output = io::Result<u64>>> {
        Green::new(AsyncSeekExt::seek(self, pos))
    }

    #[inline]
    fn rewind(&mut self) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(async move { AsyncSeekExt::rewind(self).await.map(drop) })
    }

    #[inline]
    fn stream_position(&mut self) -> Green<impl Future<Output = io::Result<u64>>> {
        Green::new(AsyncSeekExt::stream_position(self))
    }

    #[inline]
    fn seek_relative(&mut self, offset: i64) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(async move {
            AsyncSeekExt::seek(self, SeekFrom::Current(offset))
                .await
                .map(drop)
        })
    }
}
