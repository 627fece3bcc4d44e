//! `cargo green port`: rewrites a std crate (or one file) into a green one,
//! the way `cargo fix --edition` migrates a crate. gevent's
//! `monkey.patch_all()`, done once as a source edit.
//!
//! `use std::X` becomes `use green::compat::X` for every X compat mirrors;
//! every fn that blocks, or calls one that does, transitively, gets
//! `#[green::green]` (`main` `#[green::main]`, a green `#[test]`
//! `#[green::test]`); `Cargo.toml` gets the `green` dependency. What the
//! tool cannot decide is reported with `file:line` and the fix. See
//! `docs/porting-tool.md`.
//!
//! Exit status: 0 done (or nothing to do), 1 `--check` found changes to
//! make, 2 an error.

mod cli;
mod error;
mod format;
mod graph;
mod krate;
mod manifest;
mod mark;
mod mirror;
mod port;
mod report;
mod source;
mod uses;

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "-h" || a == "--help") {
        println!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match port::run(&options) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if options.diff {
        for change in &outcome.changes {
            let diff = similar::TextDiff::from_lines(&change.before, &change.after);
            let text = diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{}", change.display),
                    &format!("b/{}", change.display),
                )
                .to_string();
            print!("{text}");
            if !text.ends_with('\n') {
                println!();
            }
        }
    }
    eprint!("{}", outcome.report);
    if options.check && !outcome.changes.is_empty() {
        eprintln!(
            "green port --check: {} file(s) would change",
            outcome.changes.len()
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
