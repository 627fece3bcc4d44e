//! Green version of [`std::fs`]: files and directories whose blocking
//! operations are green.
//!
//! The same names and signatures as `std::fs`, except that every operation
//! that touches the file system returns green work (`Green<impl Future>`): a
//! `#[green]` body awaits it for you, async code `.await`s it. The work runs
//! on tokio's blocking thread pool, so a slow disk never stalls the hub.
//! std's [`Metadata`], [`Permissions`] and [`FileType`] are re-exported.
//!
//! What differs from std:
//! - [`read_dir`] gives a *green iterator*: [`ReadDir::next`] is green, so
//!   `for entry in fs::read_dir(dir)? { .. }` works in a `#[green]` body (the
//!   loop is rewritten), but `ReadDir` is not a std [`Iterator`].
//! - [`DirEntry::metadata`] and [`DirEntry::file_type`] are green.
//! - [`File`] implements tokio's `AsyncRead`/`AsyncWrite`/`AsyncSeek`, hence
//!   compat's `Read`/`Write`/`Seek`; `&File` is not readable as in std (a read
//!   needs `&mut File`).
//!
//! ```
//! use green::compat::fs;
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//! #   let dir = std::env::temp_dir().join(format!("green-doc-fs-{}", std::process::id()));
//! #   fs::create_dir_all(&dir)?;
//!     let path = dir.join("greeting.txt");
//!     fs::write(&path, "hello")?;
//!     assert_eq!(fs::read_to_string(&path)?, "hello");
//! #   fs::remove_dir_all(&dir)?;
//!     Ok(())
//! }
//! ```

mod dir_entry;
mod file;
mod open_options;
mod read_dir;

use core::future::Future;
use std::io;
use std::path::{Path, PathBuf};

use green_runtime::Green;

pub use std::fs::{FileType, Metadata, Permissions};

pub use self::dir_entry::DirEntry;
pub use self::file::File;
pub use self::open_options::OpenOptions;
pub use self::read_dir::{ReadDir, read_dir};

/// Defines a green free function that forwards to `tokio::fs` with owned paths.
macro_rules! green_fs_fn {
    (
        $(#[$doc:meta])*
        fn $name:ident($($arg:ident: $ty:ident),*) -> $out:ty
    ) => {
        $(#[$doc])*
        pub fn $name<$($ty: AsRef<Path>),*>($($arg: $ty),*) -> Green<impl Future<Output = io::Result<$out>>> {
            $(let $arg = $arg.as_ref().to_owned();)*
            Green::new(async move { tokio::fs::$name($($arg),*).await })
        }
    };
}

green_fs_fn! {
    /// Green version of [`std::fs::read`]: the whole file as bytes.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-read-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("bytes"), [1, 2, 3])?;
    ///     assert_eq!(fs::read(dir.join("bytes"))?, [1, 2, 3]);
    ///     assert_eq!(fs::read(dir.join("missing")).unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn read(path: P) -> Vec<u8>
}

green_fs_fn! {
    /// Green version of [`std::fs::read_to_string`]: the whole file as UTF-8
    /// text (`InvalidData` if it is not).
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-read-string-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("text"), "héllo")?;
    ///     assert_eq!(fs::read_to_string(dir.join("text"))?, "héllo");
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn read_to_string(path: P) -> String
}

/// Green version of [`std::fs::write`]: creates or truncates the file and
/// writes `contents`.
///
/// ```
/// use green::compat::fs;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-write-{}", std::process::id()));
/// #   fs::create_dir_all(&dir)?;
///     fs::write(dir.join("out"), "first")?;
///     fs::write(dir.join("out"), b"second")?;
///     assert_eq!(fs::read_to_string(dir.join("out"))?, "second");
/// #   fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
pub fn write<P: AsRef<Path>, C: AsRef<[u8]>>(
    path: P,
    contents: C,
) -> Green<impl Future<Output = io::Result<()>>> {
    let path = path.as_ref().to_owned();
    let contents = contents.as_ref().to_owned();
    Green::new(async move { tokio::fs::write(path, contents).await })
}

green_fs_fn! {
    /// Green version of [`std::fs::copy`]: copies the contents and
    /// permissions of `from` to `to`, giving the number of bytes copied.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-copy-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("a"), "abc")?;
    ///     assert_eq!(fs::copy(dir.join("a"), dir.join("b"))?, 3);
    ///     assert_eq!(fs::read(dir.join("b"))?, b"abc");
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn copy(from: P, to: Q) -> u64
}

green_fs_fn! {
    /// Green version of [`std::fs::rename`]: moves `from` to `to`, replacing
    /// a file there.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-rename-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("old"), "x")?;
    ///     fs::rename(dir.join("old"), dir.join("new"))?;
    ///     assert_eq!(fs::read(dir.join("new"))?, b"x");
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn rename(from: P, to: Q) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::remove_file`].
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-remove-file-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("gone"), "")?;
    ///     fs::remove_file(dir.join("gone"))?;
    ///     assert!(!fs::exists(dir.join("gone"))?);
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn remove_file(path: P) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::create_dir`]: one new directory (its
    /// parent must exist).
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-create-dir-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::create_dir(dir.join("child"))?;
    ///     assert!(fs::metadata(dir.join("child"))?.is_dir());
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn create_dir(path: P) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::create_dir_all`]: a directory and its
    /// missing parents.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-create-dir-all-{}", std::process::id()));
    ///     fs::create_dir_all(dir.join("a/b/c"))?;
    ///     assert!(fs::metadata(dir.join("a/b/c"))?.is_dir());
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn create_dir_all(path: P) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::remove_dir`]: removes an empty directory.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-remove-dir-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::create_dir(dir.join("empty"))?;
    ///     fs::remove_dir(dir.join("empty"))?;
    ///     assert!(!fs::exists(dir.join("empty"))?);
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn remove_dir(path: P) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::remove_dir_all`]: removes a directory and
    /// everything in it.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-remove-dir-all-{}", std::process::id()));
    ///     fs::create_dir_all(dir.join("deep/tree"))?;
    ///     fs::write(dir.join("deep/tree/leaf"), "")?;
    ///     fs::remove_dir_all(&dir)?;
    ///     assert!(!fs::exists(&dir)?);
    ///     Ok(())
    /// }
    /// ```
    fn remove_dir_all(path: P) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::metadata`] (follows symlinks).
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     assert!(fs::metadata(std::env::temp_dir())?.is_dir());
    ///     Ok(())
    /// }
    /// ```
    fn metadata(path: P) -> Metadata
}

