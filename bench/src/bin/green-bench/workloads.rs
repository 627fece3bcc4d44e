//! The workloads of docs/benchmarks.md and how each is run: every repetition runs
//! each system once, in turn (A B A B ...), so slow drifts of the machine hit
//! every system alike.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use crate::figures::{Cell, Figure, FigureSpec, System, spec};
use crate::proc::{
    Env, Lines, Measured, Metrics, Program, RunError, Server, Tail, run_once, stop, with_stderr,
};

/// Sizes and repetitions of one mode.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) mode: &'static str,
    pub(crate) reps: usize,
    pub(crate) net_reps: usize,
    pub(crate) spawn_n: u64,
    pub(crate) spawn_n_python: u64,
    pub(crate) switch_n: u64,
    pub(crate) switch_n_python: u64,
    pub(crate) echo_conns: Vec<usize>,
    pub(crate) echo_secs: f64,
    pub(crate) http_secs: u64,
    pub(crate) http_conns: usize,
    /// Concurrent requests of the http client workload.
    pub(crate) client_conns: usize,
    pub(crate) macro_n: u64,
    /// Waiter counts of the waiters workload, smallest first: its growth
    /// figure is the time at the last ÷ the time at the first.
    pub(crate) waiters_n: Vec<u64>,
    /// `cargo check` runs per form of the compile-time comparison (0: skip).
    pub(crate) check_runs: usize,
}

impl Plan {
    pub(crate) fn quick() -> Self {
        Plan {
            mode: "quick",
            reps: 3,
            net_reps: 2,
            spawn_n: 100_000,
            spawn_n_python: 30_000,
            switch_n: 1_000_000,
            switch_n_python: 100_000,
            echo_conns: vec![100, 1000],
            echo_secs: 2.0,
            http_secs: 2,
            http_conns: 100,
            client_conns: 50,
            macro_n: 20_000_000,
            waiters_n: vec![10_000, 100_000],
            check_runs: 3,
        }
    }

    pub(crate) fn full() -> Self {
        Plan {
            mode: "full",
            reps: 5,
            net_reps: 5,
            spawn_n: 100_000,
            spawn_n_python: 100_000,
            switch_n: 1_000_000,
            switch_n_python: 200_000,
            echo_conns: vec![100, 1000],
            echo_secs: 5.0,
            http_secs: 5,
            http_conns: 100,
            client_conns: 50,
            macro_n: 20_000_000,
            waiters_n: vec![10_000, 100_000],
            check_runs: 5,
        }
    }

    pub(crate) fn smoke() -> Self {
        Plan {
            mode: "smoke",
            reps: 2,
            net_reps: 2,
            spawn_n: 1000,
            spawn_n_python: 1000,
            switch_n: 1000,
            switch_n_python: 1000,
            echo_conns: vec![10],
            echo_secs: 0.5,
            http_secs: 1,
            http_conns: 10,
            client_conns: 5,
            macro_n: 100_000,
            waiters_n: vec![100, 1000],
            check_runs: 0,
        }
    }
}

/// What runs for one system in a workload.
#[derive(Debug, Clone)]
pub(crate) enum Contestant {
    Run(Program),
    /// No program: the reason shown in its cell.
    Missing(String),
}

/// What the driver knows about the optional tools.
#[derive(Debug, Clone)]
pub(crate) struct Tools {
    /// `Err(reason)` when the gevent/eventlet programs cannot run.
    pub(crate) python: Result<(), String>,
    /// `Err(reason)` when wrk is missing.
    pub(crate) wrk: Result<(), String>,
}

pub(crate) fn python(tools: &Tools, script: &'static str) -> Contestant {
    match &tools.python {
        Ok(()) => Contestant::Run(Program::Python(script)),
        Err(reason) => Contestant::Missing(reason.clone()),
    }
}

pub(crate) type Collected = BTreeMap<System, Result<Vec<Metrics>, String>>;

/// Why cells are empty, one line each, for the report's notes.
pub(crate) static NOTES: Mutex<Vec<String>> = Mutex::new(Vec::new());

pub(crate) fn note(line: String) {
    let mut notes = NOTES.lock().unwrap_or_else(|e| e.into_inner());
    if !notes.contains(&line) {
        notes.push(line);
    }
}

