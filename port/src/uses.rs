//! The `use` rewrite: `std::X` becomes `green::compat::X` wherever compat
//! mirrors X, in `use` trees (groups, renames, globs) and in paths spelled
//! out in bodies (`std::thread::spawn(..)`). A tree mixing mirrored and
//! unmirrored items is split in two `use` items; only the `std` token (or,
//! for a split, the one item) is replaced, so the rest of the file keeps
//! its bytes.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{ItemUse, Path, UseTree};

use crate::mirror;
use crate::report::Report;
use crate::source::SourceFile;

/// The length of the longest prefix of `segments` (after `std`) that is a
/// module compat mirrors (0: none).
fn module_prefix(segments: &[String]) -> usize {
    let mut module_len = 0;
    for len in 1..=segments.len() {
        if mirror::is_module(&segments[..len].join("::")) {
            module_len = len;
        }
    }
    module_len
}

/// Whether a spelled-out `std::..` path names an item compat replaces (its
/// own type or fn, not a re-export of std's): only those change in bodies.
fn replaced(segments: &[String]) -> bool {
    let module_len = module_prefix(segments);
    if module_len == 0 || module_len == segments.len() {
        return module_len > 0 && mirrored(segments);
    }
    mirrored(segments)
        && !mirror::same_as_std(&segments[..module_len].join("::"), &segments[module_len])
}

/// Whether compat has the item a std path names: the longest mirrored
/// module prefix of `segments` (after `std`), then the next segment.
fn mirrored(segments: &[String]) -> bool {
    if segments.is_empty() {
        return false;
    }
    let module_len = module_prefix(segments);
    if module_len == 0 {
        // `std::thread` itself: a top-level mirrored module.
        return mirror::is_module(&segments[0]) && segments.len() == 1;
    }
    if module_len == segments.len() {
        return true;
    }
    mirror::mirrors(&segments[..module_len].join("::"), &segments[module_len])
}

/// One leaf of a use tree.
enum Leaf<'a> {
    Name(&'a syn::Ident),
    Rename(&'a syn::UseRename),
    Glob,
}

fn leaf_mirrored(path: &[String], leaf: &Leaf<'_>) -> bool {
    let mut full = path.to_vec();
    match leaf {
        Leaf::Name(ident) if *ident == "self" => {}
        Leaf::Name(ident) => full.push(ident.to_string()),
        Leaf::Rename(rename) if rename.ident == "self" => {}
        Leaf::Rename(rename) => full.push(rename.ident.to_string()),
        Leaf::Glob => return mirror::is_module(&full.join("::")) || mirrored(&full),
    }
    mirrored(&full)
}

/// The tree restricted to the leaves where `keep` says `want`, as text.
fn render(tree: &UseTree, path: &mut Vec<String>, want: bool) -> Option<String> {
    match tree {
        UseTree::Path(p) => {
            path.push(p.ident.to_string());
            let inner = render(&p.tree, path, want);
            path.pop();
            // `io::{self}` left alone in a split reads `io`.
            inner.map(|inner| match inner.strip_prefix("self") {
                Some("") => p.ident.to_string(),
                Some(rename) if rename.starts_with(" as ") => format!("{}{rename}", p.ident),
                _ => format!("{}::{inner}", p.ident),
            })
        }
        UseTree::Name(n) => {
            (leaf_mirrored(path, &Leaf::Name(&n.ident)) == want).then(|| n.ident.to_string())
        }
        UseTree::Rename(r) => (leaf_mirrored(path, &Leaf::Rename(r)) == want)
            .then(|| format!("{} as {}", r.ident, r.rename)),
        UseTree::Glob(_) => (leaf_mirrored(path, &Leaf::Glob) == want).then(|| "*".to_string()),
        UseTree::Group(g) => {
            let items: Vec<String> = g
                .items
                .iter()
                .filter_map(|item| render(item, path, want))
                .collect();
            match items.len() {
                0 => None,
                1 => Some(items[0].clone()),
                _ => Some(format!("{{{}}}", items.join(", "))),
            }
        }
    }
}

/// Globs of a std module compat mirrors only in part, for the report.
fn partial_globs(tree: &UseTree, path: &mut Vec<String>, out: &mut Vec<String>) {
    match tree {
        UseTree::Path(p) => {
            path.push(p.ident.to_string());
            partial_globs(&p.tree, path, out);
            path.pop();
        }
        UseTree::Group(g) => g.items.iter().for_each(|t| partial_globs(t, path, out)),
        UseTree::Glob(_) => {
            let module = path.join("::");
            if mirror::is_module(&module) && !mirror::mirrors_whole(&module) {
                out.push(module);
            }
        }
        _ => {}
    }
}

/// Plans the rewrite of every `use std::..` item and every spelled-out
/// `std::` path of `file`.
pub(crate) fn rewrite(file: &mut SourceFile, ast: &syn::File, report: &mut Report) {
    let mut collector = Collector {
        uses: Vec::new(),
        paths: Vec::new(),
    };
    collector.visit_file(ast);
    for item in collector.uses {
        rewrite_use(file, item, report);
    }
    for path in collector.paths {
        let std_ident = &path.segments[0].ident;
        let rest: Vec<String> = path
            .segments
            .iter()
            .skip(1)
            .map(|s| s.ident.to_string())
            .collect();
        if replaced(&rest) {
            let span = std_ident.span();
            let start = file.offset(span.start());
            let end = file.offset(span.end());
            file.replace(start, end, "green::compat");
            report.path_rewritten(&file.display, span.start().line);
        }
    }
}

fn rewrite_use(file: &mut SourceFile, item: &ItemUse, report: &mut Report) {
    let UseTree::Path(root) = &item.tree else {
        return;
    };
    if root.ident != "std" {
        return;
    }
    let line = root.ident.span().start().line;
    let mut path = Vec::new();
    let green = render(&root.tree, &mut path, true);
    let std = render(&root.tree, &mut path, false);
    let mut globs = Vec::new();
    partial_globs(&root.tree, &mut path, &mut globs);
    for module in globs {
        report.left(
            &file.display,
            line,
            format!(
                "`use std::{module}::*` now imports compat's `{module}`: std items compat does not mirror (see compat's docs) must be imported from std by name"
            ),
        );
    }
    match (green, std) {
        (None, _) => {}
        (Some(_), None) => {
            let span = root.ident.span();
            let start = file.offset(span.start());
            let end = file.offset(span.end());
            file.replace(start, end, "green::compat");
            report.use_rewritten(&file.display, line);
        }
        (Some(green), Some(std)) => {
            // Split: the attributes and visibility are repeated on both.
            let item_start = file.offset(item.span().start());
            let use_start = file.offset(item.use_token.span.start());
            let end = file.offset(item.semi_token.span.end());
            let head = file.text[item_start..use_start].to_string();
            let indent = file.indent_before(item_start).unwrap_or("").to_string();
            let leading = if item.leading_colon.is_some() {
                "::"
            } else {
                ""
            };
            let text = format!(
                "{head}use {leading}green::compat::{green};\n{indent}{head}use {leading}std::{std};"
            );
            file.replace(item_start, end, text);
            report.use_rewritten(&file.display, line);
        }
    }
}

/// Collects the `use` items and the spelled-out `std::..` paths.
struct Collector<'ast> {
    uses: Vec<&'ast ItemUse>,
    paths: Vec<&'ast Path>,
}

