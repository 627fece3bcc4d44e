//! The harness of the drop-in corpus, shared by `green-ports` (edition 2024)
//! and `green-ports-2021` (edition 2021).
//!
//! Every `std/<name>.rs` is a std program and `green/<name>.rs` its green
//! port. The list of programs is the directory listing, so adding a pair of
//! files (and its two `[[bin]]` entries, which [`every_program_has_its_bins`]
//! checks) is enough. Three checks:
//!
//! - [`ports_differ_only_in_use_lines_and_attributes`]: both files parsed with
//!   `syn`; every `use` item and every green attribute (`#[green]`,
//!   `#[green::green]`, `#[green::main]`, `#[green::test]`) is deleted at every
//!   nesting level, and what is left must be the same tokens. A program listed
//!   in `PORTS.md` with an extra edit has its edits undone in the green text
//!   first (each must occur exactly once), so it may differ in those and
//!   nothing else.
//! - [`ports_behave_as_std`]: the std bin and the green bin run, each killed
//!   after 30 s; their stdout and exit status must be equal. A green bin
//!   behind the `pending` feature (it does not compile yet) is reported as
//!   skipped unless the feature is on.
//! - [`std_programs_are_deterministic`]: each std bin run twice gives the same
//!   stdout, so a difference in the previous check is green's.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// How long one run of one program may take before it is killed.
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

/// Programs run at once by the behaviour checks.
const PARALLEL_RUNS: usize = 4;

/// The directory holding `std/`, `green/` and `PORTS.md`.
fn corpus_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("std").is_dir() {
        manifest.to_path_buf()
    } else {
        manifest.parent().unwrap().to_path_buf()
    }
}

/// The prefix after `std`/`green` in this crate's bin names: `std-x` in the
/// edition-2024 crate, `std2021-x` in the edition-2021 one (bins of one
/// workspace must not share a file name).
fn edition_tag() -> &'static str {
    if env!("CARGO_PKG_NAME").ends_with("2021") {
        "2021"
    } else {
        ""
    }
}

/// The program names: the stems of `std/*.rs`.
fn programs() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(corpus_dir().join("std"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 32,
        "the corpus holds {} programs",
        names.len()
    );
    names
}

/// A `[[bin]]` entry of this crate's Cargo.toml.
#[derive(Debug)]
struct Bin {
    path: String,
    pending: bool,
}

/// The `[[bin]]` entries of this crate's Cargo.toml, by name (a small
/// line-based reader: `name`, `path` and `required-features` lines).
fn bins() -> BTreeMap<String, Bin> {
    let manifest =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let mut bins = BTreeMap::new();
    let mut current: Option<(String, Bin)> = None;
    let mut in_bin = false;
    let value = |line: &str| {
        line.split_once('=')
            .unwrap()
            .1
            .trim()
            .trim_matches('"')
            .to_string()
    };
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            bins.extend(current.take());
            in_bin = line == "[[bin]]";
            if in_bin {
                current = Some((
                    String::new(),
                    Bin {
                        path: String::new(),
                        pending: false,
                    },
                ));
            }
        } else if let (true, Some((name, bin))) = (in_bin, current.as_mut()) {
            if line.starts_with("name") {
                *name = value(line);
            } else if line.starts_with("path") {
                bin.path = value(line);
            } else if line.starts_with("required-features") {
                bin.pending = line.contains("\"pending\"");
            }
        }
    }
    bins.extend(current);
    bins
}

fn bin_name(side: &str, program: &str) -> String {
    format!("{side}{}-{program}", edition_tag())
}

#[test]
fn every_program_has_its_bins() {
    let bins = bins();
    let rel = if corpus_dir() == Path::new(env!("CARGO_MANIFEST_DIR")) {
        ""
    } else {
        "../"
    };
    let mut missing = Vec::new();
    for program in programs() {
        assert!(
            corpus_dir()
                .join("green")
                .join(format!("{program}.rs"))
                .is_file(),
            "std/{program}.rs has no port green/{program}.rs"
        );
        for side in ["std", "green"] {
            let name = bin_name(side, &program);
            let path = format!("{rel}{side}/{program}.rs");
            match bins.get(&name) {
                Some(bin) => assert_eq!(bin.path, path, "[[bin]] {name} builds the wrong file"),
                None => missing.push(format!("[[bin]]\nname = \"{name}\"\npath = \"{path}\"\n")),
            }
        }
        assert!(
            !bins[&bin_name("std", &program)].pending,
            "std programs always build"
        );
    }
    assert!(
        missing.is_empty(),
        "add to {}/Cargo.toml:\n{}",
        env!("CARGO_MANIFEST_DIR"),
        missing.join("\n")
    );
    let green_files = fs::read_dir(corpus_dir().join("green")).unwrap().count();
    assert_eq!(
        green_files,
        programs().len(),
        "every green/ file has a std/ original"
    );
}

