//! What `green::compat` mirrors of std, and which of its calls block.
//!
//! The tool has no access to compat's source when it runs (it is installed on
//! its own), so the tables are written here; the test `mirror_tables` reads
//! `compat/src` and fails when an entry names something compat does not have.
//! A path compat does not mirror stays `std`: rewriting it would not compile.

/// The std modules compat mirrors, and the items of each that it exports.
/// `None`: every item of the std module is there (compat re-exports it whole).
pub(crate) const MODULES: &[(&str, Option<&[&str]>)] = &[
    (
        "io",
        Some(&[
            "self",
            "Cursor",
            "Error",
            "ErrorKind",
            "IoSlice",
            "IoSliceMut",
            "Result",
            "SeekFrom",
            "Chain",
            "Take",
            "BufRead",
            "BufReader",
            "BufWriter",
            "IntoInnerError",
            "Bytes",
            "copy",
            "Lines",
            "Split",
            "Read",
            "Seek",
            "Stderr",
            "StderrLock",
            "stderr",
            "Stdin",
            "StdinLock",
            "stdin",
            "Stdout",
            "StdoutLock",
            "stdout",
            "Write",
            "prelude",
        ]),
    ),
    ("io::prelude", None),
    (
        "net",
        Some(&[
            "self",
            "AddrParseError",
            "IpAddr",
            "Ipv4Addr",
            "Ipv6Addr",
            "Shutdown",
            "SocketAddr",
            "SocketAddrV4",
            "SocketAddrV6",
            "ToSocketAddrs",
            "Incoming",
            "TcpListener",
            "TcpStream",
            "UdpSocket",
        ]),
    ),
    (
        "fs",
        Some(&[
            "self",
            "FileType",
            "Metadata",
            "Permissions",
            "DirEntry",
            "File",
            "OpenOptions",
            "ReadDir",
            "read_dir",
            "read",
            "read_to_string",
            "write",
            "copy",
            "rename",
            "remove_file",
            "create_dir",
            "create_dir_all",
            "remove_dir",
            "remove_dir_all",
            "metadata",
            "symlink_metadata",
            "canonicalize",
            "hard_link",
            "read_link",
            "set_permissions",
            "exists",
        ]),
    ),
    (
        "sync",
        Some(&[
            "self",
            "mpsc",
            "Arc",
            "LockResult",
            "PoisonError",
            "TryLockError",
            "TryLockResult",
            "Weak",
            "atomic",
            "Barrier",
            "BarrierWaitResult",
            "Condvar",
            "WaitTimeoutResult",
            "Mutex",
            "MutexGuard",
            "Once",
            "OnceLock",
            "RwLock",
            "RwLockReadGuard",
            "RwLockWriteGuard",
        ]),
    ),
    ("sync::atomic", None),
    (
        "sync::mpsc",
        Some(&[
            "self",
            "RecvError",
            "RecvTimeoutError",
            "SendError",
            "TryRecvError",
            "TrySendError",
            "channel",
            "sync_channel",
            "Sender",
            "SyncSender",
            "Receiver",
            "Iter",
            "IntoIter",
            "TryIter",
        ]),
    ),
    (
        "thread",
        Some(&[
            "self",
            "Result",
            "available_parallelism",
            "panicking",
            "Builder",
            "Thread",
            "ThreadId",
            "current",
            "JoinHandle",
            "park",
            "park_timeout",
            "Scope",
            "ScopedJoinHandle",
            "scope",
            "spawn",
            "sleep",
            "yield_now",
        ]),
    ),
    (
        "time",
        Some(&[
            "self",
            "Duration",
            "Instant",
            "SystemTime",
            "SystemTimeError",
            "TryFromFloatSecsError",
            "UNIX_EPOCH",
        ]),
    ),
    (
        "process",
        Some(&[
            "self",
            "CommandArgs",
            "CommandEnvs",
            "ExitCode",
            "ExitStatus",
            "Output",
            "Stdio",
            "Termination",
            "abort",
            "exit",
            "id",
            "Child",
            "ChildStderr",
            "ChildStdin",
            "ChildStdout",
            "Command",
        ]),
    ),
    ("os", Some(&["self", "unix"])),
    (
        "os::unix",
        Some(&["self", "ffi", "fs", "io", "net", "process"]),
    ),
    ("os::unix::ffi", None),
    ("os::unix::io", None),
    (
        "os::unix::fs",
        Some(&[
            "self",
            "FileTypeExt",
            "MetadataExt",
            "OpenOptionsExt",
            "PermissionsExt",
            "symlink",
        ]),
    ),
    (
        "os::unix::process",
        Some(&["self", "CommandExt", "ExitStatusExt", "parent_id"]),
    ),
    (
        "os::unix::net",
        Some(&[
            "self",
            "SocketAddr",
            "UnixDatagram",
            "Incoming",
            "UnixListener",
            "UnixStream",
        ]),
    ),
];

