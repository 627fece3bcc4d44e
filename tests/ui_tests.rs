//! trybuild cases of the `#[green]` rewrite: `tests/ui/pass` compile and run,
//! `tests/ui/fail` fail to compile with the reviewed `.stderr` beside them.
//!
//! The `.stderr` snapshots hold rustc's own wording, which changes between
//! releases, so they are compared only on the toolchain they were made with:
//! the version in `tests/ui/toolchain` (as tokio runs its trybuild tests on one
//! pinned toolchain). On any other rustc the `fail` cases are skipped with a
//! notice; `GREEN_UI=1` compares them anyway. The `pass` cases run on every
//! toolchain: what must compile does not depend on rustc's wording.
//!
//! To move the pin or refresh the snapshots, see README "Set-up".

use std::io::Write;
use std::process::Command;

/// The rustc release the `.stderr` snapshots were made with, e.g. `1.95.0`.
const PINNED: &str = include_str!("ui/toolchain");

#[test]
fn ui() {
    let pinned = PINNED.trim();
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");

    let forced = std::env::var_os("GREEN_UI").is_some_and(|v| v == "1");
    match rustc_release() {
        Some(release) if release == pinned || forced => {
            t.compile_fail("tests/ui/fail/*.rs");
        }
        found => {
            // Straight to stderr: libtest captures `eprintln!` of passing tests.
            let found = found.unwrap_or_else(|| "an unknown rustc".to_string());
            let _ = writeln!(
                std::io::stderr(),
                "note: tests/ui/fail skipped: its .stderr snapshots are for rustc {pinned}, \
                 this is {found}; run `cargo +{pinned} test --test ui_tests` \
                 or set GREEN_UI=1 to compare them anyway"
            );
        }
    }
}

/// The `release:` line of `rustc -vV` for the rustc that trybuild's cargo will
/// use (`$RUSTC`, else `rustc` under the same rustup toolchain as this test).
fn rustc_release() -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).arg("-vV").output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("release: "))
        .map(|release| release.trim().to_string())
}
