//! [`std::os::unix::ffi`], re-exported: OS strings as bytes. Nothing in it
//! blocks.
//!
//! ```
//! use std::ffi::OsStr;
//! use green::compat::os::unix::ffi::OsStrExt;
//!
//! let name = OsStr::from_bytes(b"caf\xc3\xa9");
//! assert_eq!(name.to_str(), Some("café"));
//! assert_eq!(name.as_bytes().len(), 5);
//! ```

pub use std::os::unix::ffi::{OsStrExt, OsStringExt};
