//! bench/results/latest.md: the machine, the method, every figure with
//! min/median/max and its ratios, and the targets of docs/benchmarks.md.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use crate::figures::{Cell, Figure, System, summary};
use crate::machine::Machine;
use crate::scaling::{CPU_PER_OP, EFFICIENCY, LOAD_GENERATOR_SHARES_CORES};
use crate::workloads::{ECHO_SERVER_CPU, HTTP_AT_ONCE_CPU, Plan, WAITERS_GROWTH};

/// A number with a precision that suits its size.
pub(crate) fn number(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn cell_text(cell: Option<&Cell>) -> String {
    match cell {
        Some(Cell::Samples(s)) if !s.is_empty() => {
            let (min, median, max) = summary(s);
            if s.len() == 1 {
                number(median)
            } else {
                format!("**{}** ({}–{})", number(median), number(min), number(max))
            }
        }
        Some(Cell::Samples(_)) | None => "—".into(),
        Some(Cell::Missing(reason)) => reason.replace('|', "\\|"),
    }
}

fn ratio_text(r: Option<f64>) -> String {
    r.map_or_else(|| "—".into(), |r| format!("×{}", number(r)))
}

/// The anchor figures of docs/benchmarks.md (tokio / gevent / eventlet), for the
/// figures that have one.
fn anchor(figure: &Figure) -> &'static str {
    let w = figure.workload.as_str();
    match (w, figure.name) {
        (w, "memory per parked task") if w.starts_with("spawn") => "~0.6 KiB / ~4 KiB / ~8 KiB",
        (w, "wall per task: spawn + park + set + join") if w.starts_with("spawn") => {
            "~1.4 / ~13.5 / ~41 µs (100k tasks, the 1 s wait taken out)"
        }
        ("switch", "ping-pong round trip, two spawned tasks") => "253 / 4,203 / 8,263 ns",
        ("echo C=100", "server CPU per round trip" | ECHO_SERVER_CPU) => "6.7 / 14.5 / 27.9 µs",
        ("echo C=1000", "server CPU per round trip" | ECHO_SERVER_CPU) => "9.2 / 19.8 / 32.9 µs",
        (w, "server CPU per request") if w.starts_with("http") => "6.9 / 80.6 / 104 µs",
        _ => "",
    }
}

/// One target of docs/benchmarks.md.
struct Target {
    text: &'static str,
    workload: &'static str,
    figure: &'static str,
    rule: Rule,
}

enum Rule {
    /// green ≤ twin × limit.
    AtMostTwin(f64),
    /// green ≤ twin × limit, both measured at once in each repetition: the
    /// noise is told by each repetition's own ratio, not by the ranges.
    AtMostTwinAtOnce(f64),
    /// green ≤ limit, for a figure that is itself a ratio (the twin's is
    /// shown beside).
    AtMost(f64),
    /// gevent ≥ green × factor.
    GeventFactor(f64),
    /// eventlet ≥ green × factor.
    EventletFactor(f64),
    /// green ≥ limit, for a figure that is itself a ratio; not judged when
    /// the load generator shared the server's cores.
    Scaling(f64),
}