/// Runs every contestant `reps` times, alternating, and collects the figures
/// of each run. A green program that says NOT_BUILT is not run again.
pub(crate) fn alternate(
    label: &str,
    reps: usize,
    contestants: &[(System, Contestant)],
    headline: &str,
    mut run: impl FnMut(System, Program) -> Result<Metrics, RunError>,
) -> Collected {
    let mut collected: Collected = BTreeMap::new();
    for (system, contestant) in contestants {
        let entry = match contestant {
            Contestant::Run(_) => Ok(Vec::new()),
            Contestant::Missing(reason) => Err(reason.clone()),
        };
        collected.insert(*system, entry);
    }
    for rep in 1..=reps {
        for (system, contestant) in contestants {
            let Contestant::Run(program) = contestant else {
                continue;
            };
            if collected[system].is_err() {
                continue;
            }
            print!("  {label:<12} {rep}/{reps}  {:<18} ", system.name());
            let _ = std::io::stdout().flush();
            let outcome = run(*system, *program);
            let entry = collected.get_mut(system).expect("entry");
            match outcome {
                Ok(metrics) => {
                    match metrics.get(headline) {
                        Some(v) => println!("{headline} = {}", crate::report::number(*v)),
                        None => println!("ok"),
                    }
                    if let Ok(samples) = entry {
                        samples.push(metrics);
                    }
                }
                Err(RunError::NotBuilt(reason)) => {
                    println!("n/a (not built yet: {reason})");
                    note(format!(
                        "{label}, {}: not built yet: {reason}",
                        system.name()
                    ));
                    *entry = Err("n/a (not built yet)".into());
                }
                Err(RunError::Failed(msg)) => {
                    println!("FAILED: {msg}");
                    note(format!(
                        "{label}, {}, run {rep}: failed: {}",
                        system.name(),
                        first_line(&msg)
                    ));
                    let has_samples = matches!(entry, Ok(s) if !s.is_empty());
                    if !has_samples {
                        *entry = Err(format!("failed: {}", first_line(&msg)));
                    }
                }
            }
        }
    }
    collected
}

fn first_line(msg: &str) -> String {
    let line = msg.lines().next().unwrap_or("");
    line.chars().take(120).collect()
}

pub(crate) fn figures(
    workload: &str,
    twin: &'static str,
    specs: &[FigureSpec],
    collected: &Collected,
) -> Vec<Figure> {
    specs
        .iter()
        .map(|spec| {
            let mut cells = BTreeMap::new();
            for system in System::ALL {
                let cell = match collected.get(&system) {
                    None => Cell::Missing("—".into()),
                    Some(Err(reason)) => Cell::Missing(reason.clone()),
                    Some(Ok(runs)) => {
                        let samples: Vec<f64> = runs
                            .iter()
                            .filter_map(|m| m.get(spec.key).copied())
                            .collect();
                        if samples.is_empty() {
                            Cell::Missing("no sample".into())
                        } else {
                            Cell::Samples(samples)
                        }
                    }
                };
                cells.insert(system, cell);
            }
            Figure {
                workload: workload.to_owned(),
                name: spec.name,
                short: spec.short,
                unit: spec.unit,
                lower_is_better: spec.lower_is_better,
                headline: spec.headline,
                twin,
                cells,
            }
        })
        .collect()
}

const LONG: Duration = Duration::from_secs(180);

/// spawn: N tasks parked on one event, set, join; bytes per parked task.
pub(crate) fn spawn(env: &Env, plan: &Plan, tools: &Tools) -> Vec<Figure> {
    let contestants = [
        (System::Green, Contestant::Run(Program::Rust("spawn_green"))),
        (System::Tokio, Contestant::Run(Program::Rust("spawn_tokio"))),
        (System::Gevent, python(tools, "spawn_gevent.py")),
        (System::Eventlet, python(tools, "spawn_eventlet.py")),
    ];
    let collected = alternate(
        "spawn",
        plan.reps,
        &contestants,
        "bytes_per_task",
        |system, program| {
            let n = match system {
                System::Gevent | System::Eventlet => plan.spawn_n_python,
                _ => plan.spawn_n,
            };
            run_once(
                env.command(program, &["--n".to_owned(), n.to_string()], 0),
                LONG,
            )
        },
    );
    figures(
        "spawn",
        "tokio spawn_local + Notify",
        &[
            spec(
                "bytes_per_task",
                ("memory per parked task", "memory per task"),
                "B",
                true,
                true,
            ),
            spec(
                "wall_us_per_task",
                ("wall per task: spawn + park + set + join", "wall per task"),
                "µs",
                true,
                true,
            ),
            spec(
                "peak_rss_mib",
                ("peak RSS of the process", "peak RSS"),
                "MiB",
                true,
                false,
            ),
        ],
        &collected,
    )
}

