//! The compile-time cost of `#[green]` (issue 4, item 7).
//!
//! Writes the same program twice, in `#[green]` form and in hand-written
//! async form (green fns calling green fns, compat file I/O, a queue, plain
//! method calls on locals, and one function with more than 300 calls), then
//! times `cargo check` of each: dependencies are checked once (warm), then the
//! generated crate is touched and checked `--runs` times per form,
//! alternating, and the median is reported as a Markdown table.
//!
//! ```text
//! cargo run --release --manifest-path macro-cost/Cargo.toml -- [--runs N] [--green PATH] [--out DIR] [--opt-macros] [--no-incremental] [--no-awaited]
//! ```
//!
//! `--opt-macros` builds proc macros optimised in the generated crates
//! (`[profile.dev.build-override] opt-level = 3`), as a user may.
//! `--no-incremental` checks with `CARGO_INCREMENTAL=0`: the whole crate is
//! type-checked again on every run (with incremental compilation, the
//! default, a touched but unchanged crate is expanded again and its type
//! checking mostly reused).
//!
//! `--no-awaited` leaves out the third form (green with every `.await`
//! written), which only serves to bound what the dispatch costs.
//!
//! After the table, one line per form, `samples <form> <seconds>..`, gives
//! every run's time for the benchmark harness (`green-bench`'s macro row).
//!
//! `--green` names the checkout of green to build against (default: the one
//! this directory sits in), to compare two versions of the macro.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Modules of ordinary functions.
const MODULES: usize = 16;
/// Functions per module.
const FNS: usize = 9;
/// Chunks in the big function (each has several calls).
const BIG_CHUNKS: usize = 80;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `#[green]` fns, no `.await` written: the macro inserts them.
    Green,
    /// `#[green]` fns with every green call awaited by hand (the operand of
    /// a written `.await` is not dispatched): what the dispatch costs.
    GreenAwaited,
    /// Hand-written `async fn`s.
    Async,
}

impl Form {
    fn name(self) -> &'static str {
        match self {
            Form::Green => "green_form",
            Form::GreenAwaited => "green_awaited_form",
            Form::Async => "async_form",
        }
    }

    /// `fn` head: `#[green] pub fn` or `pub async fn`.
    fn head(self) -> &'static str {
        match self {
            Form::Green | Form::GreenAwaited => "#[green]\npub fn",
            Form::Async => "pub async fn",
        }
    }

    /// What follows a green call.
    fn aw(self) -> &'static str {
        match self {
            Form::Green => "",
            Form::GreenAwaited | Form::Async => ".await",
        }
    }
}

fn module(form: Form, m: usize) -> String {
    let aw = form.aw();
    let head = form.head();
    let mut s = String::new();
    s.push_str("use std::time::Duration;\n\nuse green::Queue;\n");
    if form != Form::Async {
        s.push_str("use green::green;\n");
    }
    s.push_str("\nuse crate::State;\n\n");
    for f in 0..FNS {
        // Each fn calls the previous one of its module (green calling green).
        let callee = if f == 0 {
            None
        } else {
            Some(format!("step_{}", f - 1))
        };
        let _ = writeln!(
            s,
            "/// Step {f} of module {m}.\n{head} step_{f}(state: &mut State, input: &str) -> std::io::Result<usize> {{"
        );
        let _ = writeln!(s, "    let mut names: Vec<String> = Vec::new();");
        let _ = writeln!(s, "    let line = input.trim().to_string();");
        let _ = writeln!(s, "    green::sleep(Duration::from_millis(0)){aw};");
        let _ = writeln!(
            s,
            "    if line.is_empty() {{\n        return Ok(0);\n    }}"
        );
        let _ = writeln!(s, "    names.push(line.clone());");
        match &callee {
            Some(callee) => {
                let _ = writeln!(s, "    let n = {callee}(state, &line){aw}?;");
            }
            None => {
                let _ = writeln!(
                    s,
                    "    let n = green::compat::fs::read_to_string(&state.path){aw}?.len();"
                );
            }
        }
        let _ = writeln!(s, "    let queue: Queue<usize> = state.queue.clone();");
        let _ = writeln!(s, "    let _ = queue.put(n.wrapping_add({f})){aw};");
        let _ = writeln!(s, "    for part in line.split(',') {{");
        let _ = writeln!(s, "        if !part.is_empty() && part.len() > {m} {{");
        let _ = writeln!(s, "            names.push(part.to_string());");
        let _ = writeln!(s, "        }}\n    }}");
        let _ = writeln!(
            s,
            "    let count = names.iter().filter(|s| s.starts_with('a')).count();"
        );
        let _ = writeln!(s, "    let got = queue.get(){aw}.unwrap_or(0);");
        let _ = writeln!(
            s,
            "    state.total = state.total.wrapping_add(n + count + got);"
        );
        let _ = writeln!(s, "    Ok(count.max(n).min(1_000_000))\n}}\n");
    }
    s
}