const TARGETS: &[Target] = &[
    Target {
        text: "spawn: memory per parked task ≤ tokio × 1.1",
        workload: "spawn",
        figure: "memory per parked task",
        rule: Rule::AtMostTwin(1.1),
    },
    Target {
        text: "spawn: memory per parked task ≤ gevent / 6",
        workload: "spawn",
        figure: "memory per parked task",
        rule: Rule::GeventFactor(6.0),
    },
    Target {
        text: "switch: round trip ≤ tokio × 1.1",
        workload: "switch",
        figure: "ping-pong round trip, two spawned tasks",
        rule: Rule::AtMostTwin(1.1),
    },
    Target {
        text: "switch: ≥ 15× faster than gevent",
        workload: "switch",
        figure: "ping-pong round trip, two spawned tasks",
        rule: Rule::GeventFactor(15.0),
    },
    Target {
        text: "waiters queue: wake time grows linearly: growth for N ×10 ≤ ×50 (linear: ×10 in work, ×20–45 measured for green and tokio alike on a loaded 2-core VM, once 100k tasks overflow the caches; a quadratic list ×100)",
        workload: "waiters queue",
        figure: WAITERS_GROWTH,
        rule: Rule::AtMost(50.0),
    },
    Target {
        text: "waiters event: wake time grows linearly: growth for N ×10 ≤ ×50",
        workload: "waiters event",
        figure: WAITERS_GROWTH,
        rule: Rule::AtMost(50.0),
    },
    Target {
        text: "waiters lock: wake time grows linearly: growth for N ×10 ≤ ×50",
        workload: "waiters lock",
        figure: WAITERS_GROWTH,
        rule: Rule::AtMost(50.0),
    },
    Target {
        text: "echo C=100: server CPU ≤ tokio × 1.05",
        workload: "echo C=100",
        figure: "server CPU per round trip",
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "echo C=100: server CPU ≥ 2× less than gevent",
        workload: "echo C=100",
        figure: "server CPU per round trip",
        rule: Rule::GeventFactor(2.0),
    },
    Target {
        text: "echo C=1000: server CPU ≤ tokio × 1.05",
        workload: "echo C=1000",
        figure: "server CPU per round trip",
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "echo C=1000: server CPU ≥ 2× less than gevent",
        workload: "echo C=1000",
        figure: "server CPU per round trip",
        rule: Rule::GeventFactor(2.0),
    },
    Target {
        text: "echo C=100, StreamServer: server CPU ≤ tokio × 1.05",
        workload: "echo C=100",
        figure: ECHO_SERVER_CPU,
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "echo C=100, StreamServer: server CPU ≥ 2× less than gevent",
        workload: "echo C=100",
        figure: ECHO_SERVER_CPU,
        rule: Rule::GeventFactor(2.0),
    },
    Target {
        text: "echo C=1000, StreamServer: server CPU ≤ tokio × 1.05",
        workload: "echo C=1000",
        figure: ECHO_SERVER_CPU,
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "echo C=1000, StreamServer: server CPU ≥ 2× less than gevent",
        workload: "echo C=1000",
        figure: ECHO_SERVER_CPU,
        rule: Rule::GeventFactor(2.0),
    },
    Target {
        text: "http: server CPU ≤ hyper × 1.05",
        workload: "http",
        figure: "server CPU per request",
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "http, served at once: server CPU ≤ hyper × 1.05",
        workload: "http",
        figure: HTTP_AT_ONCE_CPU,
        rule: Rule::AtMostTwinAtOnce(1.05),
    },
    Target {
        text: "http: server CPU ≥ 10× less than gevent",
        workload: "http",
        figure: "server CPU per request",
        rule: Rule::GeventFactor(10.0),
    },
    Target {
        text: "http: server CPU ≥ 10× less than eventlet",
        workload: "http",
        figure: "server CPU per request",
        rule: Rule::EventletFactor(10.0),
    },
    Target {
        text: "http client: CPU per request ≤ async reqwest × 1.05",
        workload: "http client",
        figure: "client CPU per request",
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "scaling echo, 1 hub: server CPU ≤ tokio multi-thread × 1.05",
        workload: "scaling echo, 1 hub",
        figure: CPU_PER_OP,
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "scaling echo, 2 hubs: server CPU ≤ tokio multi-thread × 1.05",
        workload: "scaling echo, 2 hubs",
        figure: CPU_PER_OP,
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "scaling echo, 2 hubs: throughput ≥ 0.9 × 2 × one hub's, where the load generator is not the bottleneck",
        workload: "scaling echo, 2 hubs",
        figure: EFFICIENCY,
        rule: Rule::Scaling(0.9),
    },
    Target {
        text: "scaling http, 1 hub: server CPU ≤ hyper on tokio multi-thread × 1.05",
        workload: "scaling http, 1 hub",
        figure: CPU_PER_OP,
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "scaling http, 2 hubs: server CPU ≤ hyper on tokio multi-thread × 1.05",
        workload: "scaling http, 2 hubs",
        figure: CPU_PER_OP,
        rule: Rule::AtMostTwin(1.05),
    },
    Target {
        text: "scaling http, 2 hubs: throughput ≥ 0.9 × 2 × one hub's, where the load generator is not the bottleneck",
        workload: "scaling http, 2 hubs",
        figure: EFFICIENCY,
        rule: Rule::Scaling(0.9),
    },
    Target {
        text: "macro: run time ≤ hand-written × 1.02",
        workload: "macro",
        figure: "run time",
        rule: Rule::AtMostTwin(1.02),
    },
    Target {
        text: "macro: `cargo check` time ≤ hand-written × 2",
        workload: "macro",
        figure: "`cargo check` time",
        rule: Rule::AtMostTwin(2.0),
    },
];

