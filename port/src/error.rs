//! What can stop a port, each with the file (and line) to look at. Every
//! error exits with status 2, so a script tells it from `--check`'s 1.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A port that could not run.
#[derive(Debug)]
pub(crate) enum PortError {
    /// The command line is wrong.
    Usage(String),
    /// PATH does not exist.
    NoSuchPath(PathBuf),
    /// PATH is a directory without a `Cargo.toml`, or a file that is not `.rs`.
    NotACrate(PathBuf),
    /// A file could not be read.
    Read { path: PathBuf, source: io::Error },
    /// A file could not be written.
    Write { path: PathBuf, source: io::Error },
    /// A Rust file does not parse: the tool edits only what it understands.
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// `Cargo.toml` is not valid TOML.
    Manifest { path: PathBuf, message: String },
    /// `rustfmt` failed on the ported text.
    Rustfmt { file: String, message: String },
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortError::Usage(message) => write!(f, "{message}\n\n{}", crate::cli::USAGE),
            PortError::NoSuchPath(path) => {
                write!(f, "{}: no such file or directory", path.display())
            }
            PortError::NotACrate(path) => write!(
                f,
                "{}: neither a crate directory (with a Cargo.toml) nor a .rs file",
                path.display()
            ),
            PortError::Read { path, source } => {
                write!(f, "{}: cannot read: {source}", path.display())
            }
            PortError::Write { path, source } => {
                write!(f, "{}: cannot write: {source}", path.display())
            }
            PortError::Parse {
                file,
                line,
                column,
                message,
            } => write!(f, "{file}:{line}:{column}: does not parse: {message}"),
            PortError::Manifest { path, message } => {
                write!(f, "{}: not a valid Cargo.toml: {message}", path.display())
            }
            PortError::Rustfmt { file, message } => write!(f, "{file}: rustfmt failed: {message}"),
        }
    }
}

impl std::error::Error for PortError {}
