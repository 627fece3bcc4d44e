//! Beside the phases: the name tables of the rewrite (which calls are never
//! awaited, which are visibly plain, which take green work, which macros have
//! their arguments rewritten) and the predicates over them, which are all
//! that the other files read. Read by the rewrite and by the diagnostics (a
//! green method named like a never-awaited one is rejected).

use syn::ext::IdentExt;
use syn::{ExprPath, Ident, Macro};

/// Where a name on [`NEVER_AWAITED`] is recognised.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Position {
    /// A method call without a turbofish (`it.collect()`, not `it.collect::<Vec<_>>()`).
    MethodUnlessTurbofish,
    /// Any method call (`.unwrap()`, `.expect(..)`).
    Method,
    /// The last segment of a qualified path call (`Default::default()`,
    /// `String::from(..)`): a bare `parse(..)` is the user's own fn.
    AssociatedCall,
    /// The last segment of any path call (`exit(0)`, `std::process::exit(0)`).
    PathCall,
}

/// Calls that are never wrapped in the await dispatch.
///
/// Wrapping them would be a compile error (measured on rustc 1.95, see
/// docs/autoawait.md):
/// - inference-only results: the dispatch needs the type before the `let`
///   annotation gives it (E0282, E0283, E0284, E0790);
/// - diverging functions: `!` has no dispatch (E0277).
///
/// `#[green(sync(name, ..))]` adds names (method calls and last segments of
/// path calls) for one function.
const NEVER_AWAITED: &[(&str, Position)] = &[
    // Inference-only methods, fine with a turbofish.
    ("collect", Position::MethodUnlessTurbofish),
    ("into", Position::MethodUnlessTurbofish),
    ("try_into", Position::MethodUnlessTurbofish),
    ("sum", Position::MethodUnlessTurbofish),
    ("product", Position::MethodUnlessTurbofish),
    ("parse", Position::MethodUnlessTurbofish),
    // Unwrapping never yields green work and often sits on an inferred value.
    ("unwrap", Position::Method),
    ("unwrap_or", Position::Method),
    ("unwrap_or_default", Position::Method),
    ("unwrap_or_else", Position::Method),
    ("unwrap_err", Position::Method),
    ("expect", Position::Method),
    ("expect_err", Position::Method),
    // Inference-only path calls.
    ("default", Position::AssociatedCall),
    ("from", Position::AssociatedCall),
    ("try_from", Position::AssociatedCall),
    ("from_iter", Position::AssociatedCall),
    ("into", Position::AssociatedCall),
    ("parse", Position::AssociatedCall),
    // Diverging functions.
    ("exit", Position::PathCall),
    ("abort", Position::PathCall),
    ("panic_any", Position::PathCall),
    ("resume_unwind", Position::PathCall),
    ("unreachable_unchecked", Position::PathCall),
];

/// Method names that are visibly plain: never wrapped, to keep the type
/// checker's work (and `cargo check` time) down.
///
/// Each wrapped call costs a method probe and a suspension point; these are
/// the methods that ordinary code calls most on locals (`v.len()`,
/// `s.clone()`, `x.to_string()`, `it.iter()`, ..) and that never return
/// green work in std, `green` or `green::compat`. A name that compat or the
/// runtime uses for a green method (`get`, `map`, `join`, `lock`, `read`,
/// `lines`' items, ..) must not be here: the unit test
/// `plain_names_are_not_green_methods` reads `compat/src`, `http/src`,
/// `ws/src` and `runtime/src` and fails if one is.
///
/// A user's own `#[green]` method named like one of these would never be
/// awaited: `#[green]` rejects it (`diagnostics::never_awaited_method`). Names
/// are matched exactly, or by prefix for [`PLAIN_METHOD_PREFIXES`].
const PLAIN_METHODS: &[&str] = &[
    // Cloning, conversion to owned or borrowed forms.
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
    // Sizes and predicates.
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
    // Collections, beside the [`MUTATORS`] (not `push` and `pop`: users' own
    // blocking queues name their green methods so).
    "first",
    "keys",
    "values",
    // Iterators and their adaptors (a green iterator's `next` is awaited by the
    // `for` rewrite, not here).
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
    // Numbers (`min` and `max` with an argument: see PLAIN_WITH_ARGUMENTS).
    "abs",
    "pow",
    // The http crate's requests and responses taken apart or changed in
    // place (`response.headers_mut().insert(..)`, `req.into_body()`).
    "headers_mut",
    "status_mut",
    "body_mut",
    "extensions_mut",
    "into_body",
    "into_parts",
];

