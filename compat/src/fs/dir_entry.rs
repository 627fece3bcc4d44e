//! `DirEntry`: one entry of a `ReadDir`.

use core::future::Future;
use std::ffi::OsString;
use std::io;
use std::path::PathBuf;

use green_runtime::Green;

use super::{FileType, Metadata};

/// Green version of [`std::fs::DirEntry`]: one entry of a [`ReadDir`];
/// `metadata` and `file_type` are green.
///
/// ```
/// use green::compat::fs;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-dir-entry-{}", std::process::id()));
/// #   fs::create_dir_all(&dir)?;
///     fs::create_dir(dir.join("sub"))?;
///     for entry in fs::read_dir(&dir)? {
///         let entry = entry?;
///         assert_eq!(entry.path(), dir.join("sub"));
///         assert!(entry.file_type()?.is_dir());
///     }
/// #   fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct DirEntry {
    pub(super) inner: tokio::fs::DirEntry,
}

impl DirEntry {
    /// As [`std::fs::DirEntry::path`]: the directory joined with the name.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-entry-path-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("x"), "")?;
    ///     for entry in fs::read_dir(&dir)? {
    ///         assert_eq!(entry?.path(), dir.join("x"));
    ///     }
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn path(&self) -> PathBuf {
        self.inner.path()
    }

    /// As [`std::fs::DirEntry::file_name`]: the bare name.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-entry-name-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("name.txt"), "")?;
    ///     for entry in fs::read_dir(&dir)? {
    ///         assert_eq!(entry?.file_name(), "name.txt");
    ///     }
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn file_name(&self) -> OsString {
        self.inner.file_name()
    }

    /// Green version of [`std::fs::DirEntry::metadata`] (does not follow a
    /// symlink).
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-entry-meta-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("five"), "12345")?;
    ///     for entry in fs::read_dir(&dir)? {
    ///         assert_eq!(entry?.metadata()?.len(), 5);
    ///     }
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn metadata(&self) -> Green<impl Future<Output = io::Result<Metadata>>> {
        Green::new(self.inner.metadata())
    }

    /// Green version of [`std::fs::DirEntry::file_type`].
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-entry-type-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("file"), "")?;
    ///     for entry in fs::read_dir(&dir)? {
    ///         assert!(entry?.file_type()?.is_file());
    ///     }
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn file_type(&self) -> Green<impl Future<Output = io::Result<FileType>>> {
        Green::new(self.inner.file_type())
    }
}
