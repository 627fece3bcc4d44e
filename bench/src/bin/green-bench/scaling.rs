//! The scaling section: the echo and http servers on one hub and on n
//! (`StreamServer::workers(n)`, `green::http::Server::workers(n)`), beside
//! tokio's multi-thread runtime with 1 and n worker threads (echo; hyper
//! on it for http) and gevent and eventlet as 1 and n processes on one
//! `SO_REUSEPORT` port. The same load generators as the echo and http
//! rows (`echo_client`, wrk), given as many threads as the server has
//! hubs.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::figures::{Cell, Figure, System, spec};
use crate::proc::{Env, Measured, Metrics, Program, RunError, Server, stop};
use crate::workloads::{
    Collected, Contestant, Plan, Tools, alternate, drive_echo_client, figures, note, python,
    wrk_metrics,
};

/// Set when some scaling row ran with the load generator on the server's
/// cores: its throughput then measures the machine, not the server, and
/// the throughput target is not judged (report.rs reads it).
pub(crate) static LOAD_GENERATOR_SHARES_CORES: AtomicBool = AtomicBool::new(false);

/// The figure whose target is throughput with n hubs ≥ 0.9 × n × one hub.
pub(crate) const EFFICIENCY: &str = "scaling efficiency: throughput with n ÷ (n × with one)";

/// The main figure of the rows, which report.rs judges against the twin.
pub(crate) const CPU_PER_OP: &str = "server CPU per operation";

/// The hub counts measured: 1, 2, and half the cores where there are more
/// than 4 (the other half for the load generator).
fn worker_counts(cores: usize) -> Vec<usize> {
    let mut counts = vec![1, 2];
    if cores / 2 > 2 {
        counts.push(cores / 2);
    }
    counts
}

/// Where the server and the load generator run for `n` hubs: each on
/// cores of its own when the machine has enough, else unpinned (and noted).
struct Layout {
    server: Option<String>,
    client: Option<String>,
    shared: bool,
}

fn layout(env: &Env, cores: usize, n: usize) -> Layout {
    let cpus = |from: usize, count: usize| match count {
        1 => from.to_string(),
        _ => format!("{from}-{}", from + count - 1),
    };
    if env.pin && cores >= 2 * n {
        Layout {
            server: Some(cpus(0, n)),
            client: Some(cpus(n, n)),
            shared: false,
        }
    } else {
        Layout {
            server: None,
            client: None,
            shared: true,
        }
    }
}