fn judge(target: &Target, figures: &[Figure]) -> Option<(String, String)> {
    let figure = figures
        .iter()
        .find(|f| f.workload.starts_with(target.workload) && f.name == target.figure)?;
    let missing = |s: System| match figure.cells.get(&s) {
        Some(Cell::Missing(reason)) => reason.clone(),
        _ => "no figure".into(),
    };
    let Some(green) = figure.median(System::Green) else {
        return Some((
            "—".into(),
            format!("not measured: green {}", missing(System::Green)),
        ));
    };
    Some(match target.rule {
        Rule::AtMostTwin(limit) | Rule::AtMostTwinAtOnce(limit) => {
            let Some(r) = figure.ratio(System::Green, System::Tokio) else {
                return Some((
                    "—".into(),
                    format!("not measured: twin {}", missing(System::Tokio)),
                ));
            };
            let measured = format!("green ÷ twin = ×{}", number(r));
            if r <= limit {
                (measured, "**met**".into())
            } else {
                let noise = match (&target.rule, paired_ratios(figure)) {
                    (Rule::AtMostTwinAtOnce(_), Some((low, high))) if low > limit => format!(
                        "; every repetition over it: ×{}–×{}",
                        number(low),
                        number(high)
                    ),
                    (Rule::AtMostTwinAtOnce(_), Some((low, high))) => format!(
                        "; repetitions ×{}–×{}: within the noise of this run",
                        number(low),
                        number(high)
                    ),
                    _ if ranges_overlap(figure) => {
                        "; the min–max ranges overlap: within the noise of this run".into()
                    }
                    _ => String::new(),
                };
                (
                    measured,
                    format!(
                        "**missed** by {:.0}% (limit ×{limit}{noise})",
                        (r / limit - 1.0) * 100.0
                    ),
                )
            }
        }
        Rule::AtMost(limit) => {
            let mut measured = format!("green ×{}", number(green));
            if let Some(twin) = figure.median(System::Tokio) {
                measured.push_str(&format!(" (twin ×{})", number(twin)));
            }
            if green <= limit {
                (measured, "**met**".into())
            } else {
                (measured, format!("**missed** (limit ×{limit})"))
            }
        }
        Rule::Scaling(limit) => {
            let mut measured = format!("green ×{}", number(green));
            if let Some(twin) = figure.median(System::Tokio) {
                measured.push_str(&format!(" (twin ×{})", number(twin)));
            }
            if LOAD_GENERATOR_SHARES_CORES.load(Ordering::Relaxed) {
                (
                    measured,
                    "not judged: the load generator shares the server's cores on this machine, \
                     so it is the bottleneck (see the notes)"
                        .into(),
                )
            } else if green >= limit {
                (measured, "**met**".into())
            } else {
                (measured, format!("**missed** (at least ×{limit})"))
            }
        }
        Rule::GeventFactor(factor) | Rule::EventletFactor(factor) => {
            let other = match target.rule {
                Rule::EventletFactor(_) => System::Eventlet,
                _ => System::Gevent,
            };
            let name = other.name();
            let Some(slower) = figure.median(other) else {
                return Some((
                    "—".into(),
                    format!("not measured: {name} {}", missing(other)),
                ));
            };
            let f = slower / green;
            let mut measured = format!("{name} ÷ green = ×{}", number(f));
            if let Some(twin) = figure.median(System::Tokio) {
                measured.push_str(&format!(" ({name} ÷ twin = ×{})", number(slower / twin)));
            }
            if f >= factor {
                (measured, "**met**".into())
            } else {
                (
                    measured,
                    format!("**missed**: ×{} of the ×{factor} asked", number(f)),
                )
            }
        }
    })
}

