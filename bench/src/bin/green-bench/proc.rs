//! Running workload programs: pinned commands, one-shot runs with a time
//! limit, servers that announce their port, and the CPU time of a process.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Figures of one run, by key (`wall_ms`, `bytes_per_task`, ...).
pub(crate) type Metrics = BTreeMap<String, f64>;

/// Why a run gave no figures.
#[derive(Debug, Clone)]
pub(crate) enum RunError {
    /// The green API the workload needs is not built yet.
    NotBuilt(String),
    /// The program failed; the message says how.
    Failed(String),
}

/// A workload program: a binary of this crate or a Python script.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Program {
    Rust(&'static str),
    Python(&'static str),
}

/// Where the programs are and how to pin them.
#[derive(Debug)]
pub(crate) struct Env {
    pub(crate) bin_dir: PathBuf,
    pub(crate) python_dir: PathBuf,
    /// The virtualenv's interpreter, when gevent and eventlet are installed.
    pub(crate) python: Option<PathBuf>,
    /// Pin with taskset (false where it is missing or there is one core).
    pub(crate) pin: bool,
}

impl Env {
    /// The command that runs `program` with `args`, pinned to `core`.
    pub(crate) fn command(&self, program: Program, args: &[String], core: usize) -> Command {
        let cpus = core.to_string();
        self.command_on(program, args, self.pin.then_some(cpus.as_str()))
    }

    /// The command that runs `program` with `args`, pinned to the cores of
    /// `cpus` (taskset's list: `0`, `0-1`, ..) if given.
    pub(crate) fn command_on(
        &self,
        program: Program,
        args: &[String],
        cpus: Option<&str>,
    ) -> Command {
        let (exe, mut argv): (PathBuf, Vec<String>) = match program {
            Program::Rust(name) => (self.bin_dir.join(name), Vec::new()),
            Program::Python(script) => {
                let python = self.python.clone().unwrap_or_else(|| "python3".into());
                (
                    python,
                    vec![self.python_dir.join(script).display().to_string()],
                )
            }
        };
        argv.extend(args.iter().cloned());
        let mut command = if let Some(cpus) = cpus {
            let mut c = Command::new("taskset");
            c.arg("-c").arg(cpus).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        command.args(&argv);
        if let Program::Python(_) = program {
            command
                .current_dir(&self.python_dir)
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .env("PYTHONWARNINGS", "ignore");
        }
        command
    }
}

/// Reads a child's output lines on a thread, so the driver can wait for one
/// with a time limit and the pipe never fills up.
pub(crate) struct Lines {
    rx: Receiver<String>,
}

impl Lines {
    pub(crate) fn new(reader: impl Read + Send + 'static) -> Self {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Lines { rx }
    }

    /// The next line, `None` at end of output or after `timeout`.
    pub(crate) fn next(&self, timeout: Duration) -> Option<String> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Waits for a `RESULT` or `NOT_BUILT` line.
    pub(crate) fn result(&self, timeout: Duration) -> Result<Metrics, RunError> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(line) = self.next(left) else {
                return Err(RunError::Failed(if left.is_zero() {
                    format!("no result within {timeout:?}")
                } else {
                    "exited without a RESULT line".into()
                }));
            };
            if let Some(reason) = line.strip_prefix("NOT_BUILT ") {
                return Err(RunError::NotBuilt(reason.trim().to_owned()));
            }
            if let Some(rest) = line.strip_prefix("RESULT") {
                return parse_metrics(rest);
            }
        }
    }
}

fn parse_metrics(rest: &str) -> Result<Metrics, RunError> {
    let mut metrics = Metrics::new();
    for pair in rest.split_whitespace() {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| RunError::Failed(format!("bad RESULT field `{pair}`")))?;
        let value: f64 = value
            .parse()
            .map_err(|_| RunError::Failed(format!("bad RESULT value `{pair}`")))?;
        metrics.insert(key.to_owned(), value);
    }
    Ok(metrics)
}

/// Keeps the last few KiB of a child's stderr, to show when it fails.
#[derive(Clone, Default)]
pub(crate) struct Tail(Arc<Mutex<String>>);

