//! The drop-in corpus (tests/ports) through the tool, one file at a time:
//! the port must be the hand port (token for token, with PORTS.md's extra
//! edits undone), a second run must change nothing, and without rustfmt
//! every line the port does not change must keep its bytes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quote::ToTokens;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus() -> PathBuf {
    workspace().join("tests/ports")
}

/// A fresh directory of its own under the temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("green-port-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-green"))
        .args(args)
        .output()
        .expect("the tool runs")
}

/// The corpus programs, sorted.
fn programs() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(corpus().join("std"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the corpus has its programs: {names:?}");
    names
}

/// PORTS.md's extra edits: program -> (std text, green text).
fn extra_edits() -> Vec<(String, String, String)> {
    let text = fs::read_to_string(corpus().join("PORTS.md")).unwrap();
    let mut out = Vec::new();
    let mut program = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(name) = line.strip_prefix("### `") {
            program = name.trim_end_matches('`').to_string();
        } else if line == "```edit" {
            let mut before = Vec::new();
            let mut after = Vec::new();
            let mut past = false;
            for line in lines.by_ref() {
                match line {
                    "```" => break,
                    "=>" => past = true,
                    _ if past => after.push(line),
                    _ => before.push(line),
                }
            }
            out.push((program.clone(), before.join("\n"), after.join("\n")));
        }
    }
    out
}

fn tokens(text: &str) -> String {
    syn::parse_file(text)
        .expect("parses")
        .to_token_stream()
        .to_string()
}

#[test]
fn corpus_ports_are_the_hand_ports() {
    let dir = scratch("corpus");
    fs::copy(corpus().join("rustfmt.toml"), dir.join("rustfmt.toml")).unwrap();
    let edits = extra_edits();
    assert!(edits.len() >= 7, "PORTS.md lists its extra edits");
    let mut reports = Vec::new();
    for name in programs() {
        let file = dir.join(format!("{name}.rs"));
        fs::copy(corpus().join(format!("std/{name}.rs")), &file).unwrap();
        let out = tool(&["port", file.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {out:?}");
        let ported = fs::read_to_string(&file).unwrap();
        let mut hand = fs::read_to_string(corpus().join(format!("green/{name}.rs"))).unwrap();
        let mine: Vec<_> = edits.iter().filter(|(p, _, _)| *p == name).collect();
        for (_, before, after) in &mine {
            assert_eq!(hand.matches(after.as_str()).count(), 1, "{name}: {after}");
            hand = hand.replace(after.as_str(), before);
        }
        assert_eq!(
            tokens(&ported),
            tokens(&hand),
            "{name}: the port differs from the hand port"
        );
        if mine.is_empty() {
            // rustfmt on (the corpus has a rustfmt.toml): byte for byte.
            assert_eq!(ported, hand, "{name}");
        }
        reports.push((
            name.clone(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));

        // Idempotence: a second run changes nothing.
        let again = tool(&["port", file.to_str().unwrap(), "--check"]);
        assert_eq!(again.status.code(), Some(0), "{name}: {again:?}");
    }
    // The programs that need an edit beyond uses and attributes say so
    // before the user compiles, naming the fix.
    for (name, report) in &reports {
        let drop_line = match name.as_str() {
            "worker_pool" => Some(58),
            "book_threadpool" => Some(50),
            _ => None,
        };
        if let Some(line) = drop_line {
            assert!(
                report.contains(&format!("{name}.rs:{line}: `impl Drop for"))
                    && report.contains("fn shutdown(mut self)"),
                "{name}: {report}"
            );
        } else {
            assert!(!report.contains("impl Drop"), "{name}: {report}");
        }
    }
    let book = &reports
        .iter()
        .find(|(n, _)| n == "book_threadpool")
        .unwrap()
        .1;
    assert!(
        book.contains("book_threadpool.rs:16: a `dyn Fn*` type") && book.contains("BoxGreen"),
        "{book}"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// Without rustfmt, the port inserts attribute lines and rewrites `use`
/// lines; every other line keeps its bytes, comments included.
#[test]
fn lines_the_port_does_not_change_keep_their_bytes() {
    let dir = scratch("bytes");
    for name in programs() {
        let file = dir.join(format!("{name}.rs"));
        let original = fs::read_to_string(corpus().join(format!("std/{name}.rs"))).unwrap();
        fs::write(&file, &original).unwrap();
        let out = tool(&["port", file.to_str().unwrap(), "--no-rustfmt"]);
        assert!(out.status.success(), "{name}: {out:?}");
        let ported = fs::read_to_string(&file).unwrap();
        let diff = similar::TextDiff::from_lines(&original, &ported);
        for change in diff.iter_all_changes() {
            let line = change.value().trim();
            match change.tag() {
                similar::ChangeTag::Equal => {}
                similar::ChangeTag::Delete => {
                    assert!(line.starts_with("use std::"), "{name}: removed {line:?}");
                }
                similar::ChangeTag::Insert => assert!(
                    line.starts_with("use green::compat::")
                        || line.starts_with("use std::")
                        || line == "#[green::green]"
                        || line == "#[green::main]",
                    "{name}: added {line:?}"
                ),
            }
        }
        // The unchanged lines, in order, are the original's minus its `use std::` lines.
        let kept: Vec<&str> = original
            .lines()
            .filter(|l| !l.trim().starts_with("use std::"))
            .collect();
        let left: Vec<&str> = ported
            .lines()
            .filter(|l| {
                let t = l.trim();
                !t.starts_with("use std::")
                    && !t.starts_with("use green::compat::")
                    && !t.starts_with("#[green::")
            })
            .collect();
        assert_eq!(kept, left, "{name}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn comments_and_odd_formatting_survive() {
    let dir = scratch("comments");
    let file = dir.join("odd.rs");
    let original = "\
// A file formatted by hand.
use std::{collections::HashMap, /* sockets */ net::TcpStream};
use std::io::Read;   // trailing comment

/// Reads a peer.
#[inline(never)]
pub(crate)   fn  fetch( addr :&str )->usize{ // odd spacing
    let mut s = String::new();
    let _map: HashMap<u8, u8> = HashMap::new();
    TcpStream::connect(addr).unwrap().read_to_string(&mut s).unwrap();
    s.len()   /* tail */
}

fn plain(x: u8) -> u8 { x + 1 } // stays plain

fn main() { println!(\"{}\", fetch(\"127.0.0.1:1\") + plain(1) as usize); }
";
    fs::write(&file, original).unwrap();
    let out = tool(&["port", file.to_str().unwrap(), "--no-rustfmt"]);
    assert!(out.status.success(), "{out:?}");
    let ported = fs::read_to_string(&file).unwrap();
    assert_eq!(
        ported,
        original
            .replace(
                "use std::{collections::HashMap, /* sockets */ net::TcpStream};",
                "use green::compat::net::TcpStream;\nuse std::collections::HashMap;"
            )
            .replace("use std::io::Read;", "use green::compat::io::Read;")
            .replace("#[inline(never)]\n", "#[inline(never)]\n#[green::green]\n")
            .replace("fn main() {", "#[green::main]\nfn main() {")
    );
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        report.contains("odd.rs:7: #[green::green] fn fetch: calls .read_to_string() (line 10)"),
        "{report}"
    );
    assert!(!report.contains("fn plain"), "{report}");
    let again = tool(&["port", file.to_str().unwrap(), "--check", "--no-rustfmt"]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    let _ = fs::remove_dir_all(&dir);
}