/// Whether compat has `std::<module>::<item>` (`module` joined with `::`,
/// without `std`). `item` is `self` for the module itself.
pub(crate) fn mirrors(module: &str, item: &str) -> bool {
    MODULES.iter().any(|(name, items)| {
        *name == module
            && match items {
                None => true,
                Some(items) => items.contains(&item),
            }
    })
}

/// Whether `std::<module>` is a module compat mirrors (wholly or in part).
pub(crate) fn is_module(module: &str) -> bool {
    MODULES.iter().any(|(name, _)| *name == module)
}

/// Whether compat re-exports every item of `std::<module>` (a glob import of
/// it loses nothing).
pub(crate) fn mirrors_whole(module: &str) -> bool {
    MODULES
        .iter()
        .any(|(name, items)| *name == module && items.is_none())
}

/// Paths (after `std::`, items of compat) whose call blocks: a fn calling
/// one is green. Associated fns are written `Type::fn`, the type's own
/// module omitted, as the tool sees them after `use` resolution.
pub(crate) const BLOCKING_PATHS: &[&str] = &[
    "thread::spawn",
    "thread::scope",
    "thread::sleep",
    "thread::park",
    "thread::park_timeout",
    "thread::yield_now",
    "time::sleep",
    "io::copy",
    "fs::read_dir",
    "fs::read",
    "fs::read_to_string",
    "fs::write",
    "fs::copy",
    "fs::rename",
    "fs::remove_file",
    "fs::create_dir",
    "fs::create_dir_all",
    "fs::remove_dir",
    "fs::remove_dir_all",
    "fs::metadata",
    "fs::symlink_metadata",
    "fs::canonicalize",
    "fs::hard_link",
    "fs::read_link",
    "fs::set_permissions",
    "fs::exists",
    "os::unix::fs::symlink",
    "net::TcpListener::bind",
    "net::TcpStream::connect",
    "net::TcpStream::connect_timeout",
    "net::UdpSocket::bind",
    "os::unix::net::UnixListener::bind",
    "os::unix::net::UnixListener::bind_addr",
    "os::unix::net::UnixStream::connect",
    "os::unix::net::UnixStream::connect_addr",
    "os::unix::net::UnixDatagram::bind",
    "fs::File::open",
    "fs::File::create",
    "fs::File::create_new",
];

/// Method names that are green on compat's types and have no common plain
/// namesake in std: a call `x.name(..)` that is not the crate's own method
/// makes the caller green.
pub(crate) const BLOCKING_METHODS: &[&str] = &[
    "accept",
    "connect",
    "connect_timeout",
    "lock",
    "recv",
    "recv_from",
    "recv_timeout",
    "send_to",
    "peek_from",
    "read_to_string",
    "read_to_end",
    "read_exact",
    "read_line",
    "read_until",
    "write_all",
    "write_fmt",
    "fill_buf",
    "flush",
    "wait",
    "wait_timeout",
    "wait_while",
    "wait_timeout_while",
    "wait_with_output",
    "output",
    "status",
    "incoming",
    "get_or_init",
    "get_or_try_init",
    "call_once",
    "sync_all",
    "sync_data",
    "set_len",
    "seek",
    "seek_relative",
    "rewind",
    "stream_position",
    "open",
    "read",
    "write",
];

/// Method names green only with no argument: `handle.join()` (a
/// `JoinHandle`), not `parts.join(", ")` or `path.join("x")`.
pub(crate) const BLOCKING_WITHOUT_ARGUMENTS: &[&str] = &["join"];

/// Method names green only with an argument: `builder.spawn(|| ..)` and
/// `scope.spawn(|| ..)` (a thread), not `command.spawn()` (a process, plain).
pub(crate) const BLOCKING_WITH_ARGUMENTS: &[&str] = &["spawn", "spawn_scoped"];