/// How one system's server is started with `n` hubs.
#[derive(Clone, Copy)]
enum Launch {
    /// One process, `--workers n`.
    Hubs(&'static str),
    /// n processes, `--reuseport 1`.
    Processes(&'static str),
}

pub(crate) fn scaling(env: &Env, plan: &Plan, tools: &Tools) -> Vec<Figure> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let counts = worker_counts(cores);
    // The smoke run stays under its minute: one repetition.
    let reps = if plan.mode == "smoke" {
        1
    } else {
        plan.net_reps
    };
    let mut out = Vec::new();
    let echo = [
        (System::Green, Launch::Hubs("echo_green_server")),
        (System::Tokio, Launch::Hubs("echo_tokio_mt")),
        (System::Gevent, Launch::Processes("echo_gevent.py")),
        (System::Eventlet, Launch::Processes("echo_eventlet.py")),
    ];
    let conns = plan.echo_conns.first().copied().unwrap_or(100);
    out.extend(section(
        "scaling echo",
        "tokio multi-thread runtime",
        &counts,
        tools,
        None,
        &echo,
        reps,
        |server, n, layout| echo_once(env, server, n, layout, conns, plan.echo_secs),
        env,
        cores,
    ));
    let http = [
        (System::Green, Launch::Hubs("http_green")),
        (System::Tokio, Launch::Hubs("http_hyper_mt")),
        (System::Gevent, Launch::Processes("http_gevent.py")),
        (System::Eventlet, Launch::Processes("http_eventlet.py")),
    ];
    out.extend(section(
        "scaling http",
        "hyper 1 on tokio's multi-thread runtime",
        &counts,
        tools,
        tools.wrk.as_ref().err().cloned(),
        &http,
        reps,
        |server, n, layout| http_once(env, server, n, layout, plan.http_conns, plan.http_secs),
        env,
        cores,
    ));
    out
}

/// The rows of one workload: for each hub count, CPU per operation and
/// throughput of every system; then the efficiency of each count above 1.
#[allow(clippy::too_many_arguments)]
fn section(
    label: &str,
    twin: &'static str,
    counts: &[usize],
    tools: &Tools,
    missing: Option<String>,
    systems: &[(System, Launch)],
    reps: usize,
    mut run: impl FnMut(&ServerGroupPlan, usize, &Layout) -> Result<Metrics, RunError>,
    env: &Env,
    cores: usize,
) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut throughput: BTreeMap<usize, Figure> = BTreeMap::new();
    for &n in counts {
        let layout = layout(env, cores, n);
        if layout.shared && n > 1 {
            LOAD_GENERATOR_SHARES_CORES.store(true, Ordering::Relaxed);
            note(format!(
                "{label}, {n} hubs: {cores} cores for {n} server hubs and a {n}-thread load \
                 generator: they share the cores, so the throughput measures the machine \
                 (the load generator is the bottleneck), not the server; CPU per operation \
                 still compares"
            ));
        }
        let contestants: Vec<(System, Contestant)> = systems
            .iter()
            .map(|&(system, launch)| {
                let contestant = match (&missing, launch) {
                    (Some(reason), _) => Contestant::Missing(reason.clone()),
                    (None, Launch::Hubs(bin)) => Contestant::Run(Program::Rust(bin)),
                    (None, Launch::Processes(script)) => python(tools, script),
                };
                (system, contestant)
            })
            .collect();
        let row = format!("{label}, {}", hubs_text(n));
        let collected: Collected = alternate(
            &row,
            reps,
            &contestants,
            "cpu_us_per_op",
            |system, program| {
                let launch = systems
                    .iter()
                    .find(|(s, _)| *s == system)
                    .map(|(_, l)| *l)
                    .expect("a launch per system");
                let plan = ServerGroupPlan { program, launch };
                run(&plan, n, &layout)
            },
        );
        let rows = figures(
            &row,
            twin,
            &[
                spec(
                    "cpu_us_per_op",
                    (CPU_PER_OP, "CPU per op"),
                    "µs",
                    true,
                    n > 1,
                ),
                spec("krps", ("throughput", "throughput"), "k/s", false, false),
                spec(
                    "client_busy",
                    (
                        "load generator busy: its CPU ÷ (its threads × the time)",
                        "client busy",
                    ),
                    "share",
                    true,
                    false,
                ),
            ],
            &collected,
        );
        throughput.insert(n, rows[1].clone());
        out.extend(rows);
    }
    if let Some(one) = throughput.get(&1) {
        for (&n, many) in throughput.iter().filter(|(n, _)| **n > 1) {
            out.push(efficiency(label, twin, n, one, many));
        }
    }
    out
}

fn hubs_text(n: usize) -> String {
    match n {
        1 => "1 hub".to_owned(),
        n => format!("{n} hubs"),
    }
}

/// throughput(n) ÷ (n × throughput(1)), per system.
fn efficiency(label: &str, twin: &'static str, n: usize, one: &Figure, many: &Figure) -> Figure {
    let mut cells = BTreeMap::new();
    for system in System::ALL {
        let cell = match (one.median(system), many.median(system)) {
            (Some(a), Some(b)) if a > 0.0 => Cell::Samples(vec![b / (n as f64 * a)]),
            _ => Cell::Missing("—".into()),
        };
        cells.insert(system, cell);
    }
    Figure {
        workload: format!("{label}, {}", hubs_text(n)),
        name: EFFICIENCY,
        short: "efficiency",
        unit: "×",
        lower_is_better: false,
        headline: false,
        twin,
        cells,
    }
}

/// What to start for one run: the program and how it takes n hubs.
struct ServerGroupPlan {
    program: Program,
    launch: Launch,
}

/// The server processes of one run: one with n hubs, or n on one port.
struct ServerGroup {
    servers: Vec<Server>,
}