impl Tail {
    pub(crate) fn collect(reader: impl Read + Send + 'static) -> Self {
        let tail = Tail::default();
        let keep = tail.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                let mut text = keep.0.lock().unwrap_or_else(|e| e.into_inner());
                text.push_str(&line);
                text.push('\n');
                if text.len() > 4096 {
                    let cut = text.len() - 2048;
                    let cut = (cut..text.len())
                        .find(|&i| text.is_char_boundary(i))
                        .unwrap_or(text.len());
                    text.drain(..cut);
                }
            }
        });
        tail
    }

    pub(crate) fn text(&self) -> String {
        let text = self.0.lock().unwrap_or_else(|e| e.into_inner());
        text.trim().to_owned()
    }
}

/// Kills the child (if still running) and reaps it.
pub(crate) fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs `command` to the end (killed after `timeout`) and gives its figures.
pub(crate) fn run_once(mut command: Command, timeout: Duration) -> Result<Metrics, RunError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| RunError::Failed(format!("cannot start {command:?}: {e}")))?;
    let lines = Lines::new(child.stdout.take().expect("piped stdout"));
    let tail = Tail::collect(child.stderr.take().expect("piped stderr"));
    let result = lines.result(timeout);
    stop(&mut child);
    result.map_err(|err| with_stderr(err, &tail))
}

pub(crate) fn with_stderr(err: RunError, tail: &Tail) -> RunError {
    match err {
        RunError::Failed(msg) => {
            let stderr = tail.text();
            if stderr.is_empty() {
                RunError::Failed(msg)
            } else {
                RunError::Failed(format!("{msg}; stderr: {stderr}"))
            }
        }
        other => other,
    }
}

/// A server process listening on 127.0.0.1; killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    pub(crate) tail: Tail,
    _lines: Lines,
}

impl Server {
    /// Starts the server and waits (up to 30 s) for its `PORT n` line.
    pub(crate) fn start(mut command: Command) -> Result<Self, RunError> {
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| RunError::Failed(format!("cannot start {command:?}: {e}")))?;
        let lines = Lines::new(child.stdout.take().expect("piped stdout"));
        let tail = Tail::collect(child.stderr.take().expect("piped stderr"));
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(line) = lines.next(left) else {
                stop(&mut child);
                std::thread::sleep(Duration::from_millis(50));
                return Err(with_stderr(
                    RunError::Failed("server did not announce its port".into()),
                    &tail,
                ));
            };
            if let Some(reason) = line.strip_prefix("NOT_BUILT ") {
                stop(&mut child);
                return Err(RunError::NotBuilt(reason.trim().to_owned()));
            }
            if let Some(port) = line.strip_prefix("PORT ") {
                let port = port
                    .trim()
                    .parse()
                    .map_err(|_| RunError::Failed(format!("bad port line `{line}`")))?;
                return Ok(Server {
                    child,
                    port,
                    tail,
                    _lines: lines,
                });
            }
        }
    }

    /// User + system CPU seconds the server has used so far.
    pub(crate) fn cpu_secs(&self) -> Result<f64, RunError> {
        cpu_secs(self.child.id())
            .ok_or_else(|| RunError::Failed("cannot read the server's /proc/PID/stat".into()))
    }

    /// Fails if the server has exited.
    pub(crate) fn check_alive(&mut self) -> Result<(), RunError> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(with_stderr(
                RunError::Failed(format!("server exited: {status}")),
                &self.tail,
            )),
            Err(e) => Err(RunError::Failed(format!("server: {e}"))),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}

/// What a load client's timed phase reads off the server side: one
/// server process, or a group of them (the scaling section's workers).
pub(crate) trait Measured {
    /// User + system CPU seconds used so far.
    fn cpu_secs(&self) -> Result<f64, RunError>;
    /// Fails if a server has exited.
    fn check_alive(&mut self) -> Result<(), RunError>;
}

impl Measured for Server {
    fn cpu_secs(&self) -> Result<f64, RunError> {
        Server::cpu_secs(self)
    }

    fn check_alive(&mut self) -> Result<(), RunError> {
        Server::check_alive(self)
    }
}

/// utime + stime of process `pid` in seconds, from /proc/PID/stat.
pub(crate) fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat(5); `after` starts at field 3.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let ticks = if ticks > 0 { ticks as f64 } else { 100.0 };
    Some((utime + stime) / ticks)
}

/// True if `program` runs (`program --version` or similar exits at all).
pub(crate) fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// The first line of `program args` output, trimmed, if it ran.
pub(crate) fn output_line(program: impl AsRef<Path>, args: &[&str]) -> Option<String> {
    let out = Command::new(program.as_ref()).args(args).output().ok()?;
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    let text = String::from_utf8_lossy(&text);
    text.lines().next().map(|l| l.trim().to_owned())
}