/// Deletes `use` items at every nesting level.
struct DeleteUses;

impl VisitMut for DeleteUses {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        file.items.retain(|i| !matches!(i, syn::Item::Use(_)));
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            items.retain(|i| !matches!(i, syn::Item::Use(_)));
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        block
            .stmts
            .retain(|s| !matches!(s, syn::Stmt::Item(syn::Item::Use(_))));
        visit_mut::visit_block_mut(self, block);
    }
}

/// Whether the bracketed body of an outer attribute is a green attribute:
/// `green`, `green::green`, `green::main` or `green::test`, with or without
/// arguments (`#[green(boxed)]`).
fn is_green_attribute(body: &TokenStream) -> bool {
    let tokens: Vec<TokenTree> = body.clone().into_iter().collect();
    let path_end = match &tokens[..] {
        [
            TokenTree::Ident(g),
            TokenTree::Punct(c1),
            TokenTree::Punct(c2),
            TokenTree::Ident(what),
            ..,
        ] if g == "green" && c1.as_char() == ':' && c2.as_char() == ':' => {
            if !["green", "main", "test"].iter().any(|w| what == w) {
                return false;
            }
            4
        }
        [TokenTree::Ident(g), ..] if g == "green" => 1,
        _ => return false,
    };
    match &tokens[path_end..] {
        [] => true,
        [TokenTree::Group(args)] => args.delimiter() == Delimiter::Parenthesis,
        _ => false,
    }
}

/// `tokens` without green attributes, at every nesting level (items, impl
/// methods, statements, closures ...): `syn` keeps attributes in a dozen
/// places, the tokens in one.
fn strip_green_attributes(tokens: TokenStream) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let is_green = match (&tokens[i], tokens.get(i + 1)) {
            (TokenTree::Punct(hash), Some(TokenTree::Group(body))) => {
                hash.as_char() == '#'
                    && body.delimiter() == Delimiter::Bracket
                    && is_green_attribute(&body.stream())
            }
            _ => false,
        };
        if is_green {
            i += 2;
            continue;
        }
        out.push(match &tokens[i] {
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), strip_green_attributes(g.stream()));
                inner.set_span(g.span());
                TokenTree::Group(inner)
            }
            other => other.clone(),
        });
        i += 1;
    }
    out.into_iter().collect()
}

/// The tokens of `source` without `use` items and green attributes, one
/// string per item so that a difference is easy to find.
fn normalized(source: &str, what: &str) -> Vec<String> {
    let mut file = syn::parse_file(source).unwrap_or_else(|e| panic!("{what} does not parse: {e}"));
    DeleteUses.visit_file_mut(&mut file);
    let mut out: Vec<String> = file
        .attrs
        .iter()
        .map(|a| a.to_token_stream().to_string())
        .collect();
    out.extend(
        file.items
            .iter()
            .map(|i| strip_green_attributes(i.to_token_stream()).to_string()),
    );
    out
}

/// An extra edit of a port, from PORTS.md: the std text, the green text.
#[derive(Debug)]
struct Edit {
    std: String,
    green: String,
}

/// The extra edits listed in PORTS.md, by program: under a `### <name>`
/// heading, each fenced block tagged `edit` holds the std text, a line `=>`,
/// then the green text.
fn manifest_edits() -> BTreeMap<String, Vec<Edit>> {
    let manifest = fs::read_to_string(corpus_dir().join("PORTS.md")).unwrap();
    let mut edits: BTreeMap<String, Vec<Edit>> = BTreeMap::new();
    let mut program = None;
    let mut block: Option<Vec<&str>> = None;
    for line in manifest.lines() {
        if let Some(lines) = &mut block {
            if line.trim_end() == "```" {
                let lines = block.take().unwrap();
                let arrow = lines
                    .iter()
                    .position(|l| l.trim() == "=>")
                    .expect("an edit block has a `=>` line");
                let name: &String = program
                    .as_ref()
                    .expect("an edit block under a `### program` heading");
                edits.entry(name.clone()).or_default().push(Edit {
                    std: lines[..arrow].join("\n"),
                    green: lines[arrow + 1..].join("\n"),
                });
            } else {
                lines.push(line);
            }
        } else if let Some(name) = line.strip_prefix("### ") {
            program = Some(name.trim().trim_matches('`').to_string());
        } else if line.trim_end() == "```edit" {
            block = Some(Vec::new());
        }
    }
    edits
}

