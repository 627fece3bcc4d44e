//! What the report says about the machine and the software measured.

use std::path::Path;

use crate::proc::output_line;

#[derive(Debug, Clone)]
pub(crate) struct Machine {
    pub(crate) cores: String,
    pub(crate) cpu: String,
    pub(crate) kernel: String,
    pub(crate) date: String,
    pub(crate) rustc: String,
    pub(crate) crates: String,
}

impl Machine {
    pub(crate) fn probe(workspace: &Path) -> Self {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("model name"))
                    .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".into());
        Machine {
            cores: output_line("nproc", &[]).unwrap_or_else(|| "?".into()),
            cpu,
            kernel: output_line("uname", &["-sr"]).unwrap_or_else(|| "?".into()),
            date: output_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_else(|| "?".into()),
            rustc: output_line("rustc", &["--version"]).unwrap_or_else(|| "rustc ?".into()),
            crates: locked_versions(workspace, &["tokio", "hyper", "hyper-util", "plotters"]),
        }
    }
}

/// The 1-minute load average (other processes on the machine disturb every
/// figure: the report shows it at the start and the end of the run).
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

/// "tokio 1.x, hyper 1.y" from the workspace's Cargo.lock.
fn locked_versions(workspace: &Path, names: &[&str]) -> String {
    let Ok(lock) = std::fs::read_to_string(workspace.join("Cargo.lock")) else {
        return String::new();
    };
    let mut found = Vec::new();
    for name in names {
        let needle = format!("name = \"{name}\"\nversion = \"");
        if let Some(i) = lock.find(&needle) {
            let rest = &lock[i + needle.len()..];
            if let Some(end) = rest.find('"') {
                found.push(format!("{name} {}", &rest[..end]));
            }
        }
    }
    found.join(", ")
}
