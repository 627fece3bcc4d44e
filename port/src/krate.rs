//! The crate being ported: which files, which crate root each belongs to,
//! and the module path of each (followed through `mod x;` declarations, the
//! way rustc finds `x.rs` or `x/mod.rs`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::PortError;
use crate::source::SourceFile;

/// A parsed file and where it sits in its crate.
#[derive(Debug)]
pub(crate) struct Unit {
    pub(crate) source: SourceFile,
    pub(crate) ast: syn::File,
    /// The crate root this file belongs to (an index into the roots).
    pub(crate) root: usize,
    /// The module path of the file inside its crate (`[]` for the root).
    pub(crate) module: Vec<String>,
}

/// Every file to port.
#[derive(Debug)]
pub(crate) struct Crate {
    pub(crate) units: Vec<Unit>,
    /// The library's crate name (`my_lib`), so a bin's `my_lib::f` resolves.
    pub(crate) lib_name: Option<String>,
    /// The library's root index, whose items the other roots see.
    pub(crate) lib_root: Option<usize>,
}

fn read(path: &Path) -> Result<String, PortError> {
    fs::read_to_string(path).map_err(|source| PortError::Read {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn parse(display: &str, text: &str) -> Result<syn::File, PortError> {
    syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        PortError::Parse {
            file: display.to_string(),
            line: at.line,
            column: at.column + 1,
            message: e.to_string(),
        }
    })
}

impl Crate {
    /// One `.rs` file, its own crate root.
    pub(crate) fn single(path: &Path) -> Result<Crate, PortError> {
        let text = read(path)?;
        let display = path.display().to_string();
        let ast = parse(&display, &text)?;
        Ok(Crate {
            units: vec![Unit {
                source: SourceFile::new(display, path.to_path_buf(), text),
                ast,
                root: 0,
                module: Vec::new(),
            }],
            lib_name: None,
            lib_root: None,
        })
    }

    /// A crate directory: its targets' roots (from the layout and the
    /// manifest's `path`s) and the modules they declare; any other `.rs`
    /// file under `src/`, `tests/`, `examples/` is ported as a root of its own.
    pub(crate) fn directory(
        dir: &Path,
        manifest: &toml_edit::DocumentMut,
    ) -> Result<Crate, PortError> {
        let mut roots: Vec<PathBuf> = Vec::new();
        for candidate in ["src/lib.rs", "src/main.rs"] {
            if dir.join(candidate).is_file() {
                roots.push(dir.join(candidate));
            }
        }
        for section in ["bin", "example", "test", "bench"] {
            if let Some(targets) = manifest.get(section).and_then(|t| t.as_array_of_tables()) {
                for target in targets {
                    if let Some(path) = target.get("path").and_then(|p| p.as_str()) {
                        roots.push(dir.join(path));
                    }
                }
            }
        }
        if let Some(path) = manifest
            .get("lib")
            .and_then(|l| l.get("path"))
            .and_then(|p| p.as_str())
        {
            roots.push(dir.join(path));
        }
        for sub in ["src/bin", "tests", "examples", "benches"] {
            let mut files = Vec::new();
            if dir.join(sub).is_dir() {
                list_rs(&dir.join(sub), &mut files, false)?;
            }
            roots.extend(files);
        }
        let mut seen = BTreeSet::new();
        let mut units = Vec::new();
        let mut root_index = 0;
        let mut lib_root = None;
        let lib_path = manifest
            .get("lib")
            .and_then(|l| l.get("path"))
            .and_then(|p| p.as_str())
            .unwrap_or("src/lib.rs");
        for root in roots {
            if !root.is_file() || !seen.insert(root.clone()) {
                continue;
            }
            if root == dir.join(lib_path) {
                lib_root = Some(root_index);
            }
            load(dir, &root, root_index, Vec::new(), &mut seen, &mut units)?;
            root_index += 1;
        }
        // Files no root reaches (a module behind `#[path]`, a stray file).
        let mut rest = Vec::new();
        for sub in ["src", "tests", "examples"] {
            if dir.join(sub).is_dir() {
                list_rs(&dir.join(sub), &mut rest, true)?;
            }
        }
        for file in rest {
            if seen.insert(file.clone()) {
                load(dir, &file, root_index, Vec::new(), &mut seen, &mut units)?;
                root_index += 1;
            }
        }
        let lib_name = lib_root.map(|_| {
            manifest
                .get("lib")
                .and_then(|l| l.get("name"))
                .or_else(|| manifest.get("package").and_then(|p| p.get("name")))
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .replace('-', "_")
        });
        Ok(Crate {
            units,
            lib_name,
            lib_root,
        })
    }
}

fn list_rs(dir: &Path, out: &mut Vec<PathBuf>, recursive: bool) -> Result<(), PortError> {
    let entries = fs::read_dir(dir).map_err(|source| PortError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            if recursive {
                list_rs(&path, out, true)?;
            } else if path.join("main.rs").is_file() {
                out.push(path.join("main.rs"));
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Loads `path` as module `module` of root `root`, then the files of the
/// `mod x;` it declares (also inside inline `mod y { .. }`).
fn load(
    dir: &Path,
    path: &Path,
    root: usize,
    module: Vec<String>,
    seen: &mut BTreeSet<PathBuf>,
    units: &mut Vec<Unit>,
) -> Result<(), PortError> {
    let text = read(path)?;
    let display = path.strip_prefix(dir).unwrap_or(path).display().to_string();
    let ast = parse(&display, &text)?;
    // Where this file's child modules live: next to a root or `mod.rs`,
    // in a directory named after the module otherwise.
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let base = if module.is_empty() || name == "mod" {
        path.parent().unwrap_or(dir).to_path_buf()
    } else {
        path.parent().unwrap_or(dir).join(name)
    };
    let mut children = Vec::new();
    declared_modules(&ast.items, &base, &module, &mut children);
    units.push(Unit {
        source: SourceFile::new(display, path.to_path_buf(), text),
        ast,
        root,
        module,
    });
    for (child_path, child_module) in children {
        if seen.insert(child_path.clone()) {
            load(dir, &child_path, root, child_module, seen, units)?;
        }
    }
    Ok(())
}

fn declared_modules(
    items: &[syn::Item],
    base: &Path,
    module: &[String],
    out: &mut Vec<(PathBuf, Vec<String>)>,
) {
    for item in items {
        let syn::Item::Mod(m) = item else { continue };
        let mut child = module.to_vec();
        child.push(m.ident.to_string());
        match &m.content {
            Some((_, items)) => {
                declared_modules(items, &base.join(m.ident.to_string()), &child, out)
            }
            None => {
                let flat = base.join(format!("{}.rs", m.ident));
                let nested = base.join(m.ident.to_string()).join("mod.rs");
                if flat.is_file() {
                    out.push((flat, child));
                } else if nested.is_file() {
                    out.push((nested, child));
                }
            }
        }
    }
}
