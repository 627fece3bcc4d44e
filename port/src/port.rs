//! One run: load, infer, plan the edits, format, then write, diff or check.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::Options;
use crate::error::PortError;
use crate::krate::Crate;
use crate::report::Report;
use crate::{format, graph, manifest, mark, uses};

/// A file the port changes: where, before, after.
#[derive(Debug)]
pub(crate) struct Change {
    pub(crate) display: String,
    pub(crate) path: PathBuf,
    pub(crate) before: String,
    pub(crate) after: String,
}

/// What a run found.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) changes: Vec<Change>,
    pub(crate) report: Report,
}

/// Runs the port as `options` say; writes only without `--check`/`--diff`.
pub(crate) fn run(options: &Options) -> Result<Outcome, PortError> {
    let source = &options.path;
    if !source.exists() {
        return Err(PortError::NoSuchPath(source.clone()));
    }
    let dry = options.check || options.diff;
    let target = match (&options.out, dry) {
        (Some(out), false) => copy_to(source, out)?,
        _ => source.clone(),
    };
    let outcome = plan(&target, options)?;
    if !dry {
        for change in &outcome.changes {
            fs::write(&change.path, &change.after).map_err(|e| PortError::Write {
                path: change.path.clone(),
                source: e,
            })?;
        }
    }
    Ok(outcome)
}

/// Computes every change of a port of `path` without writing.
fn plan(path: &Path, options: &Options) -> Result<Outcome, PortError> {
    let mut report = Report::default();
    let mut changes = Vec::new();
    let (mut krate, manifest) = if path.is_dir() {
        let manifest_path = path.join("Cargo.toml");
        if !manifest_path.is_file() {
            return Err(PortError::NotACrate(path.to_path_buf()));
        }
        let text = fs::read_to_string(&manifest_path).map_err(|source| PortError::Read {
            path: manifest_path.clone(),
            source,
        })?;
        let doc = manifest::parse(&manifest_path, &text)?;
        (
            Crate::directory(path, &doc)?,
            Some((manifest_path, text, doc)),
        )
    } else if path.extension().is_some_and(|e| e == "rs") {
        (Crate::single(path)?, None)
    } else {
        return Err(PortError::NotACrate(path.to_path_buf()));
    };

    for unit in &mut krate.units {
        uses::rewrite(&mut unit.source, &unit.ast, &mut report);
    }
    let graph = graph::infer(&krate, &mut report);
    mark::mark(&mut krate, &graph, &mut report);

    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let config = format::config_above(&dir);
    let use_rustfmt = options.rustfmt.unwrap_or(config.is_some());
    let edition = match &manifest {
        Some((_, _, doc)) => manifest::edition(doc),
        None => nearest_manifest_edition(&dir),
    }
    .unwrap_or_else(|| "2024".to_string());

    for unit in &krate.units {
        if unit.source.edits.is_empty() {
            continue;
        }
        let mut after = unit.source.edited();
        if use_rustfmt {
            after = format::rustfmt(&unit.source.display, &after, &edition, config.as_deref())?;
        }
        if after != unit.source.text {
            report.files_changed.push(unit.source.display.clone());
            changes.push(Change {
                display: unit.source.display.clone(),
                path: unit.source.path.clone(),
                before: unit.source.text.clone(),
                after,
            });
        }
    }
    match manifest {
        Some((manifest_path, text, mut doc)) => {
            if let Some(added) = manifest::add_green(&mut doc, &options.green) {
                report.manifest = Some(format!("Cargo.toml: {added}"));
                changes.push(Change {
                    display: "Cargo.toml".into(),
                    path: manifest_path,
                    before: text,
                    after: doc.to_string(),
                });
            }
        }
        None => {
            if !changes.is_empty() {
                report.left(
                    &krate.units[0].source.display,
                    1,
                    "one file ported: its crate's Cargo.toml needs `green` in [dependencies] (run the tool on the crate directory to add it)".into(),
                );
            }
        }
    }
    Ok(Outcome { changes, report })
}

/// The edition of the closest `Cargo.toml` above `dir` that writes one.
fn nearest_manifest_edition(dir: &Path) -> Option<String> {
    let dir = dir.canonicalize().ok()?;
    for d in dir.ancestors() {
        let path = d.join("Cargo.toml");
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let edition = manifest::parse(&path, &text)
            .ok()
            .and_then(|doc| manifest::edition(&doc));
        if edition.is_some() {
            return edition;
        }
    }
    None
}

/// Copies the crate (without `target/` and `.git/`) or the file into `out`;
/// returns what to port there.
fn copy_to(source: &Path, out: &Path) -> Result<PathBuf, PortError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |e| PortError::Write { path, source: e }
    };
    fs::create_dir_all(out).map_err(write_err(out))?;
    if source.is_file() {
        let name = source.file_name().unwrap_or_default();
        let dest = out.join(name);
        fs::copy(source, &dest).map_err(write_err(&dest))?;
        return Ok(dest);
    }
    copy_dir(source, out)?;
    Ok(out.to_path_buf())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), PortError> {
    let entries = fs::read_dir(from).map_err(|source| PortError::Read {
        path: from.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let dest = to.join(&name);
        if path.is_dir() {
            if name == "target" || name == ".git" {
                continue;
            }
            fs::create_dir_all(&dest).map_err(|source| PortError::Write {
                path: dest.clone(),
                source,
            })?;
            copy_dir(&path, &dest)?;
        } else {
            fs::copy(&path, &dest).map_err(|source| PortError::Write {
                path: dest.clone(),
                source,
            })?;
        }
    }
    Ok(())
}
