//! Build a small directory tree, walk it recursively with `read_dir`, and
//! print it sorted.

use green::compat::fs;
use green::compat::io::{self, Write};
use std::path::{Path, PathBuf};

#[green::green]
fn build_tree(root: &Path) -> io::Result<()> {
    fs::create_dir_all(root.join("src/bin"))?;
    fs::create_dir_all(root.join("docs"))?;
    fs::create_dir_all(root.join("empty"))?;
    fs::write(root.join("Cargo.toml"), "[package]\nname = \"demo\"\n")?;
    fs::write(root.join("src/lib.rs"), "pub fn answer() -> u32 { 42 }\n")?;
    fs::write(root.join("src/bin/tool.rs"), "fn main() {}\n")?;
    fs::write(root.join("docs/guide.md"), "# Guide\n\nRead me.\n")?;
    Ok(())
}

#[green::green]
fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, u64)>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        if entry.file_type()?.is_dir() {
            out.push((format!("{relative}/"), 0));
            walk(&path, root, out)?;
        } else {
            out.push((relative, entry.metadata()?.len()));
        }
    }
    Ok(())
}

#[green::main]
fn main() -> io::Result<()> {
    let root: PathBuf =
        std::env::temp_dir().join(format!("green-ports-walk-{}", std::process::id()));
    build_tree(&root)?;

    let mut entries = Vec::new();
    walk(&root, &root, &mut entries)?;
    entries.sort();

    let stdout = io::stdout();
    let mut out = stdout.lock();
    for (path, size) in &entries {
        writeln!(out, "{path:<20} {size}")?;
    }
    let total: u64 = entries.iter().map(|(_, size)| size).sum();
    writeln!(out, "{} entries, {} bytes", entries.len(), total)?;
    drop(out);

    fs::remove_dir_all(&root)?;
    println!("cleaned up: {}", !root.exists());
    Ok(())
}