/// switch: ping-pong through two bounded(1) queues; ns per round trip.
pub(crate) fn switch(env: &Env, plan: &Plan, tools: &Tools) -> Vec<Figure> {
    let contestants = [
        (
            System::Green,
            Contestant::Run(Program::Rust("switch_green")),
        ),
        (
            System::Tokio,
            Contestant::Run(Program::Rust("switch_tokio")),
        ),
        (System::Gevent, python(tools, "switch_gevent.py")),
        (System::Eventlet, python(tools, "switch_eventlet.py")),
    ];
    let collected = alternate(
        "switch",
        plan.reps,
        &contestants,
        "ns_per_round_trip",
        |system, program| {
            let n = match system {
                System::Gevent | System::Eventlet => plan.switch_n_python,
                _ => plan.switch_n,
            };
            run_once(
                env.command(program, &["--n".to_owned(), n.to_string()], 0),
                LONG,
            )
        },
    );
    let mut out = figures(
        "switch",
        "tokio mpsc(1), current-thread",
        &[spec(
            "ns_per_round_trip",
            ("ping-pong round trip, two spawned tasks", "round trip"),
            "ns",
            true,
            true,
        )],
        &collected,
    );
    // The same with the hub's main task as one side: in green and tokio it is
    // the `block_on` future, woken through the scheduler (an epoll_wait per
    // wake-up); gevent's main greenlet is an ordinary greenlet.
    let on_main = [
        (
            System::Green,
            Contestant::Run(Program::Rust("switch_green")),
        ),
        (
            System::Tokio,
            Contestant::Run(Program::Rust("switch_tokio")),
        ),
        (System::Gevent, Contestant::Missing("—".into())),
        (System::Eventlet, Contestant::Missing("—".into())),
    ];
    let args = [
        "--n".to_owned(),
        plan.switch_n.to_string(),
        "--main".to_owned(),
    ];
    let collected = alternate(
        "switch main",
        plan.reps,
        &on_main,
        "ns_per_round_trip",
        |_, program| run_once(env.command(program, &args, 0), LONG),
    );
    out.extend(figures(
        "switch",
        "tokio mpsc(1), current-thread",
        &[spec(
            "ns_per_round_trip",
            (
                "ping-pong round trip, main task ↔ spawned task",
                "main ↔ task",
            ),
            "ns",
            true,
            false,
        )],
        &collected,
    ));
    out
}

/// The name of the waiters workload's growth figure (report targets use it).
pub(crate) const WAITERS_GROWTH: &str = "growth: wake time at the largest N ÷ at the smallest";

/// waiters: N tasks parked on one queue, event or lock, all woken; the
/// time to wake and join them for each N, and how it grows with N.
pub(crate) fn waiters(env: &Env, plan: &Plan) -> Vec<Figure> {
    let contestants = [
        (
            System::Green,
            Contestant::Run(Program::Rust("waiters_green")),
        ),
        (
            System::Tokio,
            Contestant::Run(Program::Rust("waiters_tokio")),
        ),
        (System::Gevent, Contestant::Missing("—".into())),
        (System::Eventlet, Contestant::Missing("—".into())),
    ];
    let twin =
        "tokio Notify (queue: a VecDeque + notify_one; event: notify_waiters), tokio Mutex (lock)";
    let largest = plan.waiters_n.iter().copied().max().unwrap_or(0);
    let mut out = Vec::new();
    for on in ["queue", "event", "lock"] {
        let mut wake_rows = Vec::new();
        for &n in &plan.waiters_n {
            let label = format!("waiters {on} N={n}");
            let args = [
                "--n".to_owned(),
                n.to_string(),
                "--on".to_owned(),
                on.to_owned(),
            ];
            let collected = alternate(&label, plan.reps, &contestants, "wake_ms", |_, program| {
                run_once(env.command(program, &args, 0), LONG)
            });
            let rows = figures(
                &label,
                twin,
                &[
                    spec(
                        "wake_ms",
                        ("wake and join every waiter", "wake + join"),
                        "ms",
                        true,
                        n == largest,
                    ),
                    spec(
                        "total_ms",
                        ("spawn, park, wake and join", "total"),
                        "ms",
                        true,
                        false,
                    ),
                ],
                &collected,
            );
            wake_rows.push(rows[0].clone());
            out.extend(rows);
        }
        if let (Some(first), Some(last)) = (wake_rows.first(), wake_rows.last()) {
            if wake_rows.len() >= 2 {
                out.push(growth(on, twin, first, last));
            }
        }
    }
    out
}

/// The ratio of the medians of `last` and `first`, for each system.
fn growth(on: &str, twin: &'static str, first: &Figure, last: &Figure) -> Figure {
    let mut cells = BTreeMap::new();
    for system in System::ALL {
        let cell = match (first.median(system), last.median(system)) {
            (Some(a), Some(b)) if a > 0.0 => Cell::Samples(vec![b / a]),
            _ => Cell::Missing("—".into()),
        };
        cells.insert(system, cell);
    }
    Figure {
        workload: format!("waiters {on}"),
        name: WAITERS_GROWTH,
        short: "growth",
        unit: "×",
        lower_is_better: true,
        headline: false,
        twin,
        cells,
    }
}