/// Method names of compat's green iterators (`reader.lines()`,
/// `reader.bytes()`, `read.split(b'\n')`): green on a reader, plain on a
/// string, so the tool looks at the receiver (see `graph::looks_like_text`).
pub(crate) const READER_ITERATORS: &[&str] = &["lines", "bytes", "split"];

/// Method names green on compat's types but also plain on std's common ones
/// (`Sender::send` on an unbounded channel is plain; `SyncSender::send` and
/// a socket's `send` wait): green only when the receiver is known to be one
/// of the types listed.
pub(crate) const BLOCKING_ON_TYPES: &[(&str, &[&str])] = &[
    ("send", &["SyncSender", "UdpSocket", "UnixDatagram"]),
    ("iter", &["Receiver"]),
    ("peek", &["TcpStream", "UdpSocket"]),
    ("metadata", &["File", "DirEntry"]),
    ("file_type", &["DirEntry"]),
    ("try_clone", &["File"]),
    ("into_inner", &["BufWriter"]),
    ("set_permissions", &["File"]),
];

/// Method names `#[green]` never awaits (the macro's visibly plain and
/// inference-only names, macros/src/policy.rs): a green method of the crate
/// named so would never run, and the macro rejects it.
pub(crate) const NEVER_AWAITED_METHODS: &[&str] = &[
    "clone",
    "cloned",
    "copied",
    "to_owned",
    "to_string",
    "to_vec",
    "as_ref",
    "as_mut",
    "as_str",
    "as_bytes",
    "as_slice",
    "as_deref",
    "borrow",
    "borrow_mut",
    "len",
    "is_empty",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    "first",
    "keys",
    "values",
    "iter",
    "iter_mut",
    "into_iter",
    "filter",
    "enumerate",
    "zip",
    "rev",
    "skip",
    "chars",
    "split",
    "split_whitespace",
    "trim",
    "trim_start",
    "trim_end",
    "to_lowercase",
    "to_uppercase",
    "abs",
    "pow",
    "push_str",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "clear",
    "truncate",
    "headers_mut",
    "status_mut",
    "body_mut",
    "extensions_mut",
    "into_body",
    "into_parts",
    "collect",
    "into",
    "try_into",
    "sum",
    "product",
    "parse",
    "unwrap",
    "unwrap_or",
    "unwrap_or_default",
    "unwrap_or_else",
    "unwrap_err",
    "expect",
    "expect_err",
];

/// Macros whose expansion calls a green method: `write!(out, ..)` calls
/// `out.write_fmt(..)`, green on compat's writers.
pub(crate) const BLOCKING_MACROS: &[&str] = &["write", "writeln"];

/// Macros whose arguments are expressions the tool reads for calls.
pub(crate) const ARGUMENT_MACROS: &[&str] = &[
    "vec",
    "dbg",
    "print",
    "println",
    "eprint",
    "eprintln",
    "format",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
];

/// Items compat re-exports from std unchanged (`pub use std::..`): the same
/// item under both paths, so a spelled-out `std::net::SocketAddr` in a body
/// is left as written. `None`: the whole module is std's.
pub(crate) const SAME_AS_STD: &[(&str, Option<&[&str]>)] = &[
    (
        "io",
        Some(&[
            "Cursor",
            "Error",
            "ErrorKind",
            "IoSlice",
            "IoSliceMut",
            "Result",
            "SeekFrom",
        ]),
    ),
    (
        "net",
        Some(&[
            "AddrParseError",
            "IpAddr",
            "Ipv4Addr",
            "Ipv6Addr",
            "Shutdown",
            "SocketAddr",
            "SocketAddrV4",
            "SocketAddrV6",
        ]),
    ),
    ("fs", Some(&["FileType", "Metadata", "Permissions"])),
    (
        "sync",
        Some(&[
            "Arc",
            "LockResult",
            "PoisonError",
            "TryLockError",
            "TryLockResult",
            "Weak",
            "atomic",
        ]),
    ),
    ("sync::atomic", None),
    (
        "sync::mpsc",
        Some(&[
            "RecvError",
            "RecvTimeoutError",
            "SendError",
            "TryRecvError",
            "TrySendError",
        ]),
    ),
    (
        "thread",
        Some(&["Result", "available_parallelism", "panicking"]),
    ),
    (
        "time",
        Some(&[
            "Duration",
            "Instant",
            "SystemTime",
            "SystemTimeError",
            "TryFromFloatSecsError",
            "UNIX_EPOCH",
        ]),
    ),
    (
        "process",
        Some(&[
            "CommandArgs",
            "CommandEnvs",
            "ExitCode",
            "ExitStatus",
            "Output",
            "Stdio",
            "Termination",
            "abort",
            "exit",
            "id",
        ]),
    ),
    ("os::unix::ffi", None),
    ("os::unix::io", None),
    (
        "os::unix::fs",
        Some(&[
            "FileTypeExt",
            "MetadataExt",
            "OpenOptionsExt",
            "PermissionsExt",
        ]),
    ),
    ("os::unix::process", None),
    ("os::unix::net", Some(&["SocketAddr"])),
];

