//! The attributes of [green](https://docs.rs/green): `#[green]`,
//! `#[green::main]` and `#[green::test]`. Use them through the `green` facade.
//!
//! # The rewrite
//!
//! `#[green] fn f(args) -> R { body }` becomes a fn returning
//! `Green<impl Future<Output = R>>` (every argument lifetime captured, on
//! edition 2021 as on 2024; the arguments moved into the future, as an
//! `async fn` does). In the body, and in every `async` block or closure nested
//! in it, each call and method call is wrapped in an autoref dispatch
//! (`green_runtime::__private`): a `Green<_>` value is awaited, any other value
//! passes through unchanged. Never wrapped, because the compiler would refuse
//! the await or the inference:
//!
//! - anything in a plain (non-async) closure, a nested item or a `const {}`;
//! - the operand of an `.await` written by hand;
//! - constructor-looking calls (`Some(..)`, `Ok(..)`, `Foo(..)`);
//! - inference-only calls (`collect`, `into`, `parse`, .. without a turbofish,
//!   `unwrap*`/`expect*`, `Default::default()`, `T::from(..)`, ..) and
//!   diverging ones (`exit`, `abort`, ..): see `policy::NEVER_AWAITED`;
//! - visibly plain calls, left alone to keep `cargo check` fast and futures
//!   small: methods such as `len`, `clone`, `to_string`, `iter`, `push_str`,
//!   `wrapping_*`, `headers_mut` and associated fns of std types and of the
//!   http types a handler answers with (`String::new()`,
//!   `Duration::from_millis(..)`, `Response::new(..)`): see
//!   `policy::PLAIN_METHODS` and `policy::PLAIN_TYPES` (none is the name of a
//!   green method or associated fn of compat, the runtime, http or ws; unit
//!   tests check it).
//!
//! Also: direct self-recursion is boxed; `for pat in expr` iterates std
//! iterators and green iterators (an inherent green `next`) alike (a range,
//! an array literal or adaptors on a range stay a plain `for`); the
//! arguments of `print!`, `println!`, `eprint!`, `eprintln!`, `format!`,
//! `write!`, `writeln!`, `panic!`, `assert*!`, `debug_assert*!` and `vec!` are
//! rewritten (a whole `write!` is dispatched too); other macros are left as
//! written. Escape hatches: `green::nowait!(expr)`, `#[nowait]` on a statement
//! or an argument, `#[green(sync(name, ..))]`. A fully spelled path to a
//! blocking std item (`std::thread::sleep`, `std::fs::read_to_string`,
//! `std::sync::Mutex`, ..) in an async context, in an expression, a type or a
//! `use` inside the body, is a compile error naming its `green::compat`
//! replacement; `#[allow_blocking]` on the statement or on the fn (below
//! `#[green]`) silences it.
//!
//! # Layout
//!
//! The entry points of `expand` run the phases in this order:
//!
//! 1. `args`: the attribute arguments;
//! 2. `diagnostics`: the checks that reject an item (not a fn, already
//!    `async`, a green method named like a never-awaited one), and how errors
//!    are emitted, beside an item;
//! 3. `lifetimes`: the signature's elided lifetimes named (to be captured by
//!    the returned future), and the output type's as elision picks it;
//! 4. `rewrite`: the body rewrite inserting the awaits. `rewrite/mod.rs` is
//!    the visitor (async contexts, `#[nowait]`, `#[allow_blocking]`, blocking
//!    std paths); each rewrite has its file: `rewrite/dispatch.rs` (calls,
//!    `collect`/`sum`/`product` on their receiver, self-recursion, macro
//!    arguments), `rewrite/for_loop.rs`, `rewrite/closures.rs` (green
//!    closures, work closures), `rewrite/tail.rs` (block tails);
//! 5. `expand`: the output fn.
//!
//! Beside the phases: `policy`, the name tables and their predicates (what is
//! never awaited, visibly plain, takes green work); `attrs`, the attributes
//! the rewrite reads and removes; `spans`, where generated code points.
//! Dependencies go one way: `diagnostics` reads `policy`; `rewrite` reads
//! `policy`, `attrs`, `spans` and reports through `diagnostics`.
#![forbid(unsafe_code)]
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]

mod args;
mod attrs;
mod diagnostics;
mod expand;
mod lifetimes;
mod policy;
mod rewrite;
mod spans;

use proc_macro::TokenStream;

use crate::diagnostics::Attr;

/// Turns a blocking-looking fn into green work: the fn returns
/// `Green<impl Future<Output = R>>` and its body awaits its green calls.
///
/// Goes on free fns, on methods of inherent and trait impls, on trait method
/// declarations, and on closures inside a green body (`#[green] move |x| ..`).
///
/// Arguments: `crate = path` (the crate holding `__private`, default
/// `::green`), `boxed` (return `Green<Pin<Box<dyn Future>>>`, a finite type
/// for mutual recursion), `sync(name, ..)` (never await calls with these
/// names), `await_all` (await every `IntoFuture`, not only green values).
///
/// ```
/// use std::time::Duration;
///
/// #[green::green]
/// fn fetch(id: u32) -> Result<String, String> {
///     green::sleep(Duration::from_millis(1)); // awaited
///     Ok(format!("item {id}"))
/// }
///
/// #[green::green]
/// fn fetch_two() -> Result<Vec<String>, String> {
///     Ok(vec![fetch(1)?, fetch(2)?])
/// }
///
/// assert_eq!(green::run(fetch_two()).unwrap(), ["item 1", "item 2"]);
/// ```
#[proc_macro_attribute]
pub fn green(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::green(args.into(), item.into()).into()
}

/// Runs `fn main` as a green body on a fresh hub.
///
/// The body is rewritten as a `#[green]` body; it may return any type, such
/// as `Result<(), E>`. Arguments: `crate = path`; `timeout_ms = N` panics once
/// the body ran for N milliseconds; `workers = n` runs the body once on each
/// of n hubs (threads `green-hub-0` ..; `0`: one per core), gunicorn's
/// workers in one process: see `green::worker` and docs/multicore.md.
/// There each hub's k-th `TcpListener::bind` shares one address with
/// SO_REUSEPORT (Linux); main returns when every hub's main returned, the
/// first `Err` being its result (it stops the other hubs); a hub's panic
/// stops them and fails the process.
///
/// ```
/// #[green::green]
/// fn answer() -> u32 {
///     42
/// }
///
/// #[green::main]
/// fn main() -> Result<(), String> {
///     assert_eq!(answer(), 42);
///     Ok(())
/// }
/// ```
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::entry(Attr::Main, args.into(), item.into()).into()
}

/// A `#[test]` whose body is a green body run on a fresh hub.
///
/// Other attributes (`#[should_panic]`, `#[ignore]`) are kept. Arguments:
/// `timeout_ms = N` (the test panics with "green test `name` timed out after
/// N ms"), `workers = n` (as for `#[green::main]`), `crate = path`.
///
/// ```
/// use std::time::Duration;
///
/// #[green::test(timeout_ms = 5_000)]
/// fn sleeps_briefly() {
///     green::sleep(Duration::from_millis(1));
/// }
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::entry(Attr::Test, args.into(), item.into()).into()
}