/// echo: C connections of 64-byte ping-pong against each server. green
/// runs twice in each alternation: its hand-written accept loop
/// (echo_green) and `green::server::StreamServer` (echo_green_server),
/// whose figures are rows of their own.
pub(crate) fn echo(env: &Env, plan: &Plan, tools: &Tools) -> Vec<Figure> {
    let contestants = [
        (System::Green, Contestant::Run(Program::Rust("echo_green"))),
        (
            System::GreenServer,
            Contestant::Run(Program::Rust("echo_green_server")),
        ),
        (System::Tokio, Contestant::Run(Program::Rust("echo_tokio"))),
        (System::Gevent, python(tools, "echo_gevent.py")),
        (System::Eventlet, python(tools, "echo_eventlet.py")),
    ];
    let mut out = Vec::new();
    for &conns in &plan.echo_conns {
        let label = format!("echo C={conns}");
        let collected = alternate(
            &label,
            plan.net_reps,
            &contestants,
            "cpu_us_per_op",
            |_, program| echo_once(env, program, conns, plan.echo_secs),
        );
        out.extend(figures(
            &label,
            ECHO_TWIN,
            &[
                spec(
                    "cpu_us_per_op",
                    ("server CPU per round trip", "server CPU per round trip"),
                    "µs",
                    true,
                    true,
                ),
                spec(
                    "krps",
                    ("round trips per second", "throughput"),
                    "k/s",
                    false,
                    false,
                ),
                spec("p50_us", ("latency p50", "p50"), "µs", true, false),
                spec("p99_us", ("latency p99", "p99"), "µs", true, false),
            ],
            &collected,
        ));
        out.extend(figures(
            &label,
            ECHO_TWIN,
            &[
                spec(
                    "cpu_us_per_op",
                    (ECHO_SERVER_CPU, "StreamServer CPU per op"),
                    "µs",
                    true,
                    true,
                ),
                spec(
                    "krps",
                    (
                        "round trips per second, green through StreamServer",
                        "throughput, StreamServer",
                    ),
                    "k/s",
                    false,
                    false,
                ),
                spec(
                    "p99_us",
                    (
                        "latency p99, green through StreamServer",
                        "p99, StreamServer",
                    ),
                    "µs",
                    true,
                    false,
                ),
            ],
            &in_column(&collected, System::GreenServer, System::Green),
        ));
    }
    out
}

/// The twin of the echo rows.
const ECHO_TWIN: &str = "tokio, current-thread + LocalSet";

/// The main figure of echo's StreamServer rows (report.rs names it too).
pub(crate) const ECHO_SERVER_CPU: &str = "server CPU per round trip, green through StreamServer";

/// `collected` with `system`'s runs in `column`, for the rows of a second
/// program of a workload beside the same runs of the other systems: a
/// second green program (echo's StreamServer) or a second twin (http's
/// hyper with its header-read timeout).
// Before: {Green: echo_green runs, GreenServer: echo_green_server runs, Tokio: ..}
// After:  {Green: echo_green_server runs, Tokio: .., Gevent: .., Eventlet: ..}
//         (in_column(collected, GreenServer, Green))
fn in_column(collected: &Collected, system: System, column: System) -> Collected {
    let mut moved: Collected = collected
        .iter()
        .filter(|(s, _)| **s != column && **s != system)
        .map(|(s, runs)| (*s, runs.clone()))
        .collect();
    if let Some(runs) = collected.get(&system) {
        moved.insert(column, runs.clone());
    }
    moved
}

fn echo_once(env: &Env, server: Program, conns: usize, secs: f64) -> Result<Metrics, RunError> {
    let mut server = Server::start(env.command(server, &["--port".to_owned(), "0".to_owned()], 0))?;
    let args = [
        "--port".to_owned(),
        server.port.to_string(),
        "--conns".to_owned(),
        conns.to_string(),
        "--secs".to_owned(),
        secs.to_string(),
        "--size".to_owned(),
        "64".to_owned(),
    ];
    let mut client = env
        .command(Program::Rust("echo_client"), &args, 1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RunError::Failed(format!("cannot start echo_client: {e}")))?;
    let result = drive_echo_client(&mut client, &mut server, secs);
    stop(&mut client);
    drop(server);
    result
}

