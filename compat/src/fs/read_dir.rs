//! `read_dir` and its green iterator `ReadDir`.

use core::future::Future;
use std::io;
use std::path::Path;

use green_runtime::{Green, GreenIterator};

use super::DirEntry;

/// Green version of [`std::fs::ReadDir`]: the entries of a directory, a
/// *green iterator*.
///
/// Its [`next`](ReadDir::next) is green, so a `#[green]` body iterates it
/// with a plain `for` loop. It is not a std [`Iterator`]; async code calls
/// `next().await` in a `while let` loop. Entries come in the order the
/// operating system gives them (no order is promised, as in std).
///
/// ```
/// use green::compat::fs;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-read-dir-type-{}", std::process::id()));
/// #   fs::create_dir_all(&dir)?;
///     fs::write(dir.join("a"), "")?;
///     fs::write(dir.join("b"), "")?;
///     let mut names = Vec::new();
///     for entry in fs::read_dir(&dir)? {
///         names.push(entry?.file_name());
///     }
///     names.sort();
///     assert_eq!(names, ["a", "b"]);
/// #   fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct ReadDir {
    inner: tokio::fs::ReadDir,
}

impl ReadDir {
    /// The next entry, `None` at the end: the green counterpart of
    /// [`Iterator::next`], used by `for` loops in green code.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// green::run(async {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-read-dir-next-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir).await.unwrap();
    ///     fs::write(dir.join("only"), "").await.unwrap();
    ///     let mut entries = fs::read_dir(&dir).await.unwrap();
    ///     let entry = entries.next().await.unwrap().unwrap();
    ///     assert_eq!(entry.file_name(), "only");
    ///     assert!(entries.next().await.is_none());
    /// #   fs::remove_dir_all(&dir).await.unwrap();
    /// });
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<DirEntry>>> + '_> {
        Green::new(async move {
            match self.inner.next_entry().await {
                Ok(Some(entry)) => Some(Ok(DirEntry { inner: entry })),
                Ok(None) => None,
                Err(err) => Some(Err(err)),
            }
        })
    }
}

impl GreenIterator for ReadDir {
    type Item = io::Result<DirEntry>;

    fn next(&mut self) -> Green<impl Future<Output = Option<io::Result<DirEntry>>> + '_> {
        ReadDir::next(self)
    }
}

/// Green version of [`std::fs::read_dir`]: the entries of a directory as a
/// green iterator ([`ReadDir`]).
///
/// ```
/// use green::compat::fs;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-read-dir-{}", std::process::id()));
/// #   fs::create_dir_all(&dir)?;
///     fs::write(dir.join("one"), "1")?;
///     let mut count = 0;
///     for entry in fs::read_dir(&dir)? {
///         entry?;
///         count += 1;
///     }
///     assert_eq!(count, 1);
/// #   fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
pub fn read_dir<P: AsRef<Path>>(path: P) -> Green<impl Future<Output = io::Result<ReadDir>>> {
    let path = path.as_ref().to_owned();
    Green::new(async move {
        tokio::fs::read_dir(path)
            .await
            .map(|inner| ReadDir { inner })
    })
}