#[test]
fn ports_differ_only_in_use_lines_and_attributes() {
    let edits = manifest_edits();
    let programs = programs();
    for name in edits.keys() {
        assert!(
            programs.contains(name),
            "PORTS.md lists edits of an unknown program {name}"
        );
    }
    let mut failures = Vec::new();
    let (mut drop_in, mut edited) = (0, 0);
    for program in &programs {
        let std_src = fs::read_to_string(corpus_dir().join(format!("std/{program}.rs"))).unwrap();
        let mut green_src =
            fs::read_to_string(corpus_dir().join(format!("green/{program}.rs"))).unwrap();
        for edit in edits.get(program).into_iter().flatten() {
            assert_eq!(
                green_src.matches(&edit.green).count(),
                1,
                "{program}: the green text of an edit, once:\n{}",
                edit.green
            );
            assert!(
                std_src.contains(&edit.std),
                "{program}: the std text of an edit:\n{}",
                edit.std
            );
            green_src = green_src.replacen(&edit.green, &edit.std, 1);
        }
        if edits.contains_key(program) {
            edited += 1
        } else {
            drop_in += 1
        }
        let std_items = normalized(&std_src, &format!("std/{program}.rs"));
        let green_items = normalized(&green_src, &format!("green/{program}.rs"));
        if std_items != green_items {
            let first = std_items
                .iter()
                .zip(&green_items)
                .position(|(a, b)| a != b)
                .unwrap_or(std_items.len().min(green_items.len()));
            failures.push(format!(
                "{program}: differs beyond use lines and green attributes, first at item {first}:\n  std:   {}\n  green: {}",
                std_items.get(first).map_or("(none)", String::as_str),
                green_items.get(first).map_or("(none)", String::as_str),
            ));
        }
    }
    println!("{drop_in} drop-in ports, {edited} with the extra edits PORTS.md lists");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// What a run gave: stdout and how it ended.
#[derive(Debug, PartialEq)]
struct Outcome {
    stdout: String,
    status: Option<i32>,
}

/// Runs a bin of this crate, killed after [`RUN_TIMEOUT`].
fn run(bin: &str) -> Result<Outcome, String> {
    // Integration tests live in target/<profile>/deps; bins one level up.
    let exe = std::env::current_exe().unwrap();
    let path = exe.parent().unwrap().parent().unwrap().join(bin);
    let mut child = Command::new(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{bin}: cannot start {}: {e}", path.display()))?;
    let mut stdout_pipe = child.stdout.take().unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let stdout = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout_pipe.read_to_end(&mut s);
        s
    });
    let stderr = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr_pipe.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("{bin}: killed after {RUN_TIMEOUT:?}"));
        }
        thread::sleep(Duration::from_millis(10));
    };
    let stdout = String::from_utf8_lossy(&stdout.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    if status.code().is_none() {
        return Err(format!(
            "{bin}: ended by a signal ({status}); stderr:\n{stderr}"
        ));
    }
    Ok(Outcome {
        stdout,
        status: status.code(),
    })
}

/// Runs `check` on every program, [`PARALLEL_RUNS`] at a time, and gives
/// the failures.
fn for_each_program(check: impl Fn(&str) -> Result<(), String> + Sync) -> Vec<String> {
    let programs = programs();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    thread::scope(|s| {
        for _ in 0..PARALLEL_RUNS {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(program) = programs.get(i) else {
                        break;
                    };
                    if let Err(e) = check(program) {
                        failures.lock().unwrap().push(e);
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    failures
}

#[test]
fn ports_behave_as_std() {
    let bins = bins();
    let skipped = std::sync::Mutex::new(Vec::new());
    let failures = for_each_program(|program| {
        let green = bin_name("green", program);
        if bins[&green].pending && !cfg!(feature = "pending") {
            skipped.lock().unwrap().push(program.to_string());
            return Ok(());
        }
        let expected = run(&bin_name("std", program))?;
        let got = run(&green)?;
        if expected == got {
            Ok(())
        } else {
            Err(format!(
                "{program}: green differs from std\n--- std (exit {:?})\n{}--- green (exit {:?})\n{}",
                expected.status, expected.stdout, got.status, got.stdout
            ))
        }
    });
    let skipped = skipped.into_inner().unwrap();
    println!(
        "{} ports ran as std; {} pending (green bin not built without `--features pending`): {}",
        programs().len() - skipped.len() - failures.len(),
        skipped.len(),
        skipped.join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn std_programs_are_deterministic() {
    let failures = for_each_program(|program| {
        let bin = bin_name("std", program);
        let first = run(&bin)?;
        let second = run(&bin)?;
        if first.status != Some(0) {
            return Err(format!("{program}: std exits with {:?}", first.status));
        }
        if first == second {
            Ok(())
        } else {
            Err(format!(
                "{program}: two runs differ\n{}\n---\n{}",
                first.stdout, second.stdout
            ))
        }
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