/// Runs a started `echo_client` (stdin, stdout and stderr piped) through
/// its timed phase: waits for `READY`, says `go`, reads its `RESULT`, and
/// adds the server side's CPU per round trip (`cpu_us_per_op`) and `krps`.
pub(crate) fn drive_echo_client(
    client: &mut Child,
    server: &mut impl Measured,
    secs: f64,
) -> Result<Metrics, RunError> {
    let lines = Lines::new(client.stdout.take().expect("piped stdout"));
    let tail = Tail::collect(client.stderr.take().expect("piped stderr"));
    match lines.next(Duration::from_secs(60)) {
        Some(line) if line == "READY" => {}
        _ => {
            return Err(with_stderr(
                RunError::Failed("echo_client did not connect".into()),
                &tail,
            ));
        }
    }
    server.check_alive()?;
    let before = server.cpu_secs()?;
    let mut stdin = client.stdin.take().expect("piped stdin");
    writeln!(stdin, "go").map_err(|e| RunError::Failed(format!("echo_client stdin: {e}")))?;
    let mut metrics = lines
        .result(Duration::from_secs_f64(secs + 60.0))
        .map_err(|e| with_stderr(e, &tail))?;
    let after = server.cpu_secs()?;
    server.check_alive()?;
    let round_trips = metrics.get("round_trips").copied().unwrap_or(0.0);
    if round_trips < 1.0 {
        return Err(RunError::Failed("no round trip completed".into()));
    }
    metrics.insert("cpu_us_per_op".into(), (after - before) * 1e6 / round_trips);
    metrics.insert(
        "krps".into(),
        metrics.get("rps").copied().unwrap_or(0.0) / 1e3,
    );
    Ok(metrics)
}

/// http: wrk against each HTTP server.
pub(crate) fn http(env: &Env, plan: &Plan, tools: &Tools) -> Vec<Figure> {
    let wrk_missing = tools.wrk.as_ref().err().cloned();
    let contestant = |c: Contestant| match &wrk_missing {
        Some(reason) => Contestant::Missing(reason.clone()),
        None => c,
    };
    let contestants = [
        (
            System::Green,
            contestant(Contestant::Run(Program::Rust("http_green"))),
        ),
        (
            System::Tokio,
            contestant(Contestant::Run(Program::Rust("http_hyper"))),
        ),
        (
            System::TokioTimed,
            contestant(Contestant::Run(Program::Rust("http_hyper"))),
        ),
        (System::Gevent, contestant(python(tools, "http_gevent.py"))),
        (
            System::Eventlet,
            contestant(python(tools, "http_eventlet.py")),
        ),
    ];
    let label = format!("http c={}", plan.http_conns);
    let collected = alternate(
        &label,
        plan.net_reps,
        &contestants,
        "cpu_us_per_op",
        |system, program| {
            let extra: &[&str] = match system {
                System::TokioTimed => &HYPER_TIMED,
                _ => &[],
            };
            http_once(env, program, extra, plan.http_conns, plan.http_secs)
        },
    );
    let mut out = figures(
        &label,
        "hyper 1 on tokio",
        &[
            spec(
                "cpu_us_per_op",
                ("server CPU per request", "server CPU per request"),
                "µs",
                true,
                true,
            ),
            spec(
                "krps",
                ("requests per second", "throughput"),
                "k/s",
                false,
                false,
            ),
            spec("p99_ms", ("latency p99", "p99"), "ms", true, false),
        ],
        &collected,
    );
    out.extend(figures(
        &label,
        "hyper 1 on tokio",
        &[spec(
            "cpu_us_per_op",
            (HTTP_TIMED_CPU, "CPU per request, hyper with header timeout"),
            "µs",
            true,
            false,
        )],
        &in_column(&collected, System::TokioTimed, System::Tokio),
    ));
    out.extend(http_at_once(env, plan, wrk_missing.as_deref()));
    out
}

/// `http_hyper`'s arguments for the second http twin: hyper's own
/// header-read timeout, 30 s (hyper's default, and green::http's).
const HYPER_TIMED: [&str; 2] = ["--header-timeout-secs", "30"];

/// The figure of http's second row: the same runs of green, gevent and
/// eventlet, the twin being hyper with its own header-read timeout, the one
/// limit of green::http (its 408) that hyper has.
const HTTP_TIMED_CPU: &str =
    "server CPU per request, the twin with hyper's header-read timeout (30 s)";

fn http_once(
    env: &Env,
    server: Program,
    extra: &[&str],
    conns: usize,
    secs: u64,
) -> Result<Metrics, RunError> {
    let mut server = Server::start(env.command(server, &server_args(extra), 0))?;
    let before = server.cpu_secs()?;
    let out = wrk(env, server.port, conns, secs)
        .output()
        .map_err(|e| RunError::Failed(format!("cannot run wrk: {e}")))?;
    let after = server.cpu_secs()?;
    server.check_alive()?;
    wrk_metrics(&out, after - before)
}

/// An http server's arguments: any port, then `extra`.
fn server_args(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--port".to_owned(), "0".to_owned()];
    args.extend(extra.iter().map(|arg| (*arg).to_owned()));
    args
}

/// `wrk -t1 -cN -dSs --latency` against 127.0.0.1:`port`, pinned to core 1.
fn wrk(env: &Env, port: u16, conns: usize, secs: u64) -> Command {
    let mut wrk = if env.pin {
        let mut c = Command::new("taskset");
        c.args(["-c", "1", "wrk"]);
        c
    } else {
        Command::new("wrk")
    };
    wrk.args([
        "-t1",
        &format!("-c{conns}"),
        &format!("-d{secs}s"),
        "--latency",
        &format!("http://127.0.0.1:{port}/"),
    ]);
    wrk
}