/// The lowest and highest green ÷ twin of one repetition, for a figure
/// whose two cells were measured together, repetition by repetition.
fn paired_ratios(figure: &Figure) -> Option<(f64, f64)> {
    let (Some(Cell::Samples(green)), Some(Cell::Samples(twin))) = (
        figure.cells.get(&System::Green),
        figure.cells.get(&System::Tokio),
    ) else {
        return None;
    };
    if green.is_empty() || green.len() != twin.len() {
        return None;
    }
    let ratios: Vec<f64> = green.iter().zip(twin).map(|(g, t)| g / t).collect();
    let (low, _, high) = summary(&ratios);
    Some((low, high))
}

/// True if green's and the twin's min–max ranges overlap.
fn ranges_overlap(figure: &Figure) -> bool {
    let range = |s: System| match figure.cells.get(&s) {
        Some(Cell::Samples(v)) if !v.is_empty() => {
            let (min, _, max) = summary(v);
            Some((min, max))
        }
        _ => None,
    };
    match (range(System::Green), range(System::Tokio)) {
        (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 && b0 <= a1,
        _ => false,
    }
}

/// Extra context printed under the tables.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    pub(crate) command: String,
    pub(crate) python: String,
    pub(crate) wrk: String,
    pub(crate) pinning: String,
    pub(crate) only: Option<String>,
    pub(crate) chart: Option<String>,
    pub(crate) seconds: f64,
    /// 1-minute load average at the start and at the end of the run.
    pub(crate) load: (String, String),
}