impl ServerGroup {
    fn start(
        env: &Env,
        plan: &ServerGroupPlan,
        n: usize,
        layout: &Layout,
    ) -> Result<Self, RunError> {
        let cpus = layout.server.as_deref();
        let mut servers = Vec::new();
        match plan.launch {
            Launch::Hubs(_) => {
                let args = ["--port", "0", "--workers", &n.to_string()].map(str::to_owned);
                servers.push(Server::start(env.command_on(plan.program, &args, cpus))?);
            }
            Launch::Processes(_) => {
                let mut port = 0;
                for _ in 0..n {
                    let args = ["--port", &port.to_string(), "--reuseport", "1"].map(str::to_owned);
                    let server = Server::start(env.command_on(plan.program, &args, cpus))?;
                    port = server.port;
                    servers.push(server);
                }
            }
        }
        Ok(ServerGroup { servers })
    }

    fn port(&self) -> u16 {
        self.servers[0].port
    }
}

impl Measured for ServerGroup {
    fn cpu_secs(&self) -> Result<f64, RunError> {
        self.servers.iter().map(Server::cpu_secs).sum()
    }

    fn check_alive(&mut self) -> Result<(), RunError> {
        self.servers.iter_mut().try_for_each(Server::check_alive)
    }
}

/// CPU seconds of this process's reaped children (the load generator,
/// once it has exited and been waited for).
fn children_cpu_secs() -> f64 {
    // SAFETY: all-zero is a valid `rusage`; getrusage only writes the struct we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn echo_once(
    env: &Env,
    plan: &ServerGroupPlan,
    n: usize,
    layout: &Layout,
    conns: usize,
    secs: f64,
) -> Result<Metrics, RunError> {
    let mut group = ServerGroup::start(env, plan, n, layout)?;
    let args = [
        "--port".to_owned(),
        group.port().to_string(),
        "--conns".to_owned(),
        conns.to_string(),
        "--secs".to_owned(),
        secs.to_string(),
        "--size".to_owned(),
        "64".to_owned(),
        "--threads".to_owned(),
        n.to_string(),
    ];
    let client_cpu_before = children_cpu_secs();
    let mut client = env
        .command_on(
            Program::Rust("echo_client"),
            &args,
            layout.client.as_deref(),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RunError::Failed(format!("cannot start echo_client: {e}")))?;
    let result = drive_echo_client(&mut client, &mut group, secs);
    if result.is_ok() {
        // The client exits once it has reported: wait for it, so that its
        // CPU time is counted.
        let _ = client.wait();
    }
    stop(&mut client);
    let result = result.map(|mut metrics| {
        let client_cpu = children_cpu_secs() - client_cpu_before;
        // Its connecting phase is in there too: an upper bound.
        metrics.insert("client_busy".into(), client_cpu / (secs * n as f64));
        metrics
    });
    drop(group);
    result
}

fn http_once(
    env: &Env,
    plan: &ServerGroupPlan,
    n: usize,
    layout: &Layout,
    conns: usize,
    secs: u64,
) -> Result<Metrics, RunError> {
    let mut group = ServerGroup::start(env, plan, n, layout)?;
    let url = format!("http://127.0.0.1:{}/", group.port());
    let mut wrk = match &layout.client {
        Some(cpus) => {
            let mut c = Command::new("taskset");
            c.args(["-c", cpus, "wrk"]);
            c
        }
        None => Command::new("wrk"),
    };
    wrk.args([
        &format!("-t{n}"),
        &format!("-c{conns}"),
        &format!("-d{secs}s"),
        "--latency",
        &url,
    ]);
    let client_cpu_before = children_cpu_secs();
    let before = group.cpu_secs()?;
    let out = wrk
        .output()
        .map_err(|e| RunError::Failed(format!("cannot run wrk: {e}")))?;
    let after = group.cpu_secs()?;
    let client_cpu = children_cpu_secs() - client_cpu_before;
    group.check_alive()?;
    let mut metrics = wrk_metrics(&out, after - before)?;
    metrics.insert("client_busy".into(), client_cpu / (secs as f64 * n as f64));
    Ok(metrics)
}
