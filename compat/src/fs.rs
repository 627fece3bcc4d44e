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

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::ffi::OsString;
use std::io::{self, SeekFrom};
use std::path::{Path, PathBuf};

use green_runtime::{Green, GreenIterator};
use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

pub use std::fs::{FileType, Metadata, Permissions};

/// Green version of [`std::fs::File`]: an open file whose operations are green.
///
/// Reads, writes and seeks go through compat's `Read`, `Write` and `Seek`
/// traits (the type implements tokio's `AsyncRead`, `AsyncWrite` and
/// `AsyncSeek`). Unlike a raw `tokio::fs::File`, a write returns only once
/// the bytes reached the operating system, as std's does, so a file dropped
/// right after a write holds the data. Each read or write is a round trip
/// to the thread pool: wrap the file in compat's `BufReader`/`BufWriter`
/// for many small operations (good advice with std too).
///
/// ```
/// use green::compat::fs::File;
/// use green::compat::io::{Read, Write};
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-file-{}", std::process::id()));
/// #   green::compat::fs::create_dir_all(&dir)?;
///     let path = dir.join("file.txt");
///     let mut file = File::create(&path)?;
///     file.write_all(b"green")?;
///     drop(file);
///
///     let mut text = String::new();
///     File::open(&path)?.read_to_string(&mut text)?;
///     assert_eq!(text, "green");
/// #   green::compat::fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
pub struct File {
    inner: tokio::fs::File,
    /// Bytes accepted by tokio's `poll_write` whose background write has not
    /// been flushed yet: `poll_write` reports them once the flush is done.
    unflushed: Option<usize>,
}

impl File {
    fn from_tokio(inner: tokio::fs::File) -> Self {
        File {
            inner,
            unflushed: None,
        }
    }

    /// Green version of [`std::fs::File::open`]: opens a file read-only.
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let missing = File::open("/definitely/not/here");
    ///     assert_eq!(missing.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// }
    /// ```
    pub fn open<P: AsRef<Path>>(path: P) -> Green<impl Future<Output = io::Result<File>>> {
        OpenOptions::new().read(true).open(path)
    }

    /// Green version of [`std::fs::File::create`]: opens a file write-only,
    /// creating it or truncating it.
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-create-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let file = File::create(dir.join("new.txt"))?;
    ///     assert_eq!(file.metadata()?.len(), 0);
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn create<P: AsRef<Path>>(path: P) -> Green<impl Future<Output = io::Result<File>>> {
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
    }