/// Whether `std::<module>::<item>` is the very item compat exports there.
pub(crate) fn same_as_std(module: &str, item: &str) -> bool {
    SAME_AS_STD.iter().any(|(name, items)| {
        *name == module
            && match items {
                None => true,
                Some(items) => items.contains(&item),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The text of every `.rs` file under `path` (a file or a directory).
    fn text(path: &Path) -> String {
        if path.is_dir() {
            let mut out = String::new();
            for entry in std::fs::read_dir(path).unwrap() {
                out.push_str(&text(&entry.unwrap().path()));
            }
            out
        } else if path.extension().is_some_and(|e| e == "rs") && path.is_file() {
            std::fs::read_to_string(path).unwrap()
        } else {
            String::new()
        }
    }

    fn has_word(text: &str, word: &str) -> bool {
        text.match_indices(word).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    }

    /// Every item the tables say compat has is named in that compat module,
    /// and every green method name is a fn of compat.
    #[test]
    fn mirror_tables() {
        let compat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../compat/src");
        for (module, items) in MODULES {
            let base = compat.join(module.replace("::", "/"));
            // A module inline in its parent (`io::prelude`) or re-exported
            // from std there (`sync::atomic`): the parent's text names it.
            let source = [
                base.clone(),
                base.with_extension("rs"),
                base.parent().unwrap().to_path_buf(),
            ]
            .iter()
            .map(|p| text(p))
            .find(|t| !t.is_empty())
            .unwrap_or_default();
            assert!(!source.is_empty(), "compat has no module {module}");
            for item in items.iter().flat_map(|i| i.iter()) {
                if *item != "self" && *item != "prelude" {
                    assert!(has_word(&source, item), "compat::{module} has no {item}");
                }
            }
        }
        let all = text(&compat);
        let methods = BLOCKING_METHODS
            .iter()
            .chain(BLOCKING_WITHOUT_ARGUMENTS)
            .chain(BLOCKING_WITH_ARGUMENTS)
            .chain(READER_ITERATORS)
            .chain(BLOCKING_ON_TYPES.iter().map(|(name, _)| name));
        for name in methods {
            assert!(
                all.contains(&format!("fn {name}(")) || all.contains(&format!("fn {name}<")),
                "compat has no fn {name}"
            );
        }
        for path in BLOCKING_PATHS {
            let last = path.rsplit("::").next().unwrap();
            assert!(has_word(&all, last), "compat has no {path}");
        }
    }

    /// The macro's plain-method lists (macros/src/policy.rs) are all in
    /// `NEVER_AWAITED_METHODS`: a name the macro starts treating as plain
    /// must reach the tool's report, or the tool would mark a green method
    /// the macro then rejects.
    #[test]
    fn never_awaited_methods_cover_the_macro_policy() {
        let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../macros/src/policy.rs");
        let policy = std::fs::read_to_string(policy).unwrap();
        for list in ["PLAIN_METHODS", "MUTATORS"] {
            let start = policy
                .find(&format!("const {list}: &[&str] = &["))
                .unwrap_or_else(|| panic!("policy.rs has no {list}"));
            let body = &policy[start..start + policy[start..].find("];").unwrap()];
            let names: Vec<&str> = body
                .lines()
                .skip(1)
                .map(str::trim)
                .filter(|line| line.starts_with('"'))
                .map(|line| line.trim_end_matches(',').trim_matches('"'))
                .collect();
            assert!(!names.is_empty(), "no names read from {list}");
            for name in names {
                assert!(
                    NEVER_AWAITED_METHODS.contains(&name),
                    "macros' {list} has `{name}`, NEVER_AWAITED_METHODS does not"
                );
            }
        }
    }
}
