//! Phase 1: the attribute arguments of `#[green(..)]`, `#[green::main(..)]`
//! and `#[green::test(..)]`.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Expr, ExprLit, Ident, Lit, LitStr, Path, Result, parse_quote};

/// What `#[green(..)]` accepts, for error messages.
const GREEN_ARGS: &str = "expected one of: `crate = path`, `boxed`, `sync(name, ..)`, `await_all`";

/// What `#[green::main(..)]` and `#[green::test(..)]` accept, for error messages.
const ENTRY_ARGS: &str =
    "expected one of: `timeout_ms = <integer>`, `workers = <number of hubs>`, `crate = path`";

/// What `workers` expects, for error messages.
const WORKERS_VALUE: &str = "`workers` expects the number of hubs to run main on, a `usize`: \
     e.g. `workers = 4`, or `workers = 0` for one per core";

/// The arguments of `#[green(..)]`.
pub(crate) struct GreenArgs {
    /// The crate holding `__private` (`::green` unless `crate = path`).
    pub(crate) krate: Path,
    /// `boxed`: return a boxed future (`Green<Pin<Box<dyn Future>>>`).
    pub(crate) boxed: bool,
    /// `await_all`: await every `IntoFuture`, not only `Green` values.
    pub(crate) await_all: bool,
    /// `sync(name, ..)`: call names never awaited, beside the built-in list.
    pub(crate) sync: Vec<Ident>,
}

impl Default for GreenArgs {
    fn default() -> Self {
        GreenArgs {
            krate: default_crate(),
            boxed: false,
            await_all: false,
            sync: Vec::new(),
        }
    }
}

/// The arguments of `#[green::main(..)]` and `#[green::test(..)]`.
pub(crate) struct EntryArgs {
    /// The crate holding `__private`.
    pub(crate) krate: Path,
    /// `timeout_ms = N`: fail once the body ran for N milliseconds.
    pub(crate) timeout_ms: Option<u64>,
    /// `workers = n`: run the body once on each of n hubs.
    pub(crate) workers: Option<Expr>,
}

impl Default for EntryArgs {
    fn default() -> Self {
        EntryArgs {
            krate: default_crate(),
            timeout_ms: None,
            workers: None,
        }
    }
}

fn default_crate() -> Path {
    parse_quote!(::green)
}

/// Parses `#[green(..)]`.
pub(crate) fn parse_green(tokens: TokenStream) -> Result<GreenArgs> {
    let mut args = GreenArgs::default();
    syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            args.krate = crate_path(&meta)?;
        } else if meta.path.is_ident("boxed") {
            args.boxed = true;
        } else if meta.path.is_ident("await_all") {
            args.await_all = true;
        } else if meta.path.is_ident("sync") {
            meta.parse_nested_meta(|name| match name.path.get_ident() {
                Some(ident) if name.input.is_empty() || name.input.peek(syn::Token![,]) => {
                    args.sync.push(ident.clone());
                    Ok(())
                }
                _ => Err(name
                    .error("`sync(..)` expects method or function names, e.g. `sync(get, lock)`")),
            })?;
        } else {
            return Err(meta.error(format_args!("unknown `#[green]` argument; {GREEN_ARGS}")));
        }
        Ok(())
    })
    .parse2(tokens)?;
    Ok(args)
}

/// Parses `#[green::main(..)]` and `#[green::test(..)]`.
pub(crate) fn parse_entry(tokens: TokenStream, attr: &str) -> Result<EntryArgs> {
    let mut args = EntryArgs::default();
    syn::meta::parser(|meta| {
        if meta.path.is_ident("timeout_ms") {
            let lit: Lit = meta.value()?.parse()?;
            match &lit {
                Lit::Int(int) => args.timeout_ms = Some(int.base10_parse()?),
                _ => {
                    return Err(syn::Error::new_spanned(
                        lit,
                        "`timeout_ms` expects an integer number of milliseconds, e.g. `timeout_ms = 5000`",
                    ));
                }
            }
        } else if meta.path.is_ident("workers") {
            args.workers = Some(workers(&meta)?);
        } else if meta.path.is_ident("crate") {
            args.krate = crate_path(&meta)?;
        } else {
            return Err(meta.error(format_args!("unknown `#[green::{attr}]` argument; {ENTRY_ARGS}")));
        }
        Ok(())
    })
    .parse2(tokens)?;
    Ok(args)
}

/// `workers = <expr>`: any expression (a constant, a call reading the
/// environment) typed `usize` by the expansion; a literal that is no
/// integer is refused here, where the message can name the fix.
fn workers(meta: &ParseNestedMeta<'_>) -> Result<Expr> {
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error(WORKERS_VALUE));
    }
    let expr: Expr = meta.value()?.parse()?;
    match &expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(_), ..
        }) => Ok(expr),
        Expr::Lit(_) => Err(syn::Error::new_spanned(expr, WORKERS_VALUE)),
        _ => Ok(expr),
    }
}

/// `crate = ::path` or `crate = "::path"`.
fn crate_path(meta: &ParseNestedMeta<'_>) -> Result<Path> {
    let value = meta.value()?;
    let path = if value.peek(LitStr) {
        value.parse::<LitStr>()?.parse()
    } else {
        value.parse()
    };
    path.map_err(|error| {
        syn::Error::new(
            error.span(),
            "`crate` expects the path of a crate that has green's `__private` module, \
             e.g. `crate = ::green` or `crate = ::green_runtime`",
        )
    })
}
