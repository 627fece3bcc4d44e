//! One source file being ported: its text, where its lines start, and the
//! edits planned on it. Edits are byte ranges of the original text replaced
//! by new text, so everything between them (comments, blank lines, the
//! author's formatting) is kept byte for byte.

use std::path::PathBuf;

use proc_macro2::LineColumn;

/// A planned replacement of `start..end` (bytes of the original text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: String,
}

/// A file of the crate, parsed.
#[derive(Debug)]
pub(crate) struct SourceFile {
    /// The path as the report prints it (relative to the crate when possible).
    pub(crate) display: String,
    /// Where the file is read from and written to.
    pub(crate) path: PathBuf,
    pub(crate) text: String,
    /// Byte offset of the start of each line (line 1 at index 0).
    line_starts: Vec<usize>,
    pub(crate) edits: Vec<Edit>,
}

impl SourceFile {
    pub(crate) fn new(display: String, path: PathBuf, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        SourceFile {
            display,
            path,
            text,
            line_starts,
            edits: Vec::new(),
        }
    }

    /// The byte offset of a span position (proc-macro2 counts lines from 1
    /// and columns in chars).
    pub(crate) fn offset(&self, at: LineColumn) -> usize {
        let Some(&line_start) = self.line_starts.get(at.line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line = &self.text[line_start..];
        line.char_indices()
            .nth(at.column)
            .map_or(self.text.len(), |(i, _)| line_start + i)
    }

    /// The start of the line holding `offset`.
    pub(crate) fn line_start(&self, offset: usize) -> usize {
        self.text[..offset].rfind('\n').map_or(0, |at| at + 1)
    }

    /// The whitespace that opens the line holding `offset`, when only
    /// whitespace precedes `offset` on it.
    pub(crate) fn indent_before(&self, offset: usize) -> Option<&str> {
        let before = &self.text[self.line_start(offset)..offset];
        before.chars().all(char::is_whitespace).then_some(before)
    }

    pub(crate) fn replace(&mut self, start: usize, end: usize, text: impl Into<String>) {
        let edit = Edit {
            start,
            end,
            text: text.into(),
        };
        if !self.edits.contains(&edit) {
            self.edits.push(edit);
        }
    }

    pub(crate) fn insert(&mut self, at: usize, text: impl Into<String>) {
        self.replace(at, at, text);
    }

    /// The text with every edit applied. Overlapping edits keep the first
    /// planned (a `use` item rewritten whole wins over an edit inside it).
    pub(crate) fn edited(&self) -> String {
        let mut edits = self.edits.clone();
        edits.sort_by_key(|e| (e.start, e.end));
        let mut out = String::with_capacity(self.text.len() + 256);
        let mut at = 0;
        for edit in edits {
            if edit.start < at {
                continue;
            }
            out.push_str(&self.text[at..edit.start]);
            out.push_str(&edit.text);
            at = edit.end;
        }
        out.push_str(&self.text[at..]);
        out
    }
}
