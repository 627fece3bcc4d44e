//! The ports compile and behave: the whole corpus ported by the tool (plus
//! PORTS.md's extra edits for the two programs the tool reports) and the
//! multi-module fixture crate, built in one temporary workspace by one
//! `cargo build` into the workspace's target dir (so `green` and its
//! dependencies are shared), then each ported bin run beside its std
//! original: same stdout, same exit status. The fixture's tests run too.
//!
//! This is the slow test of the crate: one build of 72 small bins.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// How long one run of one program may take before it is killed.
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

fn tool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-green"))
        .args(args)
        .output()
        .expect("the tool runs")
}

/// Writes `bytes` unless the file holds them already (cargo rebuilds what
/// is newer).
fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    if fs::read(path).ok().as_deref() != Some(bytes.as_ref()) {
        fs::write(path, bytes).unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            write(&dest, fs::read(&path).unwrap());
        }
    }
}

/// PORTS.md's extra edits of `program`: (std text, green text).
fn extra_edits(program: &str) -> Vec<(String, String)> {
    let text = fs::read_to_string(workspace().join("tests/ports/PORTS.md")).unwrap();
    let mut out = Vec::new();
    let mut current = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(name) = line.strip_prefix("### `") {
            current = name.trim_end_matches('`').to_string();
        } else if line == "```edit" {
            let (mut before, mut after, mut past) = (Vec::new(), Vec::new(), false);
            for line in lines.by_ref() {
                match line {
                    "```" => break,
                    "=>" => past = true,
                    _ if past => after.push(line),
                    _ => before.push(line),
                }
            }
            if current == program {
                out.push((before.join("\n"), after.join("\n")));
            }
        }
    }
    out
}

/// Runs `bin`, killed after [`RUN_TIMEOUT`]: (stdout, exit code).
fn run(bin: &Path) -> (String, Option<i32>) {
    let mut child = Command::new(bin)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    (reader.join().unwrap(), status)
}

#[test]
fn ported_corpus_and_fixture_build_and_behave_as_std() {
    // Inside the target dir at a fixed path, so a second run rebuilds only
    // what changed (files are written only when their bytes change).
    let root = target_dir().join("green-port-build");
    let corpus = root.join("corpus");
    fs::create_dir_all(corpus.join("std")).unwrap();
    fs::create_dir_all(corpus.join("ported")).unwrap();

    let mut names: Vec<String> = fs::read_dir(workspace().join("tests/ports/std"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();

    let green = workspace().display().to_string();
    let mut manifest = format!(
        "[package]\nname = \"ported-corpus\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\nautobins = false\n\n[dependencies]\ngreen = {{ path = \"{green}\", default-features = false }}\n"
    );
    let scratch = root.join("scratch");
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).unwrap();
    for name in &names {
        let original = workspace().join(format!("tests/ports/std/{name}.rs"));
        write(
            &corpus.join(format!("std/{name}.rs")),
            fs::read(&original).unwrap(),
        );
        let ported = scratch.join(format!("{name}.rs"));
        fs::copy(&original, &ported).unwrap();
        let out = tool(&["port", ported.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {out:?}");
        // The edits the tool reported and left to the user, as PORTS.md makes them.
        let mut text = fs::read_to_string(&ported).unwrap();
        for (before, after) in extra_edits(name) {
            assert_eq!(text.matches(&before).count(), 1, "{name}: {before}");
            text = text.replace(&before, &after);
        }
        write(&corpus.join(format!("ported/{name}.rs")), text);
        manifest.push_str(&format!(
            "\n[[bin]]\nname = \"std-{name}\"\npath = \"std/{name}.rs\"\ntest = false\n\n[[bin]]\nname = \"green-{name}\"\npath = \"ported/{name}.rs\"\ntest = false\n"
        ));
    }
    write(&corpus.join("Cargo.toml"), manifest);

    // The fixture crate, ported by the tool in crate mode (its Cargo.toml
    // gets the dependency; default features off, as the corpus has them).
    let multi = scratch.join("multi");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi"),
        &multi,
    );
    let manifest_path = multi.join("Cargo.toml");
    let fixture_manifest = fs::read_to_string(&manifest_path).unwrap();
    fs::write(
        &manifest_path,
        fixture_manifest.replace("\n[workspace]\n", "\n"),
    )
    .unwrap();
    let out = tool(&["port", multi.to_str().unwrap(), "--green-path", &green]);
    assert!(out.status.success(), "{out:?}");
    let ported_manifest = fs::read_to_string(&manifest_path).unwrap();
    let line = format!("green = {{ path = \"{green}\" }}");
    assert!(ported_manifest.contains(&line), "{ported_manifest}");
    fs::write(
        &manifest_path,
        ported_manifest.replace(
            &line,
            &format!("green = {{ path = \"{green}\", default-features = false }}"),
        ),
    )
    .unwrap();
    copy_dir(&multi, &root.join("multi"));

    write(
        &root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"corpus\", \"multi\"]\nresolver = \"3\"\n",
    );
    // The workspace's lock: the same dependency versions, so the target
    // dir's artifacts are reused.
    write(
        &root.join("Cargo.lock"),
        fs::read(workspace().join("Cargo.lock")).unwrap(),
    );

    let build = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--workspace", "--bins", "--tests"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the ports do not build:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let bin_dir = target_dir().join("debug");
    let failures = Mutex::new(Vec::new());
    let queue = Mutex::new(names.clone());
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let Some(name) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let std_run = run(&bin_dir.join(format!("std-{name}")));
                    let green_run = run(&bin_dir.join(format!("green-{name}")));
                    if std_run != green_run || std_run.0.is_empty() {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{name}: std {:?} / green {:?}", std_run, green_run));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "ports behave differently:\n{}",
        failures.join("\n")
    );

    // The fixture: its output as the std crate's (written here), its tests pass.
    let (stdout, code) = run(&bin_dir.join("multi"));
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        "OK k0\nOK k1\nOK k2\nhello green\nk1 = Some(\"v1\")\nmemory k0 = Some(\"v0\")\nmemory k1 = Some(\"v1\")\nmemory k2 = Some(\"v2\")\n"
    );
    let test = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "-p", "multi"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    let test_out = String::from_utf8_lossy(&test.stdout);
    assert!(
        test.status.success() && test_out.contains("2 passed"),
        "{test_out}\n{}",
        String::from_utf8_lossy(&test.stderr)
    );
}
