//! `File`: an open file.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use std::io::{self, SeekFrom};
use std::path::Path;

use green_runtime::Green;
use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};

use super::{Metadata, OpenOptions, Permissions};
use crate::io::tokio_bridge::{read_via_tokio, write_via_tokio};

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
    pub(super) fn from_tokio(inner: tokio::fs::File) -> Self {
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

read_via_tokio!(File);
write_via_tokio!(File);

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
