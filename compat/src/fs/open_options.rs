//! `OpenOptions`: the builder of `File::open`.

use core::future::Future;
use std::io;
use std::path::Path;

use green_runtime::Green;

use super::File;

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