/// http served at once: green::http and a hyper twin serve at the same
/// time, both on core 0, each loaded by its own wrk on core 1, in turn
/// started first; once with hyper as it comes, once with its header-read
/// timeout. Each repetition measures both servers over the same seconds,
/// so what the machine does meanwhile (its speed drifts by ±15% between
/// runs of one program here) falls on both alike: the two figures of one
/// repetition differ by what the servers do. Measured with hyper against
/// itself this way, the ratio's spread is under 1% (docs/benchmarks.md).
fn http_at_once(env: &Env, plan: &Plan, wrk_missing: Option<&str>) -> Vec<Figure> {
    let label = format!("http c={}", plan.http_conns);
    let specs = |name| {
        [spec(
            "cpu_us_per_op",
            (name, "CPU per request, served at once"),
            "µs",
            true,
            false,
        )]
    };
    let plain = at_once(env, plan, &label, ("hyper", &[]), wrk_missing);
    let mut out = figures(&label, "hyper 1 on tokio", &specs(HTTP_AT_ONCE_CPU), &plain);
    let twin = ("hyper with its header timeout", &HYPER_TIMED[..]);
    let timed = at_once(env, plan, &label, twin, wrk_missing);
    out.extend(figures(
        &label,
        "hyper 1 on tokio",
        &specs(HTTP_AT_ONCE_TIMED_CPU),
        &timed,
    ));
    out
}

/// The figures of the http servers served at once.
pub(crate) const HTTP_AT_ONCE_CPU: &str =
    "server CPU per request, green::http and hyper served at once on one core";
const HTTP_AT_ONCE_TIMED_CPU: &str = "server CPU per request, green::http and hyper with its header-read timeout served at once on one core";

/// The repetitions of [`http_at_once`] against `http_hyper` with the
/// twin's arguments (`twin`: its name in the log, and those): green's
/// figures in the green column, the twin's in the twin column.
fn at_once(
    env: &Env,
    plan: &Plan,
    label: &str,
    (twin, twin_args): (&str, &[&str]),
    wrk_missing: Option<&str>,
) -> Collected {
    let servers = [
        (System::Green, Program::Rust("http_green"), &[][..]),
        (System::Tokio, Program::Rust("http_hyper"), twin_args),
    ];
    let mut collected: Collected = BTreeMap::new();
    for (system, _, _) in servers {
        let entry = match wrk_missing {
            Some(reason) => Err(reason.to_owned()),
            None => Ok(Vec::new()),
        };
        collected.insert(system, entry);
    }
    if wrk_missing.is_some() {
        return collected;
    }
    for rep in 1..=plan.net_reps {
        print!(
            "  {label:<12} {rep}/{}  green and {twin} at once ",
            plan.net_reps
        );
        let _ = std::io::stdout().flush();
        let mut order = servers;
        if rep % 2 == 0 {
            order.reverse();
        }
        match http_together(env, &order, plan.http_conns, plan.http_secs) {
            Ok(runs) => {
                let mut shown = Vec::new();
                for (system, metrics) in runs {
                    let cpu = metrics.get("cpu_us_per_op").copied().unwrap_or(f64::NAN);
                    shown.push(format!("{} {}", system.name(), crate::report::number(cpu)));
                    if let Some(Ok(samples)) = collected.get_mut(&system) {
                        samples.push(metrics);
                    }
                }
                println!("cpu_us_per_op: {}", shown.join(", "));
            }
            Err(err) => {
                let msg = match err {
                    RunError::NotBuilt(reason) => format!("not built yet: {reason}"),
                    RunError::Failed(msg) => format!("failed: {}", first_line(&msg)),
                };
                println!("{msg}");
                note(format!(
                    "{label}, green and {twin} at once, run {rep}: {msg}"
                ));
            }
        }
    }
    for entry in collected.values_mut() {
        if matches!(entry, Ok(samples) if samples.is_empty()) {
            *entry = Err("no run completed".into());
        }
    }
    collected
}

/// One repetition of [`http_at_once`]: every server of `servers` started,
/// loaded at once, and measured.
fn http_together(
    env: &Env,
    servers: &[(System, Program, &[&str])],
    conns: usize,
    secs: u64,
) -> Result<Vec<(System, Metrics)>, RunError> {
    let mut started = Vec::new();
    for (system, program, extra) in servers {
        let command = env.command(*program, &server_args(extra), 0);
        started.push((*system, Server::start(command)?));
    }
    let mut loads = Vec::new();
    for (_, server) in &started {
        let before = server.cpu_secs()?;
        let wrk = wrk(env, server.port, conns, secs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| RunError::Failed(format!("cannot run wrk: {e}")))?;
        loads.push((before, wrk));
    }
    let mut runs = Vec::new();
    for ((system, server), (before, wrk)) in started.iter_mut().zip(loads) {
        let out = wrk
            .wait_with_output()
            .map_err(|e| RunError::Failed(format!("wrk: {e}")))?;
        let after = server.cpu_secs()?;
        server.check_alive()?;
        runs.push((*system, wrk_metrics(&out, after - before)?));
    }
    Ok(runs)
}

