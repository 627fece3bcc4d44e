//! The `green` dependency added to `Cargo.toml` with `toml_edit`, so the
//! file's comments, order and formatting stay as the author wrote them.

use std::path::Path;

use toml_edit::{DocumentMut, InlineTable, Item, Table, value};

use crate::error::PortError;

/// Where the `green` dependency comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GreenSource {
    Version(String),
    Path(String),
    Git(String),
}

/// The version a plain `cargo green port` asks for.
pub(crate) const DEFAULT_VERSION: &str = "0.1";

pub(crate) fn parse(path: &Path, text: &str) -> Result<DocumentMut, PortError> {
    text.parse::<DocumentMut>()
        .map_err(|e| PortError::Manifest {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

/// Adds `green` to `[dependencies]` unless some `green` is there already;
/// returns the line added, for the report.
pub(crate) fn add_green(doc: &mut DocumentMut, source: &GreenSource) -> Option<String> {
    let deps = doc
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()));
    let deps = deps.as_table_like_mut()?;
    if deps.contains_key("green") {
        return None;
    }
    let item = match source {
        GreenSource::Version(v) => value(v.as_str()),
        GreenSource::Path(p) => {
            let mut t = InlineTable::new();
            t.insert("path", p.as_str().into());
            value(t)
        }
        GreenSource::Git(g) => {
            let mut t = InlineTable::new();
            t.insert("git", g.as_str().into());
            value(t)
        }
    };
    deps.insert("green", item);
    let added = deps.get("green").map(|i| i.to_string()).unwrap_or_default();
    Some(format!("[dependencies] green = {}", added.trim()))
}

/// The crate's edition, for rustfmt (`2021` when not written as a string).
pub(crate) fn edition(doc: &DocumentMut) -> Option<String> {
    doc.get("package")?
        .get("edition")?
        .as_str()
        .map(str::to_string)
}