/// Visibly plain methods too (see [`is_plain_method`]): the collection
/// mutators whose std value may be dropped without a warning
/// (`v.push_back(x);`, `map.insert(k, v);`). As a statement in a green body
/// such a call gets `#[deny(unused_must_use)]`: a method of another crate
/// with one of these names that returns green work (which `#[green]` leaves
/// unawaited) is then an error, not a silent no-op.
const MUTATORS: &[&str] = &[
    "push_str",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "clear",
    "truncate",
];

/// Visibly plain when called with arguments: `a.max(b)` is `Ord::max` (or
/// `f64::max`), while `it.max()` without one is an iterator's consumer,
/// green on a green iterator.
const PLAIN_WITH_ARGUMENTS: &[&str] = &["min", "max"];

/// Prefixes of visibly plain method names: integer arithmetic.
const PLAIN_METHOD_PREFIXES: &[&str] = &["wrapping_", "checked_", "saturating_", "overflowing_"];

/// Types whose associated functions are plain: a call `T::f(..)` with `T` on
/// this list is never wrapped. std's (`String::new()`, `Vec::with_capacity(n)`,
/// `Duration::from_millis(5)`, `Instant::now()`) and those a `green::http`
/// handler builds its answer with (`Response::new(..)`,
/// `HeaderValue::from_static(..)`, `StatusCode::from_u16(..)`,
/// `Body::empty()`: the http crate's types as green::http re-exports them,
/// and its `Body`). No type of that name in compat, the runtime, http or ws
/// has a green associated fn (checked by a unit test).
///
/// Besides `cargo check` time, a wrapped call is a suspension point at run
/// time even when nothing is awaited: the locals that live across it are kept
/// in the fn's future, and moved in and out of it. A handler that only builds
/// its response thus runs with no suspension point at all.
#[rustfmt::skip]
const PLAIN_TYPES: &[&str] = &[
    "String", "Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "Box", "Rc", "Arc",
    "Cell", "RefCell", "Duration", "Instant", "Option", "Result", "char", "str", "u8", "u16",
    "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
    "Request", "Response", "HeaderMap", "HeaderName", "HeaderValue", "StatusCode", "Body",
];

/// Whether a method named `name` is on [`PLAIN_METHODS`], [`MUTATORS`] or
/// [`PLAIN_METHOD_PREFIXES`].
pub(crate) fn is_plain_method(name: &str) -> bool {
    PLAIN_METHODS.contains(&name)
        || MUTATORS.contains(&name)
        || PLAIN_METHOD_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Whether a method named `name` is on [`MUTATORS`].
pub(crate) fn is_mutator(name: &Ident) -> bool {
    MUTATORS.iter().any(|mutator| name.unraw() == mutator)
}

/// Whether a method call `x.name(..)` (with a turbofish or not) is never
/// awaited in a green body: [`PLAIN_METHODS`] and the method entries of
/// [`NEVER_AWAITED`]. A green method with such a name would never run when
/// called that way.
pub(crate) fn method_never_awaited(name: &str, turbofish: bool, arguments: usize) -> bool {
    is_plain_method(name)
        || (arguments > 0 && PLAIN_WITH_ARGUMENTS.contains(&name))
        || NEVER_AWAITED.iter().any(|(never, position)| {
            *never == name
                && match position {
                    Position::Method => true,
                    Position::MethodUnlessTurbofish => !turbofish,
                    Position::AssociatedCall | Position::PathCall => false,
                }
        })
}

/// Whether a path call `path(..)` is never awaited in a green body:
/// constructors (`Some(..)`, `Foo::Bar(..)`), associated fns of
/// [`PLAIN_TYPES`] and the path entries of [`NEVER_AWAITED`].
pub(crate) fn path_call_never_awaited(path: &ExprPath) -> bool {
    let segments = &path.path.segments;
    let Some(last) = segments.last() else {
        return false;
    };
    let name = last.ident.unraw().to_string();
    let qualified = path.qself.is_some() || segments.len() > 1;
    let plain_type = path.qself.is_none()
        && segments.len() == 2
        && PLAIN_TYPES.iter().any(|ty| segments[0].ident == ty);
    name.starts_with(char::is_uppercase)
        || plain_type
        || NEVER_AWAITED.iter().any(|(never, position)| {
            *never == name
                && match position {
                    Position::PathCall => true,
                    Position::AssociatedCall => qualified,
                    Position::Method | Position::MethodUnlessTurbofish => false,
                }
        })
}

/// Calls that take green work: a closure literal among their arguments is
/// green work, as if it were written `async || ..`. Matched on the last
/// segment of a path call (`thread::spawn(..)`, `green::timeout(..)`,
/// `thread::scope(..)`) and on the name of a method call
/// (`Builder::new().spawn(..)`, `s.spawn(..)` in a scope, `pool.spawn(..)`).
///
/// compat's `OnceLock::get_or_init` / `get_or_try_init` and `Once::call_once`
/// take green work too (the initialiser may block): `CONFIG.get_or_init(||
/// load())` ports unchanged. (std's `OnceCell`, which never blocks, is not
/// mirrored: its `get_or_init` in a green body needs a plain closure kept
/// by `#[nowait]`.)
///
/// `spawn_blocking` is not here: its closure runs on an OS thread, plain.
/// A closure passed anywhere else (`iter().map(|x| ..)`) stays plain.
const WORK_TAKERS: &[&str] = &[
    "spawn",
    "spawn_later",
    "spawn_scoped",
    "try_spawn",
    "scope",
    "timeout",
    "with_timeout",
    "get_or_init",
    "get_or_try_init",
    "call_once",
];

/// Whether a call named `name` is on [`WORK_TAKERS`].
pub(crate) fn is_work_taker(name: &Ident) -> bool {
    WORK_TAKERS.iter().any(|taker| name.unraw() == taker)
}

/// Macros whose arguments are expressions that are rewritten. Beyond the
/// formatting and assert macros: `vec![a, b]` (`vec![x; n]` does not parse as
/// a list and is left alone), `dbg!`, `todo!`, `unimplemented!`,
/// `unreachable!`.
const ARGUMENT_MACROS: &[&str] = &[
    "vec",
    "dbg",
    "todo",
    "unimplemented",
    "unreachable",
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

/// Of [`ARGUMENT_MACROS`], those whose whole invocation is also dispatched
/// (a green writer's `write_fmt` returns green work).
const WRITE_MACROS: &[&str] = &["write", "writeln"];

/// Whether `mac` is on [`ARGUMENT_MACROS`].
pub(crate) fn is_argument_macro(mac: &Macro) -> bool {
    macro_named(mac, ARGUMENT_MACROS)
}

/// `write!` or `writeln!`.
pub(crate) fn is_write_macro(mac: &Macro) -> bool {
    macro_named(mac, WRITE_MACROS)
}

/// Whether the last segment of `mac`'s path is one of `names`.
fn macro_named(mac: &Macro, names: &[&str]) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|last| names.iter().any(|name| last.ident == name))
}