/// What a finished wrk run reported, with the server side's CPU per request
/// (`cpu_us_per_op`) from the `server_cpu_secs` it used meanwhile.
pub(crate) fn wrk_metrics(out: &Output, server_cpu_secs: f64) -> Result<Metrics, RunError> {
    let text = String::from_utf8_lossy(&out.stdout);
    let mut metrics = parse_wrk(&text).ok_or_else(|| {
        RunError::Failed(format!(
            "cannot read wrk output: {} {}",
            text.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    })?;
    let requests = metrics["requests"];
    if requests < 1.0 {
        return Err(RunError::Failed("wrk completed no request".into()));
    }
    metrics.insert("cpu_us_per_op".into(), server_cpu_secs * 1e6 / requests);
    Ok(metrics)
}

/// http client: C tasks of one client GET "Hello, World!" from the hyper
/// server (pinned to core 0) in a loop; the client process (core 1) reports
/// its own CPU per request.
pub(crate) fn client(env: &Env, plan: &Plan, tools: &Tools) -> Vec<Figure> {
    let contestants = [
        (
            System::Green,
            Contestant::Run(Program::Rust("client_green")),
        ),
        (
            System::Tokio,
            Contestant::Run(Program::Rust("client_reqwest")),
        ),
        (System::Gevent, python(tools, "client_gevent.py")),
        (System::Eventlet, Contestant::Missing("—".into())),
    ];
    let label = format!("http client c={}", plan.client_conns);
    let collected = alternate(
        &label,
        plan.net_reps,
        &contestants,
        "cpu_us_per_request",
        |_, program| client_once(env, program, plan.client_conns, plan.http_secs),
    );
    figures(
        &label,
        "async reqwest on tokio",
        &[
            spec(
                "cpu_us_per_request",
                ("client CPU per request", "client CPU per request"),
                "µs",
                true,
                true,
            ),
            spec(
                "krps",
                ("requests per second", "throughput"),
                "k/s",
                false,
                false,
            ),
        ],
        &collected,
    )
}

fn client_once(env: &Env, client: Program, conns: usize, secs: u64) -> Result<Metrics, RunError> {
    let server = Program::Rust("http_hyper");
    let mut server = Server::start(env.command(server, &["--port".to_owned(), "0".to_owned()], 0))?;
    let args = [
        "--port".to_owned(),
        server.port.to_string(),
        "--concurrency".to_owned(),
        conns.to_string(),
        "--seconds".to_owned(),
        secs.to_string(),
        // Connections made and code paths warm before the timed phase.
        "--warmup".to_owned(),
        (secs as f64 / 4.0).min(1.0).to_string(),
    ];
    let mut metrics = run_once(
        env.command(client, &args, 1),
        Duration::from_secs(secs + 60),
    )?;
    server.check_alive()?;
    if metrics.get("requests").copied().unwrap_or(0.0) < 1.0 {
        return Err(RunError::Failed("no request completed".into()));
    }
    let rps = metrics.get("requests_per_sec").copied().unwrap_or(0.0);
    metrics.insert("krps".into(), rps / 1e3);
    Ok(metrics)
}

/// Requests, requests per second (as k/s), p99 latency (ms) and errors from
/// wrk's `--latency` output.
pub(crate) fn parse_wrk(text: &str) -> Option<Metrics> {
    let mut metrics = Metrics::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            metrics.insert("krps".into(), rest.trim().parse::<f64>().ok()? / 1e3);
        } else if line.contains(" requests in ") {
            let n = line.split_whitespace().next()?.parse().ok()?;
            metrics.insert("requests".into(), n);
        } else if let Some(rest) = line.strip_prefix("99%") {
            metrics.insert("p99_ms".into(), wrk_duration_ms(rest.trim())?);
        } else if line.starts_with("Non-2xx or 3xx responses:") {
            let n = line.rsplit(' ').next()?.parse().ok()?;
            metrics.insert("non_2xx".into(), n);
        }
    }
    (metrics.contains_key("krps") && metrics.contains_key("requests")).then_some(metrics)
}

fn wrk_duration_ms(text: &str) -> Option<f64> {
    let (number, scale) = if let Some(n) = text.strip_suffix("us") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60e3)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1e3)
    } else {
        return None;
    };
    Some(number.trim().parse::<f64>().ok()? * scale)
}

