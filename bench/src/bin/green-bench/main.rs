//! `green-bench`: runs the workloads of docs/benchmarks.md for green, its
//! hand-written tokio twin, gevent and eventlet, side by side, and writes
//! bench/results/latest.md and latest.svg.
//!
//! ```text
//! cargo run --release -p green-bench -- quick        # about 2 minutes
//! cargo run --release -p green-bench -- full         # under 20 minutes
//! cargo run --release -p green-bench -- quick --only echo
//! cargo run -p green-bench -- --smoke --out /tmp/x   # tiny sizes, no Python (the test)
//! ```
//!
//! Options: `--only spawn|switch|waiters|echo|http|client|scaling|macro`, `--out DIR` (default
//! bench/results; a `--only` run writes `<mode>-<workload>.md` there instead
//! of `latest.md`), `--no-python`, `--no-build` (do not run `cargo build` for
//! the workload binaries first).

mod chart;
mod figures;
mod machine;
mod proc;
mod python;
mod report;
mod scaling;
mod workloads;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use figures::{Cell, Figure, System};
use workloads::{Plan, Tools};

const WORKLOADS: [&str; 8] = [
    "spawn", "switch", "waiters", "echo", "http", "client", "scaling", "macro",
];

/// The workload binaries of this crate the driver runs.
const BINARIES: [&str; 19] = [
    "spawn_green",
    "spawn_tokio",
    "switch_green",
    "switch_tokio",
    "waiters_green",
    "waiters_tokio",
    "echo_green",
    "echo_green_server",
    "echo_tokio",
    "echo_tokio_mt",
    "echo_client",
    "http_green",
    "http_hyper",
    "http_hyper_mt",
    "client_green",
    "client_reqwest",
    "macro_green",
    "macro_handwritten",
    "green-bench",
];

struct Args {
    plan: Plan,
    only: Option<String>,
    out: Option<PathBuf>,
    python: bool,
    build: bool,
}

const USAGE: &str = "usage: green-bench quick|full|--smoke [--only spawn|switch|waiters|echo|http|client|scaling|macro] [--out DIR] [--no-python] [--no-build]";

fn parse_args() -> Result<Args, String> {
    let mut plan = None;
    let mut only = None;
    let mut out = None;
    let mut python = true;
    let mut build = true;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "quick" => plan = Some(Plan::quick()),
            "full" => plan = Some(Plan::full()),
            "smoke" | "--smoke" => plan = Some(Plan::smoke()),
            "--only" => {
                let w = args.next().ok_or("--only needs a workload")?;
                if !WORKLOADS.contains(&w.as_str()) {
                    return Err(format!(
                        "unknown workload `{w}`; one of {}",
                        WORKLOADS.join(", ")
                    ));
                }
                only = Some(w);
            }
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
            "--no-python" => python = false,
            "--no-build" => build = false,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let plan = plan.ok_or(USAGE)?;
    if plan.mode == "smoke" {
        python = false;
    }
    Ok(Args {
        plan,
        only,
        out,
        python,
        build,
    })
}

