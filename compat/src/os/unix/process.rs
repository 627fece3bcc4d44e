//! [`std::os::unix::process`], re-exported: Unix extensions of the process
//! types. Nothing in it blocks.
//!
//! [`ExitStatusExt`] applies to compat's exit statuses (they are std's
//! [`ExitStatus`](std::process::ExitStatus)); [`CommandExt`] to the std
//! command behind [`Command::as_std_mut`](crate::process::Command::as_std_mut).
//!
//! ```
//! use green::compat::process::Command;
//! use green::compat::os::unix::process::{CommandExt, ExitStatusExt};
//!
//! #[green::main]
//! fn main() -> std::io::Result<()> {
//!     let mut command = Command::new("sh");
//!     command.args(["-c", "kill -9 $$"]);
//!     command.as_std_mut().process_group(0);
//!     let status = command.status()?;
//!     assert_eq!(status.signal(), Some(9));
//!     assert!(green::compat::os::unix::process::parent_id() > 0);
//!     Ok(())
//! }
//! ```

pub use std::os::unix::process::{CommandExt, ExitStatusExt, parent_id};