    /// Green version of [`std::fs::File::create_new`]: creates a new file
    /// read-write, failing with `AlreadyExists` if it exists.
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-create-new-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let path = dir.join("once.txt");
    ///     File::create_new(&path)?;
    ///     let again = File::create_new(&path);
    ///     assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn create_new<P: AsRef<Path>>(path: P) -> Green<impl Future<Output = io::Result<File>>> {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(path)
    }

    /// Green version of [`std::fs::File::options`]: a new [`OpenOptions`].
    ///
    /// ```
    /// use green::compat::fs::File;
    /// use green::compat::io::Write;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-options-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let mut log = File::options().append(true).create(true).open(dir.join("log"))?;
    ///     log.write_all(b"line\n")?;
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn options() -> OpenOptions {
        OpenOptions::new()
    }

    /// Green version of [`std::fs::File::sync_all`]: flushes data and
    /// metadata to the device.
    ///
    /// ```
    /// use green::compat::fs::File;
    /// use green::compat::io::Write;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-sync-all-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let mut file = File::create(dir.join("durable"))?;
    ///     file.write_all(b"kept")?;
    ///     file.sync_all()?;
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn sync_all(&self) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(self.inner.sync_all())
    }

    /// Green version of [`std::fs::File::sync_data`]: flushes data (not
    /// necessarily metadata) to the device.
    ///
    /// ```
    /// use green::compat::fs::File;
    /// use green::compat::io::Write;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-sync-data-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let mut file = File::create(dir.join("data"))?;
    ///     file.write_all(b"kept")?;
    ///     file.sync_data()?;
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn sync_data(&self) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(self.inner.sync_data())
    }

    /// Green version of [`std::fs::File::set_len`]: truncates or extends the
    /// file to `size` bytes.
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-set-len-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let file = File::create(dir.join("sized"))?;
    ///     file.set_len(10)?;
    ///     assert_eq!(file.metadata()?.len(), 10);
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn set_len(&self, size: u64) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(self.inner.set_len(size))
    }

    /// Green version of [`std::fs::File::metadata`].
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-file-meta-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    /// #   green::compat::fs::write(dir.join("three"), "abc")?;
    ///     let file = File::open(dir.join("three"))?;
    ///     assert!(file.metadata()?.is_file());
    ///     assert_eq!(file.metadata()?.len(), 3);
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn metadata(&self) -> Green<impl Future<Output = io::Result<Metadata>>> {
        Green::new(self.inner.metadata())
    }

    /// Green version of [`std::fs::File::try_clone`]: a second handle to the
    /// same open file (sharing the cursor).
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-clone-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let file = File::create(dir.join("shared"))?;
    ///     let other = file.try_clone()?;
    ///     other.set_len(4)?;
    ///     assert_eq!(file.metadata()?.len(), 4);
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn try_clone(&self) -> Green<impl Future<Output = io::Result<File>>> {
        let clone = self.inner.try_clone();
        Green::new(async move { clone.await.map(File::from_tokio) })
    }

    /// Green version of [`std::fs::File::set_permissions`].
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-file-perm-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let file = File::create(dir.join("locked"))?;
    ///     let mut permissions = file.metadata()?.permissions();
    ///     permissions.set_readonly(true);
    ///     file.set_permissions(permissions)?;
    ///     assert!(file.metadata()?.permissions().readonly());
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn set_permissions(
        &self,
        perm: Permissions,
    ) -> Green<impl Future<Output = io::Result<()>>> {
        Green::new(self.inner.set_permissions(perm))
    }

    /// Turns the file into a std file, once pending writes are done
    /// (blocking calls on it then block the hub: hand it to a thread).
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// // Plain blocking code, for a thread.
    /// fn is_file(file: std::fs::File) -> std::io::Result<bool> {
    ///     Ok(file.metadata()?.is_file())
    /// }
    ///
    /// #[green::main]
    /// fn main() -> std::io::Result<()> {
    /// #   let dir = std::env::temp_dir().join(format!("green-doc-into-std-{}", std::process::id()));
    /// #   green::compat::fs::create_dir_all(&dir)?;
    ///     let file = File::create(dir.join("plain"))?.into_std();
    ///     assert!(green::spawn_blocking(move || is_file(file)).join().unwrap()?);
    /// #   green::compat::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub fn into_std(self) -> Green<impl Future<Output = std::fs::File>> {
        Green::new(self.inner.into_std())
    }
}