pub(crate) fn markdown(
    figures: &[Figure],
    plan: &Plan,
    machine: &Machine,
    ctx: &Context,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# green benchmarks: {} run\n", plan.mode);
    let _ = writeln!(
        md,
        "Reproduce with `{}` (see bench/README.md).\n",
        ctx.command
    );
    if let Some(only) = &ctx.only {
        let _ = writeln!(md, "Partial run: only the `{only}` workload.\n");
    }
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| date | {} |", machine.date);
    let _ = writeln!(
        md,
        "| machine | {} cores (`nproc`), {}, {} |",
        machine.cores, machine.cpu, machine.kernel
    );
    let _ = writeln!(md, "| Rust | {}; {} |", machine.rustc, machine.crates);
    let _ = writeln!(md, "| Python | {} |", ctx.python);
    let _ = writeln!(md, "| wrk | {} |", ctx.wrk);
    let _ = writeln!(md, "| pinning | {} |", ctx.pinning);
    let _ = writeln!(
        md,
        "| method | {} repetitions ({} for echo and http), run A B A B: each repetition runs every system once, in turn; each in a fresh process |",
        plan.reps, plan.net_reps
    );
    let _ = writeln!(md, "| duration | {:.0} s for the whole run |", ctx.seconds);
    let _ = writeln!(
        md,
        "| load average (1 min) | {} at the start, {} at the end (on 2 cores, anything above ~0.3 is another process competing with the run) |",
        ctx.load.0, ctx.load.1
    );
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "Each cell is **median** (min–max) over the repetitions; ratios are of medians. \
         These 2-core machines are noisy (±15–20% run to run on network loads): \
         read a ratio within that band as a tie.\n"
    );
    if let Some(chart) = &ctx.chart {
        let _ = writeln!(
            md,
            "![green against its tokio twin, gevent and eventlet]({chart})\n"
        );
    }

    let _ = writeln!(md, "## Figures\n");
    let _ = writeln!(
        md,
        "| workload | figure | green | tokio twin | gevent | eventlet | green ÷ twin | green ÷ gevent | twin ÷ gevent | anchor tokio / gevent / eventlet |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|");
    for f in figures {
        let better = if f.lower_is_better {
            "lower is better"
        } else {
            "higher is better"
        };
        let _ = writeln!(
            md,
            "| {} | {}, {} ({better}) | {} | {} | {} | {} | {} | {} | {} | {} |",
            f.workload,
            f.name,
            f.unit,
            cell_text(f.cells.get(&System::Green)),
            cell_text(f.cells.get(&System::Tokio)),
            cell_text(f.cells.get(&System::Gevent)),
            cell_text(f.cells.get(&System::Eventlet)),
            ratio_text(f.ratio(System::Green, System::Tokio)),
            ratio_text(f.ratio(System::Green, System::Gevent)),
            ratio_text(f.ratio(System::Tokio, System::Gevent)),
            anchor(f),
        );
    }
    let mut twins: Vec<(String, &str)> = Vec::new();
    for f in figures {
        let w = f
            .workload
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned();
        if !twins.iter().any(|(x, _)| *x == w) {
            twins.push((w, f.twin));
        }
    }
    let _ = writeln!(md);
    let _ = writeln!(
        md,
        "The tokio twin of each workload: {}.\n",
        twins
            .iter()
            .map(|(w, t)| format!("{w}: {t}"))
            .collect::<Vec<_>>()
            .join("; ")
    );

    let _ = writeln!(md, "## Targets (docs/benchmarks.md)\n");
    let _ = writeln!(md, "| target | measured | status |\n|---|---|---|");
    for target in TARGETS {
        if let Some((measured, status)) = judge(target, figures) {
            let _ = writeln!(md, "| {} | {measured} | {status} |", target.text);
        }
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## How each figure is taken\n");
    let _ = writeln!(
        md,
        "- **spawn**: N tasks each wait on one shared event (green `Event`, tokio `Notify`, \
         gevent/eventlet `Event`); the main task yields until all N are parked, reads VmRSS, \
         sets the event and joins all. N = {} for Rust, {} for Python. Memory per parked task = \
         (VmRSS when all are parked − VmRSS before the first spawn) / N, one fresh process per \
         run. Wall per task = (spawn + park + set + join) / N, *without* the 1 s wait the \
         anchor figures include (taken out of the anchors shown).",
        plan.spawn_n, plan.spawn_n_python
    );
    let _ = writeln!(
        md,
        "- **switch**: two spawned tasks ping-pong a counter through two bounded queues of size 1 \
         (green `Queue::bounded(1)`, tokio `mpsc::channel(1)`, gevent/eventlet `Queue(1)`); \
         {} round trips for Rust, {} for Python; wall / round trips. The second row has the \
         hub's main task (the work given to `green::run`; tokio's `block_on` future) as one \
         side: tokio wakes it through its scheduler, with an `epoll_wait` per wake-up.",
        plan.switch_n, plan.switch_n_python
    );
    let _ = writeln!(
        md,
        "- **waiters**: N tasks wait on one primitive, then all are woken: a queue (N getters \
         of an empty `Queue`; the main task puts N items), an event (N waiters; one `set`), a \
         lock (N waiters on a held `Lock`; each takes and releases it in turn). Twins: a \
         `RefCell<VecDeque>` with tokio `Notify::notify_one` per item, `Notify::notify_waiters`, \
         tokio `Mutex`. N = {}. Wake time = from the first wake-up until every waiter is \
         joined; total adds spawning and parking; each the best of 5 rounds in one process. Growth = the median wake time at the largest \
         N ÷ at the smallest: ≈ the ratio of the Ns when linear, its square when quadratic.",
        plan.waiters_n
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        md,
        "- **echo**: one shared Rust load client (`echo_client`, tokio current-thread) opens C \
         connections, then each sends 64 bytes and reads the 64-byte echo, one request in \
         flight per connection, for {} s; server pinned to core 0, client to core 1, 127.0.0.1 \
         only. Server CPU per round trip = (utime + stime of the server process from \
         /proc/PID/stat over the timed phase) / round trips; 10 ms clock ticks, so ≤ 0.1% \
         resolution at these durations. p50/p99 are the client's. green runs twice in each \
         alternation: its hand-written accept loop over compat's `TcpListener` (the rows \
         without a suffix) and `green::server::StreamServer` (the rows \"green through \
         StreamServer\", whose green column is that program; gevent's program is a \
         `StreamServer` too).",
        plan.echo_secs
    );
    let _ = writeln!(
        md,
        "- **http**: `wrk -t1 -c{} -d{}s --latency` pinned to core 1 against an HTTP/1.1 \
         \"Hello, World!\" server on core 0 (green::http on one hub, one green task per \
         connection; hyper 1 on tokio current-thread; gevent pywsgi and eventlet.wsgi; all with \
         TCP_NODELAY set and no access log, all answering `200`, `content-type: text/plain`, \
         `content-length: 13` and a `date`). Server CPU per request as for echo. The twin \
         runs twice in each alternation: as hyper comes (no timeouts: the rows without a \
         suffix) and with hyper's own header-read timeout of 30 s on hyper-util's tokio timer \
         (the row \"the twin with hyper's header-read timeout\"), the one of green::http's \
         limits (its 408) that hyper has; green::http also keeps its keep-alive idle timeout, \
         body-size limit, panic-to-500 and stop, which neither twin has. Then, {} times, \
         green::http and hyper (as it comes) serve at once, both on core 0, each loaded by its \
         own wrk on core 1, each in turn started first (the rows \"served at once on one \
         core\"), then so again with hyper's header-read timeout on: both are measured over \
         the same seconds, so the machine's drift between runs falls on both alike; hyper \
         against itself so gives ratios within 1% of 1.",
        plan.http_conns, plan.http_secs, plan.net_reps
    );
    let _ = writeln!(
        md,
        "- **scaling**: the echo server through `StreamServer` (C = {} connections, {} s) \
         and the http server (`wrk -c{}`, {} s) on 1 hub and on n (`.workers(n)`: one \
         SO_REUSEPORT listener per hub), beside tokio's multi-thread runtime with 1 and n \
         worker threads (echo; hyper 1 on it for http) and gevent and eventlet as 1 and n \
         processes on one SO_REUSEPORT port. The same load generators, with n threads \
         (`echo_client --threads n`, `wrk -tn`). Where the machine has 2n cores the server \
         runs on cores 0..n-1 and the load generator on the next n; otherwise nothing is \
         pinned and the load generator shares the server's cores (said in the notes): the \
         throughput then measures the machine, and the efficiency target is not judged. \
         Server CPU per operation sums every server process. Efficiency = throughput with n \
         ÷ (n × throughput with 1). \"load generator busy\" = its CPU time ÷ (its threads × \
         the duration), connecting included: near 1, it is the bottleneck.",
        plan.echo_conns.first().copied().unwrap_or(100),
        plan.echo_secs,
        plan.http_conns,
        plan.http_secs
    );
    let _ = writeln!(
        md,
        "- **macro**: one small program (4 green tasks, each {} calls of two nested green \
         functions, an `idle()` every 64th call) written with `#[green]` and by hand with \
         `async fn`/`.await`, both on a green hub; run time, and `size_of_val` of the top \
         future. `cargo check` time: `macro-cost/` writes one program (~3,800 lines, 16 \
         modules of green fns calling green fns, compat file I/O, a queue, and one fn with 660 \
         calls) in `#[green]` form and in hand-written `async fn` form; dependencies are \
         checked once, then each crate is touched and checked with `CARGO_INCREMENTAL=0` \
         (the whole crate type-checked), {} runs per form, alternating. Alone: `cargo run \
         --release --manifest-path macro-cost/Cargo.toml -- --no-incremental` (see \
         docs/compile-time.md).",
        plan.macro_n / 4,
        plan.check_runs
    );
    let _ = writeln!(
        md,
        "- A cell \"n/a (not built yet)\" means the green API that workload needs did not \
         exist when this run was made: there is no figure, never a made-up one."
    );
    let notes = crate::workloads::NOTES
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if !notes.is_empty() {
        let _ = writeln!(md, "\n## Notes from this run\n");
        for line in notes.iter() {
            let _ = writeln!(md, "- {line}");
        }
    }
    md
}