/// Consumers whose result type only inference gives (`let v: Vec<_> =
/// it.collect();`): wrapped around the result they would be E0283, so they are
/// dispatched on their receiver instead, whose type is known: a green
/// iterator's consumer is awaited, a std iterator of green items
/// (`handles.into_iter().map(|h| h.join().unwrap())`) has each item awaited,
/// a std iterator's runs as it is. The turbofish forms
/// (`it.collect::<Vec<_>>()`, `it.sum::<u64>()`) are dispatched so too, for
/// the iterators of green items.
const RECEIVER_DISPATCHED: &[&str] = &["collect", "sum", "product"];

/// `it.collect()`, `it.sum()` or `it.product()`, without a turbofish or with
/// one type (`it.collect::<Vec<_>>()`).
pub(crate) fn is_receiver_dispatched(call: &syn::ExprMethodCall) -> bool {
    let turbofish_ok = call.turbofish.as_ref().is_none_or(|turbofish| {
        turbofish.args.len() == 1
            && matches!(turbofish.args.first(), Some(syn::GenericArgument::Type(_)))
    });
    turbofish_ok
        && call.args.is_empty()
        && RECEIVER_DISPATCHED
            .iter()
            .any(|name| call.method.unraw() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `.rs` file under `dir`.
    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("a source directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(std::fs::read_to_string(&path).expect("a source file"));
            }
        }
    }

    /// The sources of the crates whose items green bodies call: compat and
    /// the runtime.
    fn support_sources() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        sources(&root.join("compat/src"), &mut out);
        sources(&root.join("runtime/src"), &mut out);
        sources(&root.join("http/src"), &mut out);
        sources(&root.join("ws/src"), &mut out);
        assert!(
            out.len() > 10,
            "compat, runtime, http and ws sources not found"
        );
        out
    }

    /// The names of the fns of `source` whose signature returns green work
    /// (`Green<..>` or `BoxGreen<..>`).
    fn green_fn_names(source: &str) -> Vec<String> {
        green_fns(source)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The fns of `source` whose signature returns green work, with their
    /// signatures (from the name to the body).
    fn green_fns(source: &str) -> Vec<(String, &str)> {
        let mut fns = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find("fn ") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + 3..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let end = rest.find(['{', ';']).unwrap_or(rest.len());
            if !name.is_empty() && rest[..end].contains("Green<") {
                fns.push((name, &rest[..end]));
            }
        }
        fns
    }

    #[test]
    fn plain_names_are_not_green_methods() {
        let mut green = Vec::new();
        for source in support_sources() {
            green.extend(green_fn_names(&source));
        }
        // The scan finds the green methods it must find.
        for known in [
            "get", "map", "join", "lock", "read", "sleep", "accept", "send", "close",
        ] {
            assert!(
                green.iter().any(|name| name == known),
                "scan missed `{known}`"
            );
        }
        for name in &green {
            assert!(
                !is_plain_method(name),
                "`{name}` is a green fn of compat or the runtime: remove it from PLAIN_METHODS"
            );
        }
        // `lines` and `split` of compat's BufRead give iterators whose `next`
        // is green; the calls themselves are plain, and the `for` rewrite
        // awaits the `next`.
        assert!(!PLAIN_METHODS.contains(&"lines"));
    }

    /// The type an `impl` block's head is for: `Name` of `impl<T> Name<T>`,
    /// of `impl Trait for path::Name` and of `impl Name where ..`.
    fn impl_target(head: &str) -> &str {
        let head = head.split(" where").next().unwrap_or(head);
        let mut rest = head.trim_start_matches("impl").trim_start();
        if rest.starts_with('<') {
            rest = balanced_end(rest, '<', '>').map_or(rest, |end| &rest[end..]);
        }
        let target = rest.rsplit(" for ").next().unwrap_or(rest);
        let target = target.split('<').next().unwrap_or(target).trim();
        target.rsplit("::").next().unwrap_or(target)
    }

    /// The bodies of the `impl` blocks for a type named `ty` in `source`.
    fn impl_blocks<'s>(source: &'s str, ty: &str) -> Vec<&'s str> {
        let mut blocks = Vec::new();
        for (at, _) in source.match_indices("impl") {
            let before = source[..at].chars().next_back();
            let rest = &source[at..];
            let after = rest["impl".len()..].chars().next();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                || !after.is_some_and(|c| c == ' ' || c == '<')
            {
                continue;
            }
            let Some(open) = rest.find(['{', ';']) else {
                continue;
            };
            if rest[open..].starts_with(';') || impl_target(&rest[..open]) != ty {
                continue;
            }
            if let Some(end) = balanced_end(&rest[open..], '{', '}') {
                blocks.push(&rest[open..open + end]);
            }
        }
        blocks
    }

    /// Where the bracket that `text` opens with is closed: the index just
    /// past its `close`.
    fn balanced_end(text: &str, open: char, close: char) -> Option<usize> {
        let mut depth = 0;
        for (i, c) in text.char_indices() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
            if depth == 0 {
                return Some(i + c.len_utf8());
            }
        }
        None
    }

    #[test]
    fn plain_types_have_no_green_associated_fns() {
        let sources = support_sources();
        // The scan finds the impls and green associated fns it must find.
        let compat_file = sources
            .iter()
            .flat_map(|source| impl_blocks(source, "File"))
            .flat_map(|block| green_fns(block))
            .any(|(name, signature)| name == "open" && !signature.contains("self"));
        assert!(compat_file, "scan missed compat's green `File::open`");
        for source in &sources {
            for ty in PLAIN_TYPES {
                for block in impl_blocks(source, ty) {
                    for (name, signature) in green_fns(block) {
                        assert!(
                            signature.contains("self"),
                            "`{ty}::{name}` is green: remove `{ty}` from PLAIN_TYPES"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn plain_lists_have_no_duplicates() {
        for (i, name) in PLAIN_METHODS.iter().enumerate() {
            assert!(
                !PLAIN_METHODS[i + 1..].contains(name),
                "{name} is listed twice"
            );
        }
        for (i, name) in MUTATORS.iter().enumerate() {
            assert!(
                !MUTATORS[i + 1..].contains(name) && !PLAIN_METHODS.contains(name),
                "{name} is listed twice"
            );
        }
        for (i, name) in PLAIN_TYPES.iter().enumerate() {
            assert!(
                !PLAIN_TYPES[i + 1..].contains(name),
                "{name} is listed twice"
            );
        }
    }

    #[test]
    fn never_awaited_has_no_duplicates() {
        for (i, (name, position)) in NEVER_AWAITED.iter().enumerate() {
            assert!(
                !NEVER_AWAITED[i + 1..].contains(&(name, *position)),
                "{name} is listed twice"
            );
        }
    }
}