impl From<std::fs::File> for File {
    /// Wraps a std file; its operations become green.
    ///
    /// ```
    /// use green::compat::fs::File;
    ///
    /// # let path = std::env::temp_dir().join(format!("green-doc-from-std-{}", std::process::id()));
    /// let std_file = std::fs::File::create(&path).unwrap();
    /// green::run(async move {
    ///     let file = File::from(std_file);
    ///     assert_eq!(file.metadata().await.unwrap().len(), 0);
    /// });
    /// # std::fs::remove_file(&path).unwrap();
    /// ```
    fn from(file: std::fs::File) -> Self {
        File::from_tokio(tokio::fs::File::from_std(file))
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File").field("inner", &self.inner).finish()
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for File {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for File {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.inner.as_raw_fd()
    }
}

impl AsyncRead for File {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for File {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        // tokio copies `buf` and writes it in the background; wait for that
        // write, so that a write is done when it returns, as std's is.
        if this.unflushed.is_none() {
            let n = ready!(Pin::new(&mut this.inner).poll_write(cx, buf))?;
            this.unflushed = Some(n);
        }
        let flushed = ready!(Pin::new(&mut this.inner).poll_flush(cx));
        let n = this.unflushed.take().unwrap_or(0);
        Poll::Ready(flushed.map(|()| n))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

impl AsyncSeek for File {
    fn start_seek(mut self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        Pin::new(&mut self.inner).start_seek(position)
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Pin::new(&mut self.inner).poll_complete(cx)
    }
}

/// Green version of [`std::fs::OpenOptions`]: the builder of [`File::open`]
/// options; only [`OpenOptions::open`] is green.
///
/// ```
/// use green::compat::fs::OpenOptions;
/// use green::compat::io::Write;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-open-options-{}", std::process::id()));
/// #   green::compat::fs::create_dir_all(&dir)?;
///     let path = dir.join("journal");
///     for line in ["one\n", "two\n"] {
///         let mut file = OpenOptions::new().append(true).create(true).open(&path)?;
///         file.write_all(line.as_bytes())?;
///     }
///     assert_eq!(green::compat::fs::read_to_string(&path)?, "one\ntwo\n");
/// #   green::compat::fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug)]
pub struct OpenOptions(std::fs::OpenOptions);

impl OpenOptions {
    /// As [`std::fs::OpenOptions::new`]: every option off.
    ///
    /// ```
    /// let options = green::compat::fs::OpenOptions::new();
    /// # let _ = options;
    /// ```
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        OpenOptions(std::fs::OpenOptions::new())
    }

    /// As [`std::fs::OpenOptions::read`].
    ///
    /// ```
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.read(true);
    /// ```
    pub fn read(&mut self, read: bool) -> &mut Self {
        self.0.read(read);
        self
    }

    /// As [`std::fs::OpenOptions::write`].
    ///
    /// ```
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.write(true);
    /// ```
    pub fn write(&mut self, write: bool) -> &mut Self {
        self.0.write(write);
        self
    }

    /// As [`std::fs::OpenOptions::append`].
    ///
    /// ```
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.append(true);
    /// ```
    pub fn append(&mut self, append: bool) -> &mut Self {
        self.0.append(append);
        self
    }

    /// As [`std::fs::OpenOptions::truncate`].
    ///
    /// ```
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.write(true).truncate(true);
    /// ```
    pub fn truncate(&mut self, truncate: bool) -> &mut Self {
        self.0.truncate(truncate);
        self
    }

    /// As [`std::fs::OpenOptions::create`].
    ///
    /// ```
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.write(true).create(true);
    /// ```
    pub fn create(&mut self, create: bool) -> &mut Self {
        self.0.create(create);
        self
    }

    /// As [`std::fs::OpenOptions::create_new`].
    ///
    /// ```
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.write(true).create_new(true);
    /// ```
    pub fn create_new(&mut self, create_new: bool) -> &mut Self {
        self.0.create_new(create_new);
        self
    }

    /// Green version of [`std::fs::OpenOptions::open`]: opens `path` with
    /// these options.
    ///
    /// ```
    /// use green::compat::fs::OpenOptions;
    ///
    /// #[green::main]
    /// fn main() {
    ///     let opened = OpenOptions::new().read(true).open("/no/such/file");
    ///     assert_eq!(opened.unwrap_err().kind(), std::io::ErrorKind::NotFound);
    /// }
    /// ```
    pub fn open<P: AsRef<Path>>(
        &self,
        path: P,
    ) -> Green<impl Future<Output = io::Result<File>> + use<P>> {
        let options = tokio::fs::OpenOptions::from(self.0.clone());
        let path = path.as_ref().to_owned();
        Green::new(async move { options.open(path).await.map(File::from_tokio) })
    }
}

#[cfg(unix)]
impl std::os::unix::fs::OpenOptionsExt for OpenOptions {
    /// As std's: the mode bits of a file this creates.
    ///
    /// ```
    /// use std::os::unix::fs::OpenOptionsExt;
    ///
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.write(true).create(true).mode(0o600);
    /// ```
    fn mode(&mut self, mode: u32) -> &mut Self {
        self.0.mode(mode);
        self
    }

    /// As std's: extra `open(2)` flags.
    ///
    /// ```
    /// use std::os::unix::fs::OpenOptionsExt;
    ///
    /// let mut options = green::compat::fs::OpenOptions::new();
    /// options.read(true).custom_flags(0);
    /// ```
    fn custom_flags(&mut self, flags: i32) -> &mut Self {
        self.0.custom_flags(flags);
        self
    }
}

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
    inner: tokio::fs::DirEntry,
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
