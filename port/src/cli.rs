//! The command line: `cargo green port [PATH] [--out DIR] [--check] [--diff]
//! [--green-path P | --green-version V | --green-git URL] [--rustfmt |
//! --no-rustfmt]`. Cargo runs `cargo-green green port ..` for `cargo green
//! port ..`; `cargo run -p green-port -- port ..` passes `port ..`.

use std::path::PathBuf;

use crate::error::PortError;
use crate::manifest::{DEFAULT_VERSION, GreenSource};

pub(crate) const USAGE: &str = "usage: cargo green port [PATH] [--out DIR] [--check] [--diff]
                        [--green-path P | --green-version V | --green-git URL]
                        [--rustfmt | --no-rustfmt]

PATH      a crate directory (its Cargo.toml) or one .rs file (default: .)
--out     write the ported copy to DIR, leave PATH as it is
--check   write nothing; exit 1 when the port would change something
--diff    write nothing; print a unified diff of the changes
--rustfmt / --no-rustfmt
          format the changed files with rustfmt (default: only when a
          rustfmt.toml or .rustfmt.toml sits in PATH or above it)";

/// The options of one run.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) path: PathBuf,
    pub(crate) out: Option<PathBuf>,
    pub(crate) check: bool,
    pub(crate) diff: bool,
    pub(crate) green: GreenSource,
    pub(crate) rustfmt: Option<bool>,
}

pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, PortError> {
    let mut args = args.into_iter().peekable();
    if args.peek().is_some_and(|a| a == "green") {
        args.next();
    }
    match args.next().as_deref() {
        Some("port") => {}
        Some("-h" | "--help") | None => {
            return Err(PortError::Usage("green: which command?".into()));
        }
        Some(other) => return Err(PortError::Usage(format!("unknown command `{other}`"))),
    }
    let mut options = Options {
        path: PathBuf::from("."),
        out: None,
        check: false,
        diff: false,
        green: GreenSource::Version(DEFAULT_VERSION.into()),
        rustfmt: None,
    };
    let mut path = None;
    let mut sources = 0;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| PortError::Usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            "--check" => options.check = true,
            "--diff" => options.diff = true,
            "--rustfmt" => options.rustfmt = Some(true),
            "--no-rustfmt" => options.rustfmt = Some(false),
            "--green-path" => {
                options.green = GreenSource::Path(value("--green-path")?);
                sources += 1;
            }
            "--green-version" => {
                options.green = GreenSource::Version(value("--green-version")?);
                sources += 1;
            }
            "--green-git" => {
                options.green = GreenSource::Git(value("--green-git")?);
                sources += 1;
            }
            "-h" | "--help" => return Err(PortError::Usage("help".into())),
            flag if flag.starts_with('-') => {
                return Err(PortError::Usage(format!("unknown option `{flag}`")));
            }
            _ if path.is_none() => path = Some(PathBuf::from(arg)),
            _ => {
                return Err(PortError::Usage(format!(
                    "one PATH only, `{arg}` is a second"
                )));
            }
        }
    }
    if sources > 1 {
        return Err(PortError::Usage(
            "--green-path, --green-version and --green-git exclude each other".into(),
        ));
    }
    if let Some(path) = path {
        options.path = path;
    }
    Ok(options)
}