fn big(form: Form) -> String {
    let aw = form.aw();
    let head = form.head();
    let mut s = String::new();
    s.push_str("/// One long function: more than 300 calls.\n");
    let _ = writeln!(
        s,
        "{head} big(state: &mut State) -> std::io::Result<usize> {{"
    );
    s.push_str("    let mut names: Vec<String> = vec![\"a,b\".to_string(), \"c\".to_string()];\n");
    s.push_str("    let mut total = 0usize;\n");
    for j in 0..BIG_CHUNKS {
        let m = j % MODULES;
        let f = j % FNS;
        let _ = writeln!(
            s,
            "    let v{j} = crate::m{m}::step_{f}(state, &names[{j} % names.len()].clone()){aw}?;"
        );
        let _ = writeln!(s, "    names.push(v{j}.to_string());");
        let _ = writeln!(s, "    total = total.wrapping_add(v{j}).max(names.len());");
        if j % 4 == 0 {
            let _ = writeln!(s, "    green::idle(){aw};");
        }
    }
    s.push_str("    Ok(total)\n}\n");
    s
}

fn lib(form: Form) -> String {
    let mut s = String::from(
        "//! Generated by green-macro-cost: do not edit.\n#![allow(missing_docs, clippy::all)]\n\n",
    );
    for m in 0..MODULES {
        let _ = writeln!(s, "pub mod m{m};");
    }
    s.push_str(
        "\n/// Shared state.\npub struct State {\n    pub path: std::path::PathBuf,\n    pub queue: green::Queue<usize>,\n    pub total: usize,\n}\n\n",
    );
    if form != Form::Async {
        s.push_str("use green::green;\n\n");
    }
    s.push_str(&big(form));
    s
}

fn write_crate(dir: &Path, form: Form, green: &Path, opt_macros: bool) -> usize {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("create the generated crate");
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n\n[dependencies]\ngreen = {{ path = {:?} }}\n",
        form.name().replace('_', "-"),
        green.display().to_string()
    );
    let manifest = if opt_macros {
        // Proc macros (and syn) are built unoptimised by default: optimising
        // them speeds up every expansion.
        format!("{manifest}\n[profile.dev.build-override]\nopt-level = 3\n")
    } else {
        manifest
    };
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    let mut lines = 0;
    let lib = lib(form);
    lines += lib.lines().count();
    std::fs::write(src.join("lib.rs"), lib).expect("write lib.rs");
    for m in 0..MODULES {
        let text = module(form, m);
        lines += text.lines().count();
        std::fs::write(src.join(format!("m{m}.rs")), text).expect("write a module");
    }
    lines
}

fn check(dir: &Path, target: &Path, incremental: bool) -> Duration {
    // Touch the crate root so that only the generated crate is checked again.
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read(&lib).expect("read lib.rs");
    std::fs::write(&lib, text).expect("touch lib.rs");
    let start = Instant::now();
    let status = Command::new("cargo")
        .args(["check", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", if incremental { "1" } else { "0" })
        .status()
        .expect("run cargo check");
    let elapsed = start.elapsed();
    assert!(status.success(), "cargo check failed in {}", dir.display());
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut green = here.join("..");
    let mut out = here.join("generated");
    let mut runs = 3;
    let mut opt_macros = false;
    let mut incremental = true;
    let mut awaited = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--opt-macros" {
            opt_macros = true;
            continue;
        }
        if arg == "--no-incremental" {
            incremental = false;
            continue;
        }
        if arg == "--no-awaited" {
            awaited = false;
            continue;
        }
        let value = args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--runs" => runs = value.parse().expect("--runs N"),
            "--green" => green = PathBuf::from(value),
            "--out" => out = PathBuf::from(value),
            _ => panic!(
                "unknown argument {arg}; expected --runs N, --green PATH, --out DIR, --opt-macros, --no-incremental, --no-awaited"
            ),
        }
    }
    let green = green.canonicalize().expect("the green checkout");
    let target = out.join("target");
    let forms: Vec<Form> = [Form::Green, Form::GreenAwaited, Form::Async]
        .into_iter()
        .filter(|form| awaited || *form != Form::GreenAwaited)
        .collect();
    let mut lines = Vec::new();
    for &form in &forms {
        lines.push(write_crate(
            &out.join(form.name()),
            form,
            &green,
            opt_macros,
        ));
    }
    // Warm: dependencies checked once, outside the timing.
    for form in &forms {
        check(&out.join(form.name()), &target, incremental);
    }
    let mut times = vec![Vec::new(); forms.len()];
    for _ in 0..runs {
        for (i, form) in forms.iter().enumerate() {
            let t = check(&out.join(form.name()), &target, incremental);
            eprintln!("{}: {:.2} s", form.name(), t.as_secs_f64());
            times[i].push(t);
        }
    }
    let medians: Vec<f64> = times
        .iter()
        .map(|t| median(t.clone()).as_secs_f64())
        .collect();
    let (green_t, async_t) = (medians[0], medians[forms.len() - 1]);
    println!(
        "| form | lines | calls in `big` | `cargo check` (median of {runs}) | ÷ async | runs |"
    );
    println!("|---|---|---|---|---|---|");
    let calls_in_big = BIG_CHUNKS * 8 + BIG_CHUNKS / 4;
    for (i, form) in forms.iter().enumerate() {
        let all = times[i]
            .iter()
            .map(|t| format!("{:.2}", t.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "| {} | {} | {calls_in_big} | {:.2} s | {:.2}× | {all} |",
            form.name(),
            lines[i],
            medians[i],
            medians[i] / async_t
        );
    }
    println!("\nratio green / async: {:.2}×", green_t / async_t);
    for (i, form) in forms.iter().enumerate() {
        let all: Vec<String> = times[i]
            .iter()
            .map(|t| format!("{:.3}", t.as_secs_f64()))
            .collect();
        println!("samples {} {}", form.name(), all.join(" "));
    }
}