green_fs_fn! {
    /// Green version of [`std::fs::symlink_metadata`] (does not follow a
    /// symlink).
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-symlink-meta-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    /// #   #[cfg(unix)]
    ///     std::os::unix::fs::symlink(&dir, dir.join("link"))?;
    /// #   #[cfg(unix)]
    ///     assert!(fs::symlink_metadata(dir.join("link"))?.file_type().is_symlink());
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn symlink_metadata(path: P) -> Metadata
}

green_fs_fn! {
    /// Green version of [`std::fs::canonicalize`]: the absolute path with
    /// every `.`, `..` and symlink resolved.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    ///     let tmp = std::env::temp_dir();
    ///     assert_eq!(fs::canonicalize(tmp.join("."))?, fs::canonicalize(&tmp)?);
    ///     Ok(())
    /// }
    /// ```
    fn canonicalize(path: P) -> PathBuf
}

green_fs_fn! {
    /// Green version of [`std::fs::hard_link`]: a second name `link` for the
    /// file `original`.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-hard-link-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    ///     fs::write(dir.join("original"), "same")?;
    ///     fs::hard_link(dir.join("original"), dir.join("alias"))?;
    ///     assert_eq!(fs::read(dir.join("alias"))?, b"same");
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn hard_link(original: P, link: Q) -> ()
}

green_fs_fn! {
    /// Green version of [`std::fs::read_link`]: the target of a symlink.
    ///
    /// ```
    /// use green::compat::fs;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-read-link-{}", std::process::id()));
    /// #   fs::create_dir_all(&dir)?;
    /// #   #[cfg(unix)]
    ///     std::os::unix::fs::symlink("target", dir.join("link"))?;
    /// #   #[cfg(unix)]
    ///     assert_eq!(fs::read_link(dir.join("link"))?, std::path::Path::new("target"));
    /// #   fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    fn read_link(path: P) -> PathBuf
}

/// Green version of [`std::fs::set_permissions`].
///
/// ```
/// use green::compat::fs;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-set-perm-{}", std::process::id()));
/// #   fs::create_dir_all(&dir)?;
///     fs::write(dir.join("f"), "")?;
///     let mut permissions = fs::metadata(dir.join("f"))?.permissions();
///     permissions.set_readonly(true);
///     fs::set_permissions(dir.join("f"), permissions)?;
///     assert!(fs::metadata(dir.join("f"))?.permissions().readonly());
/// #   fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
pub fn set_permissions<P: AsRef<Path>>(
    path: P,
    perm: Permissions,
) -> Green<impl Future<Output = io::Result<()>>> {
    let path = path.as_ref().to_owned();
    Green::new(async move { tokio::fs::set_permissions(path, perm).await })
}

/// Green version of [`std::fs::exists`]: `Ok(true)` if the path points at
/// something, `Ok(false)` if it surely does not, an error if that cannot be
/// told (broken permissions).
///
/// ```
/// use green::compat::fs;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
///     assert!(fs::exists(std::env::temp_dir())?);
///     assert!(!fs::exists("/no/such/path")?);
///     Ok(())
/// }
/// ```
pub fn exists<P: AsRef<Path>>(path: P) -> Green<impl Future<Output = io::Result<bool>>> {
    let path = path.as_ref().to_owned();
    Green::new(async move { tokio::fs::try_exists(path).await })
}
