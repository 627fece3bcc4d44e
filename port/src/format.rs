//! rustfmt, run on the files the port changed and only when the crate uses
//! it: a crate without a `rustfmt.toml` may be formatted by hand, and
//! reformatting it whole would bury the port's few lines in noise.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::PortError;

/// The rustfmt config found in `dir` or above it.
pub(crate) fn config_above(dir: &Path) -> Option<PathBuf> {
    let dir = dir.canonicalize().ok()?;
    dir.ancestors()
        .flat_map(|d| [d.join("rustfmt.toml"), d.join(".rustfmt.toml")])
        .find(|p| p.is_file())
}

/// `text` formatted by rustfmt (read on stdin, so check and diff runs write
/// nothing).
pub(crate) fn rustfmt(
    display: &str,
    text: &str,
    edition: &str,
    config: Option<&Path>,
) -> Result<String, PortError> {
    let fail = |message: String| PortError::Rustfmt {
        file: display.to_string(),
        message,
    };
    let mut command = Command::new("rustfmt");
    command.args(["--edition", edition, "--emit", "stdout"]);
    if let Some(config) = config {
        command.arg("--config-path").arg(config);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run rustfmt: {e}")))?;
    let mut stdin = child.stdin.take().ok_or_else(|| fail("no stdin".into()))?;
    let input = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    let _ = writer.join();
    if !output.status.success() {
        return Err(fail(String::from_utf8_lossy(&output.stderr).into_owned()));
    }
    String::from_utf8(output.stdout).map_err(|e| fail(e.to_string()))
}
