//! The summary the tool prints on stderr: what it changed and why, and what
//! it leaves to the user, each with `file:line` so an editor can jump there.

use std::fmt;

/// One fn the tool marks green.
#[derive(Debug, Clone)]
pub(crate) struct Marked {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) name: String,
    pub(crate) attribute: String,
    pub(crate) reason: String,
}

/// Something the tool could not decide or cannot change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Left {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) what: String,
}

/// Everything one run did and left.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) marked: Vec<Marked>,
    pub(crate) uses: Vec<(String, usize)>,
    pub(crate) paths: Vec<(String, usize)>,
    pub(crate) left: Vec<Left>,
    pub(crate) notes: Vec<Left>,
    pub(crate) manifest: Option<String>,
    pub(crate) files_changed: Vec<String>,
}

impl Report {
    pub(crate) fn use_rewritten(&mut self, file: &str, line: usize) {
        self.uses.push((file.to_string(), line));
    }

    pub(crate) fn path_rewritten(&mut self, file: &str, line: usize) {
        self.paths.push((file.to_string(), line));
    }

    pub(crate) fn left(&mut self, file: &str, line: usize, what: String) {
        let left = Left {
            file: file.to_string(),
            line,
            what,
        };
        if !self.left.contains(&left) {
            self.left.push(left);
        }
    }

    /// A decision the tool made on a guess (an ambiguous method name).
    pub(crate) fn note(&mut self, file: &str, line: usize, what: String) {
        let note = Left {
            file: file.to_string(),
            line,
            what,
        };
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "green port: {} use item(s) and {} path(s) rewritten to green::compat, {} fn(s) marked, {} item(s) left for you",
            self.uses.len(),
            self.paths.len(),
            self.marked.len(),
            self.left.len()
        )?;
        if !self.marked.is_empty() {
            writeln!(f, "marked:")?;
            for m in &self.marked {
                writeln!(
                    f,
                    "  {}:{}: {} fn {}: {}",
                    m.file, m.line, m.attribute, m.name, m.reason
                )?;
            }
        }
        if !self.uses.is_empty() || !self.paths.is_empty() {
            writeln!(f, "rewritten:")?;
            for (file, line) in &self.uses {
                writeln!(f, "  {file}:{line}: use std:: -> green::compat::")?;
            }
            for (file, line) in &self.paths {
                writeln!(f, "  {file}:{line}: path std:: -> green::compat::")?;
            }
        }
        if let Some(manifest) = &self.manifest {
            writeln!(f, "manifest:\n  {manifest}")?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "guessed:")?;
            for n in &self.notes {
                writeln!(f, "  {}:{}: {}", n.file, n.line, n.what)?;
            }
        }
        if !self.left.is_empty() {
            let mut left = self.left.clone();
            left.sort();
            writeln!(f, "left for you:")?;
            for l in &left {
                writeln!(f, "  {}:{}: {}", l.file, l.line, l.what)?;
            }
        }
        Ok(())
    }
}