impl<'ast> Visit<'ast> for Collector<'ast> {
    fn visit_item_use(&mut self, item: &'ast ItemUse) {
        self.uses.push(item);
    }

    fn visit_path(&mut self, path: &'ast Path) {
        if path.segments.len() >= 2 && path.segments[0].ident == "std" {
            self.paths.push(path);
            return;
        }
        visit::visit_path(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(src: &str) -> String {
        let mut file = SourceFile::new("x.rs".into(), "x.rs".into(), src.to_string());
        let ast = syn::parse_file(src).unwrap();
        rewrite(&mut file, &ast, &mut Report::default());
        file.edited()
    }

    #[test]
    fn groups_renames_and_splits() {
        assert_eq!(
            port("use std::io::{self, Write as W};\n"),
            "use green::compat::io::{self, Write as W};\n"
        );
        assert_eq!(
            port("    use std::{collections::HashMap, net::TcpStream};\n"),
            "    use green::compat::net::TcpStream;\n    use std::collections::HashMap;\n"
        );
        assert_eq!(
            port("use std::io::{self, IsTerminal};\n"),
            "use green::compat::io;\nuse std::io::IsTerminal;\n"
        );
        assert_eq!(port("use std::fmt;\n"), "use std::fmt;\n");
        assert_eq!(
            port("use std::sync::atomic::*;\n"),
            "use green::compat::sync::atomic::*;\n"
        );
    }

    #[test]
    fn spelled_out_paths() {
        assert_eq!(
            port(
                "fn f() { let _ = std::thread::spawn(|| ()); std::collections::HashMap::<u8, u8>::new(); }"
            ),
            "fn f() { let _ = green::compat::thread::spawn(|| ()); std::collections::HashMap::<u8, u8>::new(); }"
        );
        // A std item compat re-exports is the same item: left as written.
        assert_eq!(
            port("fn f() -> std::io::Result<()> { Ok(()) }"),
            "fn f() -> std::io::Result<()> { Ok(()) }"
        );
        assert_eq!(
            port("fn f() { std::net::TcpStream::connect(a); }"),
            "fn f() { green::compat::net::TcpStream::connect(a); }"
        );
    }
}
