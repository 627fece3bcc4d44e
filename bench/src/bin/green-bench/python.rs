//! The gevent/eventlet side: a virtualenv under bench/.venv with both
//! installed from PyPI, made once and reused.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The virtualenv's interpreter with gevent and eventlet importable, or why
/// there is none.
pub(crate) fn setup(bench_dir: &Path) -> Result<PathBuf, String> {
    let venv = bench_dir.join(".venv");
    let python = venv.join("bin").join("python");
    if imports_ok(&python) {
        return Ok(python);
    }
    if Command::new("python3").arg("--version").output().is_err() {
        return Err(
            "python3 not found (install Python 3 to compare with gevent and eventlet)".into(),
        );
    }
    println!(
        "setting up {} (python3 -m venv, pip install gevent eventlet requests) ...",
        venv.display()
    );
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .map_err(|e| format!("python3 -m venv: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`python3 -m venv {}` failed ({status}); on Debian install python3-venv",
            venv.display()
        ));
    }
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "gevent",
            "eventlet",
            // The http client workload's gevent program.
            "requests",
        ])
        .status()
        .map_err(|e| format!("pip: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`pip install gevent eventlet requests` failed ({status})"
        ));
    }
    if imports_ok(&python) {
        Ok(python)
    } else {
        Err("gevent/eventlet installed but do not import".into())
    }
}

fn imports_ok(python: &Path) -> bool {
    python.exists()
        && Command::new(python)
            .args(["-W", "ignore", "-c", "import gevent, eventlet, requests"])
            .output()
            .is_ok_and(|o| o.status.success())
}

/// "Python 3.x, gevent a.b, eventlet c.d".
pub(crate) fn versions(python: &Path) -> Option<String> {
    let out = Command::new(python)
        .args([
            "-W",
            "ignore",
            "-c",
            "import sys, gevent, eventlet; print('Python %s, gevent %s, eventlet %s' % (sys.version.split()[0], gevent.__version__, eventlet.__version__))",
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