/// macro: the same program with #[green] and by hand; run time, future size.
pub(crate) fn macro_(env: &Env, plan: &Plan) -> Vec<Figure> {
    let contestants = [
        (System::Green, Contestant::Run(Program::Rust("macro_green"))),
        (
            System::Tokio,
            Contestant::Run(Program::Rust("macro_handwritten")),
        ),
        (System::Gevent, Contestant::Missing("—".into())),
        (System::Eventlet, Contestant::Missing("—".into())),
    ];
    let args = vec!["--n".to_owned(), plan.macro_n.to_string()];
    let collected = alternate("macro", plan.reps, &contestants, "wall_ms", |_, program| {
        run_once(env.command(program, &args, 0), LONG)
    });
    let mut out = figures(
        "macro",
        "hand-written async",
        &[
            spec("wall_ms", ("run time", "run time"), "ms", true, true),
            spec(
                "future_bytes",
                ("size of the top future", "future size"),
                "B",
                true,
                false,
            ),
        ],
        &collected,
    );
    let mut cells = check_times(plan);
    cells.insert(System::Gevent, Cell::Missing("—".into()));
    cells.insert(System::Eventlet, Cell::Missing("—".into()));
    out.push(Figure {
        workload: "macro".into(),
        name: "`cargo check` time",
        short: "cargo check",
        unit: "s",
        lower_is_better: true,
        headline: false,
        twin: "hand-written async",
        cells,
    });
    out
}

/// The `cargo check` time of one generated program (~3,800 lines, one fn
/// with 660 calls) in `#[green]` form and in hand-written async form, whole
/// crate type-checked on every run: `macro-cost/`, run as a subprocess (it
/// builds generated crates in a target directory of its own).
// Before: macro-cost's stdout, `samples green_form 3.5 3.6 ..` per form
// After:  {green: [3.5, 3.6, ..], tokio: [2.1, 2.2, ..]} in seconds per run
fn check_times(plan: &Plan) -> BTreeMap<System, Cell> {
    let runs = plan.check_runs;
    let missing = |reason: String| {
        BTreeMap::from([
            (System::Green, Cell::Missing(reason.clone())),
            (System::Tokio, Cell::Missing(reason)),
        ])
    };
    if runs == 0 {
        return missing(format!("skipped in {} mode", plan.mode));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../macro-cost/Cargo.toml");
    print!("  cargo check  {runs} runs per form, alternating (macro-cost/) ");
    let _ = std::io::stdout().flush();
    let output = Command::new("cargo")
        .args(["run", "--quiet", "--release", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "--no-incremental", "--no-awaited", "--runs"])
        .arg(runs.to_string())
        .stderr(Stdio::inherit())
        .output();
    let fail = |reason: String| {
        println!("FAILED: {reason}");
        note(format!("macro, cargo check: {reason}"));
        missing("failed".into())
    };
    let text = match output {
        Ok(output) if output.status.success() => {
            String::from_utf8_lossy(&output.stdout).into_owned()
        }
        Ok(output) => return fail(format!("macro-cost failed ({})", output.status)),
        Err(error) => return fail(format!("cannot run cargo: {error}")),
    };
    let parsed = parse_check_samples(&text);
    match (parsed.get("green_form"), parsed.get("async_form")) {
        (Some(green), Some(handwritten)) if !green.is_empty() && !handwritten.is_empty() => {
            println!("done");
            BTreeMap::from([
                (System::Green, Cell::Samples(green.clone())),
                (System::Tokio, Cell::Samples(handwritten.clone())),
            ])
        }
        _ => fail("macro-cost printed no samples".into()),
    }
}

/// `samples <form> <seconds>..` lines of macro-cost's output, by form.
fn parse_check_samples(text: &str) -> BTreeMap<String, Vec<f64>> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("samples ")?.split_whitespace();
            let form = words.next()?.to_owned();
            let samples: Option<Vec<f64>> = words.map(|w| w.parse().ok()).collect();
            Some((form, samples?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let text = "Running 5s test @ http://127.0.0.1:1/\n  1 threads and 100 connections\n  Latency Distribution\n     50%  1.00ms\n     99%  812.00us\n  12345 requests in 5.00s, 1.2MB read\nRequests/sec:   2469.00\n";
        let m = parse_wrk(text).unwrap();
        assert_eq!(m["requests"], 12345.0);
        assert!((m["krps"] - 2.469).abs() < 1e-9);
        assert!((m["p99_ms"] - 0.812).abs() < 1e-9);
    }

    #[test]
    fn reads_macro_cost_samples() {
        let text = "| form | ..\nratio green / async: 1.70×\nsamples green_form 3.500 3.600\nsamples async_form 2.100 2.050\n";
        let parsed = parse_check_samples(text);
        assert_eq!(parsed["green_form"], vec![3.5, 3.6]);
        assert_eq!(parsed["async_form"], vec![2.1, 2.05]);
        assert_eq!(parsed.len(), 2);
    }
}
