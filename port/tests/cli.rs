//! The command line: `--check` exit codes, `--diff` output, `--out DIR`,
//! the `Cargo.toml` edit (comments kept, each dependency source), typed
//! errors with file:line and exit status 2.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("green-port-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Every file under `dir`, path -> bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-green"))
        .args(args)
        .output()
        .expect("the tool runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn check_and_diff_write_nothing() {
    let dir = scratch("check");
    copy_dir(&fixture(), &dir);
    let before = snapshot(&dir);
    let path = dir.to_str().unwrap();

    let check = tool(&["port", path, "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("would change"),
        "{}",
        stderr(&check)
    );

    // `cargo green port ..` runs `cargo-green green port ..`.
    let diff = tool(&["green", "port", path, "--diff"]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    let text = String::from_utf8(diff.stdout).unwrap();
    for expected in [
        "--- a/src/main.rs\n+++ b/src/main.rs\n",
        "\n-use std::sync::Arc;\n-use std::thread;\n+use green::compat::sync::Arc;\n+use green::compat::thread;\n",
        "\n+#[green::main]\n fn main() {\n",
        "\n-#[test]\n+#[green::test]\n fn round_trip() {\n",
        "\n+    #[green::green(boxed)]\n     fn set(&self, key: &str, value: &str);\n",
        "--- a/Cargo.toml\n+++ b/Cargo.toml\n",
        "\n+green = \"0.1\"\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // The plain fn, the plain test and the plain trait method stay as written.
    let lines: Vec<&str> = text.lines().collect();
    for plain in [" fn greeting(", " fn plain_test(", "     fn name(&self)"] {
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with(plain) {
                assert!(!lines[i - 1].starts_with('+'), "{plain} marked:\n{text}");
            }
        }
    }

    assert_eq!(snapshot(&dir), before, "--check and --diff wrote");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn out_dir_and_manifest_edit() {
    let dir = scratch("out");
    let source = dir.join("src-crate");
    let out = dir.join("ported");
    copy_dir(&fixture(), &source);
    let before = snapshot(&source);
    let run = tool(&[
        "port",
        source.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--green-version",
        "0.1.0",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(snapshot(&source), before, "--out changed the source");

    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let original = fs::read_to_string(source.join("Cargo.toml")).unwrap();
    // Comments and order survive; green is added at the end of [dependencies].
    assert_eq!(
        manifest,
        original.replace("[dependencies]\n", "[dependencies]\ngreen = \"0.1.0\"\n")
    );
    let main = fs::read_to_string(out.join("src/main.rs")).unwrap();
    assert!(main.contains("use green::compat::thread;"), "{main}");

    let report = stderr(&run);
    for expected in [
        "src/main.rs:17: #[green::main] fn main: calls thread::spawn (line 22)",
        "src/main.rs:40: #[green::test] fn round_trip:",
        "src/store/mod.rs:8: #[green::green(boxed)] fn Store::set: Store::set is green in MemoryStore::set",
        "src/store/mod.rs:39: #[green::green(boxed)] fn NullStore::set:",
        "src/net.rs:39: #[green::green] fn answer: calls green ",
        "Cargo.toml: [dependencies] green = \"0.1.0\"",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in\n{report}"
        );
    }

    // A second run over the port: nothing to do.
    let again = tool(&["port", out.to_str().unwrap(), "--check"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));

    // Each dependency source.
    for (flag, value, line) in [
        (
            "--green-path",
            "../green",
            "green = { path = \"../green\" }",
        ),
        (
            "--green-git",
            "https://example.invalid/green.git",
            "green = { git = \"https://example.invalid/green.git\" }",
        ),
    ] {
        let target = dir.join(flag.trim_start_matches('-'));
        let run = tool(&[
            "port",
            source.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
            flag,
            value,
        ]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let manifest = fs::read_to_string(target.join("Cargo.toml")).unwrap();
        assert!(
            manifest.contains(&format!("[dependencies]\n{line}\n")),
            "{manifest}"
        );
        assert!(
            manifest.starts_with("# A std crate the porting tests port"),
            "{manifest}"
        );
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn errors_are_typed_with_file_and_line() {
    let dir = scratch("errors");
    let missing = dir.join("nope");
    let out = tool(&["port", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nope: no such file or directory"),
        "{}",
        stderr(&out)
    );

    let bad = dir.join("bad.rs");
    fs::write(&bad, "use std::thread;\n\nfn main() {\n    let x = ;\n}\n").unwrap();
    let out = tool(&["port", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("bad.rs:4:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not parse"), "{}", stderr(&out));
    // Nothing was written.
    assert!(
        fs::read_to_string(&bad)
            .unwrap()
            .starts_with("use std::thread;")
    );

    let text = dir.join("notes.txt");
    fs::write(&text, "x").unwrap();
    let out = tool(&["port", text.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("neither a crate directory"),
        "{}",
        stderr(&out)
    );

    let out = tool(&["port", ".", "--green-path", "a", "--green-version", "1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("exclude each other"),
        "{}",
        stderr(&out)
    );

    let out = tool(&["publish"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown command `publish`"),
        "{}",
        stderr(&out)
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn check_passes_on_a_port() {
    let dir = scratch("green");
    let file = dir.join("tcp_echo.rs");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/ports/green/tcp_echo.rs"),
        &file,
    )
    .unwrap();
    let out = tool(&["port", file.to_str().unwrap(), "--check", "--no-rustfmt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let _ = fs::remove_dir_all(&dir);
}

/// With a rustfmt.toml the changed files are formatted, the others left
/// as they are; without one nothing is reformatted.
#[test]
fn rustfmt_only_where_the_crate_uses_it() {
    let dir = scratch("rustfmt");
    let crate_dir = dir.join("c");
    fs::create_dir_all(crate_dir.join("src")).unwrap();
    fs::write(
        crate_dir.join("Cargo.toml"),
        "[package]\nname = \"c\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .unwrap();
    let changed = "use std::thread;\nuse std::collections::HashMap;\nmod plain;\nfn main() {  thread::spawn(|| ()).join().unwrap(); let _m: HashMap<u8,u8> = HashMap::new(); plain::f(); }\n";
    let untouched = "pub fn f( ) {  }\n";
    fs::write(crate_dir.join("src/main.rs"), changed).unwrap();
    fs::write(crate_dir.join("src/plain.rs"), untouched).unwrap();

    // No rustfmt.toml: only the edits.
    let out = tool(&["port", crate_dir.to_str().unwrap(), "--diff"]);
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("+#[green::main]\n fn main() {  thread::spawn"),
        "{diff}"
    );

    fs::write(crate_dir.join("rustfmt.toml"), "style_edition = \"2024\"\n").unwrap();
    let out = tool(&["port", crate_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let main = fs::read_to_string(crate_dir.join("src/main.rs")).unwrap();
    assert!(main.starts_with("use green::compat::thread;\nuse std::collections::HashMap;\nmod plain;\n#[green::main]\nfn main() {\n    thread::spawn(|| ()).join().unwrap();\n"), "{main}");
    assert_eq!(
        fs::read_to_string(crate_dir.join("src/plain.rs")).unwrap(),
        untouched
    );
    let _ = fs::remove_dir_all(&dir);
}
