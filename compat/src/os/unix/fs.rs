//! Green version of [`std::os::unix::fs`]: std's Unix extension traits for
//! the file system types, and a green [`symlink`].
//!
//! The traits are std's, re-exported: they apply to compat's files because
//! compat re-exports std's [`Metadata`](std::fs::Metadata),
//! [`Permissions`](std::fs::Permissions) and
//! [`FileType`](std::fs::FileType), and compat's
//! [`OpenOptions`](crate::fs::OpenOptions) implements [`OpenOptionsExt`].
//! Not offered: `FileExt` (`read_at`/`write_at`, which block; compat's
//! `File` seeks instead), `DirBuilderExt`, `DirEntryExt`, and `chown`,
//! `fchown`, `lchown`, `chroot` (blocking calls: run std's in
//! `green::spawn_blocking`).
//!
//! ```
//! use green::compat::fs;
//! use green::compat::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//! #   let dir = std::env::temp_dir().join(format!("green-doc-unix-fs-{}", std::process::id()));
//! #   fs::create_dir_all(&dir)?;
//!     let path = dir.join("secret");
//!     fs::OpenOptions::new().write(true).create(true).mode(0o600).open(&path)?;
//!     let metadata = fs::metadata(&path)?;
//!     assert_eq!(metadata.permissions().mode() & 0o777, 0o600);
//!     assert_eq!(metadata.size(), 0);
//! #   fs::remove_dir_all(&dir)?;
//!     Ok(())
//! }
//! ```

use core::future::Future;
use std::io;
use std::path::Path;

use green_runtime::Green;

pub use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};

/// Makes `link` a symbolic link pointing at `original`. Green. As
/// [`std::os::unix::fs::symlink`].
///
/// ```
/// use green::compat::fs;
/// use green::compat::os::unix::fs::symlink;
///
/// #[green::main]
/// fn main() -> std::io::Result<()> {
/// #   let dir = std::env::temp_dir().join(format!("green-doc-unix-symlink-{}", std::process::id()));
/// #   fs::create_dir_all(&dir)?;
///     fs::write(dir.join("target"), "pointed at")?;
///     symlink(dir.join("target"), dir.join("link"))?;
///     assert_eq!(fs::read_to_string(dir.join("link"))?, "pointed at");
///     assert_eq!(fs::read_link(dir.join("link"))?, dir.join("target"));
/// #   fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
pub fn symlink<P: AsRef<Path>, Q: AsRef<Path>>(
    original: P,
    link: Q,
) -> Green<impl Future<Output = io::Result<()>>> {
    let original = original.as_ref().to_owned();
    let link = link.as_ref().to_owned();
    Green::new(async move { tokio::fs::symlink(original, link).await })
}
