//! What every workload binary of the benchmark harness shares: reading its
//! arguments, probing its own memory, and reporting to the driver.
//!
//! A workload binary talks to the driver (`green-bench`) through lines on
//! standard output:
//!
//! - `RESULT key=value key=value ...` — the figures of one run (numbers);
//! - `NOT_BUILT reason` — the green API this workload needs does not exist yet,
//!   so there is no figure (never a made-up one);
//! - `PORT n` — a server is listening on 127.0.0.1:n;
//! - `READY` — the echo load client is connected and waits for `go` on stdin.
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]

use std::io::Write;
use std::str::FromStr;

/// The value of `--name VALUE` on the command line, or `default`.
///
/// # Panics
///
/// Panics with a clear message if the value does not parse.
pub fn arg<T: FromStr>(name: &str, default: T) -> T {
    let flag = format!("--{name}");
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| *a == flag) {
        Some(i) => {
            let value = args
                .get(i + 1)
                .unwrap_or_else(|| panic!("{flag} needs a value"));
            value
                .parse()
                .unwrap_or_else(|_| panic!("{flag}: cannot parse `{value}`"))
        }
        None => default,
    }
}

/// Prints one `RESULT` line with the given figures and flushes it.
pub fn report(figures: &[(&str, f64)]) {
    let mut line = String::from("RESULT");
    for (key, value) in figures {
        line.push_str(&format!(" {key}={value}"));
    }
    println!("{line}");
    let _ = std::io::stdout().flush();
}

/// Says that the green API this workload needs is not built yet, and exits 0.
pub fn not_built(reason: &str) -> ! {
    println!("NOT_BUILT {reason}");
    let _ = std::io::stdout().flush();
    std::process::exit(0)
}

/// Prints `PORT n` for a server listening on 127.0.0.1:n, and flushes it.
pub fn announce_port(port: u16) {
    println!("PORT {port}");
    let _ = std::io::stdout().flush();
}

/// This process's resident set size in bytes (`VmRSS`), 0 where unknown.
pub fn rss_bytes() -> u64 {
    status_kib("VmRSS:") * 1024
}

/// This process's peak resident set size in bytes (`VmHWM`), 0 where unknown.
pub fn peak_rss_bytes() -> u64 {
    status_kib("VmHWM:") * 1024
}

fn status_kib(key: &str) -> u64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Raises the soft limit of open files to the hard limit (C=1000 echo needs
/// more than the usual 1024). Returns the soft limit in force afterwards.
pub fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// The spawn workload's figures, printed the same way by the green and tokio
/// programs: wall time of spawn + park + set + join, the RSS growth while the
/// `n` tasks are parked, and the peak RSS.
pub fn report_spawn(n: u64, wall: std::time::Duration, baseline_rss: u64, parked_rss: u64) {
    let per_task = parked_rss.saturating_sub(baseline_rss) as f64 / n as f64;
    report(&[
        ("wall_ms", wall.as_secs_f64() * 1e3),
        ("wall_us_per_task", wall.as_secs_f64() * 1e6 / n as f64),
        ("bytes_per_task", per_task),
        ("peak_rss_mib", peak_rss_bytes() as f64 / (1024.0 * 1024.0)),
    ]);
}

/// The switch workload's figure: nanoseconds per round trip.
pub fn report_switch(round_trips: u64, wall: std::time::Duration) {
    report(&[
        (
            "ns_per_round_trip",
            wall.as_nanos() as f64 / round_trips as f64,
        ),
        ("wall_ms", wall.as_secs_f64() * 1e3),
    ]);
}

/// The macro workload's figures: run time and the size of the top future.
pub fn report_macro(wall: std::time::Duration, future_bytes: usize, checksum: u64) {
    report(&[
        ("wall_ms", wall.as_secs_f64() * 1e3),
        ("future_bytes", future_bytes as f64),
        ("checksum", (checksum % 1_000_000) as f64),
    ]);
}

/// CPU time used so far by this process, user + system (`getrusage`).
pub fn cpu_time() -> std::time::Duration {
    // SAFETY: all-zero is a valid `rusage`; getrusage only writes the struct we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return std::time::Duration::ZERO;
    }
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    std::time::Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime))
}

/// The http client workload's figures, printed the same way by the green and
/// reqwest programs: the client process's CPU per request (the main figure)
/// and requests per second, over the timed phase.
pub fn report_client(requests: u64, wall: std::time::Duration, cpu: std::time::Duration) {
    report(&[
        (
            "cpu_us_per_request",
            cpu.as_secs_f64() * 1e6 / requests.max(1) as f64,
        ),
        ("requests_per_sec", requests as f64 / wall.as_secs_f64()),
        ("requests", requests as f64),
    ]);
}