/// Under `cargo run`, builds every workload binary with the driver's profile
/// (`cargo run` builds only the driver).
fn build_binaries() -> Result<(), String> {
    let Ok(cargo) = std::env::var("CARGO") else {
        return Ok(());
    };
    let mut command = Command::new(cargo);
    command.args(["build", "-p", "green-bench", "--bins"]);
    if !cfg!(debug_assertions) {
        command.arg("--release");
    }
    println!("building the workload binaries: {command:?}");
    let status = command.status().map_err(|e| format!("cargo build: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo build of the workload binaries failed ({status})"
        ))
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(msg) => {
            eprintln!("green-bench: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> Result<bool, String> {
    let started = Instant::now();
    let bench_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace = bench_dir.parent().unwrap_or(&bench_dir).to_path_buf();
    if args.build {
        build_binaries()?;
    }
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let bin_dir = exe
        .parent()
        .ok_or("no directory for the driver")?
        .to_path_buf();
    let missing: Vec<&str> = BINARIES
        .iter()
        .copied()
        .filter(|b| !bin_dir.join(b).exists())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "missing workload binaries in {}: {} — build them with `cargo build --release -p green-bench --bins`",
            bin_dir.display(),
            missing.join(", ")
        ));
    }
    green_bench::raise_fd_limit();

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let taskset = proc::have("taskset", "--version");
    let pin = taskset && cores >= 2;
    let pinning = if pin {
        "taskset: servers and single-process workloads on core 0, load clients (echo_client, wrk) on core 1".to_owned()
    } else {
        println!(
            "note: not pinning ({}).",
            if taskset {
                "one core"
            } else {
                "taskset not found"
            }
        );
        "none (taskset missing or one core)".to_owned()
    };

    let mut python_text;
    let python = if !args.python {
        let why = if args.plan.mode == "smoke" {
            "--smoke"
        } else {
            "--no-python"
        };
        python_text = format!("skipped ({why})");
        Err(format!("skipped ({why})"))
    } else {
        match python::setup(&bench_dir) {
            Ok(py) => {
                python_text = python::versions(&py).unwrap_or_else(|| "?".into());
                Ok(py)
            }
            Err(reason) => {
                println!("note: gevent and eventlet are skipped: {reason}");
                python_text = format!("skipped: {reason}");
                Err("skipped (no Python: see the Python line above)".to_owned())
            }
        }
    };
    if let Ok(py) = &python {
        python_text.push_str(&format!(
            " (virtualenv {})",
            py.parent().and_then(Path::parent).unwrap_or(py).display()
        ));
    }
    let wrk = if proc::have("wrk", "--version") {
        Ok(())
    } else {
        println!("note: wrk not found: the http workload is skipped (apt-get install -y wrk)");
        Err("skipped (wrk not installed)".to_owned())
    };
    let wrk_text = match &wrk {
        Ok(()) => proc::output_line("wrk", &["--version"]).unwrap_or_else(|| "wrk".into()),
        Err(_) => "not installed: http skipped (apt-get install -y wrk)".to_owned(),
    };
    let tools = Tools {
        python: python.as_ref().map(|_| ()).map_err(Clone::clone),
        wrk,
    };
    let env = proc::Env {
        bin_dir,
        python_dir: bench_dir.join("python"),
        python: python.ok(),
        pin,
    };
    let plan = &args.plan;
    let machine = machine::Machine::probe(&workspace);
    let load_start = machine::load_average();
    println!(
        "green-bench {}: {} cores, {}, {}; {}; load average {}",
        plan.mode, machine.cores, machine.cpu, machine.kernel, machine.rustc, load_start
    );

    let mut figures: Vec<Figure> = Vec::new();
    for workload in WORKLOADS {
        if args.only.as_deref().is_some_and(|o| o != workload) {
            continue;
        }
        println!("== {workload}");
        figures.extend(match workload {
            "spawn" => workloads::spawn(&env, plan, &tools),
            "switch" => workloads::switch(&env, plan, &tools),
            "waiters" => workloads::waiters(&env, plan),
            "echo" => workloads::echo(&env, plan, &tools),
            "http" => workloads::http(&env, plan, &tools),
            "client" => workloads::client(&env, plan, &tools),
            "scaling" => scaling::scaling(&env, plan, &tools),
            _ => workloads::macro_(&env, plan),
        });
    }

    let out_dir = match &args.out {
        Some(dir) => dir.clone(),
        None => bench_dir.join("results"),
    };
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let stem = match &args.only {
        Some(w) => format!("{}-{w}", plan.mode),
        None => "latest".to_owned(),
    };
    let svg = out_dir.join(format!("{stem}.svg"));
    let title = format!(
        "green vs its tokio twin, gevent, eventlet ({} run, {} cores)",
        plan.mode, machine.cores
    );
    let chart = match chart::draw(&svg, &figures, &title) {
        Ok(()) => Some(format!("{stem}.svg")),
        Err(msg) => {
            println!("note: no chart: {msg}");
            None
        }
    };
    let mut command = format!("cargo run --release -p green-bench -- {}", plan.mode);
    if plan.mode == "smoke" {
        command = "cargo run -p green-bench -- --smoke".into();
    }
    if let Some(w) = &args.only {
        command.push_str(&format!(" --only {w}"));
    }
    let ctx = report::Context {
        command,
        python: python_text,
        wrk: wrk_text,
        pinning,
        only: args.only.clone(),
        chart,
        seconds: started.elapsed().as_secs_f64(),
        load: (load_start, machine::load_average()),
    };
    let md = report::markdown(&figures, plan, &machine, &ctx);
    let md_path = out_dir.join(format!("{stem}.md"));
    std::fs::write(&md_path, &md).map_err(|e| format!("{}: {e}", md_path.display()))?;
    println!("\n{md}");
    println!("wrote {} and {}", md_path.display(), svg.display());

    let failed: Vec<String> =
        figures
            .iter()
            .flat_map(|f| {
                System::ALL
                    .into_iter()
                    .filter_map(move |s| match f.cells.get(&s) {
                        Some(Cell::Missing(reason)) if reason.starts_with("failed") => Some(
                            format!("{} / {} / {}: {reason}", f.workload, f.name, s.name()),
                        ),
                        _ => None,
                    })
            })
            .collect();
    for line in &failed {
        eprintln!("FAILED {line}");
    }
    Ok(failed.is_empty())
}
