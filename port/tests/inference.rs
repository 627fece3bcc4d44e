//! Green inference on shapes the corpus does not have: receiver types
//! deciding a method name, recursion through several fns, diverging
//! callees, nested fns, and the report's entries for what the tool leaves.

use std::fs;
use std::process::Command;

/// Ports `source` as one file (no rustfmt): (ported text, report).
fn port(name: &str, source: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("green-port-infer-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join("main.rs");
    fs::write(&file, source).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-green"))
        .args(["port", file.to_str().unwrap(), "--no-rustfmt"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let ported = fs::read_to_string(&file).unwrap();
    let _ = fs::remove_dir_all(&dir);
    (ported, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The attribute line right above `fn name`, if any.
fn attribute_of(ported: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = ported.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.starts_with(&format!("fn {name}(")) || l.starts_with(&format!("fn {name}<"))
        })
        .unwrap_or_else(|| panic!("no fn {name}"));
    let above = lines[at - 1].trim();
    above.starts_with("#[green").then(|| above.to_string())
}

#[test]
fn receiver_types_decide_a_method_name() {
    let (ported, _) = port(
        "receivers",
        "\
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::sync::mpsc;

fn count_text(text: String) -> usize {
    text.lines().count()
}

fn count_stream(stream: TcpStream) -> usize {
    BufReader::new(stream).lines().count()
}

fn unbounded(n: u32) {
    let (tx, _rx) = mpsc::channel();
    tx.send(n).unwrap();
}

fn bounded(n: u32) {
    let (tx, _rx) = mpsc::sync_channel(1);
    tx.send(n).unwrap();
}

fn words(parts: &[String]) -> String {
    parts.join(\" \")
}

fn main() {
    println!(\"{}\", count_text(String::new()) + words(&[]).len());
    unbounded(1);
    bounded(1);
    let _ = count_stream;
}
",
    );
    assert_eq!(attribute_of(&ported, "count_text"), None);
    assert_eq!(
        attribute_of(&ported, "count_stream").as_deref(),
        Some("#[green::green]")
    );
    // `Sender::send` never waits; `SyncSender::send` does.
    assert_eq!(attribute_of(&ported, "unbounded"), None);
    assert_eq!(
        attribute_of(&ported, "bounded").as_deref(),
        Some("#[green::green]")
    );
    // `[String]::join(sep)` is not `JoinHandle::join()`.
    assert_eq!(attribute_of(&ported, "words"), None);
    assert_eq!(
        attribute_of(&ported, "main").as_deref(),
        Some("#[green::main]")
    );
}

#[test]
fn recursion_divergence_nesting_and_what_is_left() {
    let (ported, report) = port(
        "shapes",
        "\
use std::thread;
use std::time::Duration;

fn usage() -> ! {
    std::process::exit(2)
}

fn even(n: u32) -> bool {
    if n == 0 {
        thread::sleep(Duration::from_millis(1));
        return true;
    }
    odd(n - 1)
}

fn odd(n: u32) -> bool {
    if n == 0 {
        return false;
    }
    even(n - 1)
}

fn checked(n: u32) -> bool {
    if n > 100 {
        usage();
    }
    even(n)
}

struct Queue;

impl Queue {
    fn len(&self) -> usize {
        thread::sleep(Duration::from_millis(1));
        0
    }
}

fn run<F: Fn(u32) -> bool>(f: F) -> bool {
    f(2)
}

fn main() {
    fn helper() {
        thread::sleep(Duration::from_millis(1));
    }
    helper();
    let work = move || helper();
    let handle = thread::spawn(work);
    let f = checked;
    println!(\"{} {}\", run(|n| n > 1), Queue.len());
    let _ = (handle, f);
}
",
    );
    // One fn of the even/odd cycle is boxed (rustc E0733 otherwise).
    assert_eq!(
        attribute_of(&ported, "even").as_deref(),
        Some("#[green::green(boxed)]")
    );
    assert_eq!(
        attribute_of(&ported, "odd").as_deref(),
        Some("#[green::green]")
    );
    // A diverging fn of the crate is never awaited.
    assert_eq!(
        attribute_of(&ported, "checked").as_deref(),
        Some("#[green::green(sync(usage))]")
    );
    assert_eq!(attribute_of(&ported, "usage"), None);
    assert_eq!(
        attribute_of(&ported, "helper").as_deref(),
        Some("#[green::green]")
    );
    assert_eq!(attribute_of(&ported, "run"), None);
    for expected in [
        "main.rs:33: method `len` is green but named like a plain method",
        "main.rs:40: `f(..)` calls a value (a callback, closure or fn pointer)",
        "main.rs:49: `work` is spawned as a value",
        "main.rs:50: green fn `checked` is passed as a value",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in\n{report}"
        );
    }
}

#[test]
fn ambiguous_method_names_are_noted() {
    let (ported, report) = port(
        "ambiguous",
        "\
use std::sync::Mutex;

struct A(Mutex<u32>);
struct B;

impl A {
    fn bump(&self) {
        *self.0.lock().unwrap() += 1;
    }
}

impl B {
    fn bump(&self) {}
}

fn poke(x: &impl Fn()) {
    x();
}

fn twice(a: &A) {
    a.bump();
}

fn unknown(items: Vec<A>) {
    for item in items {
        item.bump();
    }
}

fn main() {
    twice(&A(Mutex::new(0)));
    unknown(Vec::new());
    poke(&|| B.bump());
}
",
    );
    assert_eq!(
        attribute_of(&ported, "twice").as_deref(),
        Some("#[green::green]")
    );
    // The receiver's type is not seen: every `bump` of the crate counts.
    assert_eq!(
        attribute_of(&ported, "unknown").as_deref(),
        Some("#[green::green]")
    );
    assert!(
        report.contains("main.rs:26: `.bump(..)`: receiver type not seen, resolved by name to every `bump` of the crate (A, B)"),
        "{report}"
    );
}

/// Two bins of one crate: each its own crate root, so a type or method name
/// in one says nothing of the other; both see the library's items.
#[test]
fn crate_roots_are_kept_apart_and_see_the_library() {
    let dir = std::env::temp_dir().join(format!("green-port-infer-roots-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src/bin")).unwrap();
    fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"two-bins\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("src/lib.rs"),
        "pub fn pause() {\n    std::thread::sleep(std::time::Duration::from_millis(1));\n}\n",
    )
    .unwrap();
    fs::write(
        dir.join("src/bin/blocking.rs"),
        "use std::sync::Mutex;\n\nstruct Pool(Mutex<u8>);\n\nimpl Pool {\n    fn run(&self) {\n        *self.0.lock().unwrap() += 1;\n    }\n}\n\nfn main() {\n    Pool(Mutex::new(0)).run();\n}\n",
    )
    .unwrap();
    fs::write(
        dir.join("src/bin/plain.rs"),
        "struct Pool;\n\nimpl Pool {\n    fn run(&self) {}\n}\n\nfn go(pool: &Pool) {\n    pool.run();\n}\n\nfn main() {\n    go(&Pool);\n    two_bins::pause();\n}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-green"))
        .args(["port", dir.to_str().unwrap(), "--no-rustfmt"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let blocking = fs::read_to_string(dir.join("src/bin/blocking.rs")).unwrap();
    let plain = fs::read_to_string(dir.join("src/bin/plain.rs")).unwrap();
    let lib = fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    assert_eq!(
        attribute_of(&blocking, "run").as_deref(),
        Some("#[green::green]")
    );
    assert_eq!(attribute_of(&plain, "run"), None);
    assert_eq!(attribute_of(&plain, "go"), None);
    // `two_bins::pause` is the library's green fn.
    assert_eq!(
        attribute_of(&lib, "pause").as_deref(),
        Some("#[green::green]")
    );
    assert_eq!(
        attribute_of(&plain, "main").as_deref(),
        Some("#[green::main]")
    );
    assert!(
        lib.contains("green::compat::thread::sleep(std::time::Duration::from_millis(1))"),
        "{lib}"
    );
    let _ = fs::remove_dir_all(&dir);
}
