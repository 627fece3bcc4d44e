//! Phase 2: the checks that reject an item, and how errors are emitted (also
//! for the errors the rewrite finds in the body, phase 4).
//!
//! Every error is spanned at the offending token and says what was expected.
//! The output keeps an item beside the `compile_error!` (the expansion when it
//! can still be built, the original item otherwise) so that the user sees one
//! error, not a cascade of unresolved names.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{Error, Item, Signature, Token, UseTree};

/// Which attribute is being expanded, for messages.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Attr {
    /// `#[green]`.
    Green,
    /// `#[green::main]`.
    Main,
    /// `#[green::test]`.
    Test,
}

impl Attr {
    /// How the user spells the attribute.
    pub(crate) fn spelling(self) -> &'static str {
        match self {
            Attr::Green => "#[green]",
            Attr::Main => "#[green::main]",
            Attr::Test => "#[green::test]",
        }
    }
}

/// Folds `error` into `errors`.
pub(crate) fn push(errors: &mut Option<Error>, error: Error) {
    match errors {
        Some(errors) => errors.combine(error),
        None => *errors = Some(error),
    }
}

/// `tokens` followed by the `compile_error!`s of `errors`.
pub(crate) fn with_errors(mut tokens: TokenStream, errors: Option<Error>) -> TokenStream {
    if let Some(errors) = errors {
        tokens.extend(errors.into_compile_error());
    }
    tokens
}

/// A green method named like a method `#[green]` never awaits (`len`,
/// `clone`, `unwrap`, ..): `x.len()` in a green body would give its work,
/// unrun. Spanned at the name.
// Before: #[green] fn len(&self) -> usize { .. }
// After:  the fn + compile_error!("a green method cannot be named `len` ..")
pub(crate) fn never_awaited_method(sig: &Signature) -> Option<Error> {
    let name = sig.ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    (sig.receiver().is_some()
        && crate::policy::method_never_awaited(name, false, sig.inputs.len() - 1))
    .then(|| {
        Error::new_spanned(
            &sig.ident,
            format!(
                "a green method cannot be named `{name}`: in a green body `x.{name}(..)` is taken \
                 for a plain call and never awaited (#[green] leaves such names alone to keep \
                 type inference and `cargo check` working), so its work would be dropped unrun. \
                 Rename it, for example `{name}_green`"
            ),
        )
    })
}

/// The attribute sits on something that is not a fn.
pub(crate) fn not_a_fn(attr: Attr, item: &TokenStream) -> Error {
    let expected = match attr {
        Attr::Green => {
            "`#[green]` goes on a fn or a method: `#[green] fn f() {..}`, or inside `impl T { #[green] fn f(&self) {..} }`"
        }
        Attr::Main => "`#[green::main]` goes on `fn main() {..}`",
        Attr::Test => "`#[green::test]` goes on a test fn: `#[green::test] fn it_works() {..}`",
    };
    let (span, what): (Span, &str) = match syn::parse2::<Item>(item.clone()) {
        Ok(Item::Struct(item)) => (item.struct_token.span, "a struct"),
        Ok(Item::Enum(item)) => (item.enum_token.span, "an enum"),
        Ok(Item::Union(item)) => (item.union_token.span, "a union"),
        Ok(Item::Impl(item)) => (
            item.impl_token.span,
            "an impl block (put it on each method instead)",
        ),
        Ok(Item::Trait(item)) => (
            item.trait_token.span,
            "a trait (put it on each method instead)",
        ),
        Ok(Item::Mod(item)) => (item.mod_token.span, "a module"),
        Ok(Item::Const(item)) => (item.const_token.span, "a const"),
        Ok(Item::Static(item)) => (item.static_token.span, "a static"),
        Ok(Item::Type(item)) => (item.type_token.span, "a type alias"),
        Ok(Item::Use(item)) => (item.use_token.span, "a use declaration"),
        _ => (item.span(), "this item"),
    };
    Error::new(span, format!("{expected}, not on {what}"))
}

/// The fn is `async`.
pub(crate) fn already_async(attr: Attr, sig: &Signature) -> Option<Error> {
    let asyncness = sig.asyncness.as_ref()?;
    let message = match attr {
        Attr::Green => "this fn is already async: remove `async`; `#[green]` makes the fn return \
                        `Green<impl Future>` and awaits the green calls in its body"
            .to_owned(),
        Attr::Main | Attr::Test => format!(
            "a `{}` fn must not be `async`: remove `async`; its body is already a green body run on a hub",
            attr.spelling()
        ),
    };
    Some(Error::new_spanned(asyncness, message))
}

/// `#[green]` on a closure that is `async`.
// Before: #[green] async |x| body
// After:  the closure, not async + compile_error!("this closure is already async ..")
pub(crate) fn already_async_closure(asyncness: Token![async]) -> Error {
    Error::new_spanned(
        asyncness,
        "this closure is already async: remove `async`; `#[green]` makes the closure \
         return `Green<impl Future>` and awaits the green calls in its body",
    )
}

/// `#[green::main]` and `#[green::test]` take no arguments and no generics.
pub(crate) fn entry_signature(attr: Attr, sig: &Signature) -> Option<Error> {
    let mut errors = None;
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        push(
            &mut errors,
            Error::new_spanned(
                &sig.generics,
                format!(
                    "a `{}` fn cannot be generic: remove the generic parameters",
                    attr.spelling()
                ),
            ),
        );
    }
    if !sig.inputs.is_empty() {
        push(
            &mut errors,
            Error::new_spanned(
                &sig.inputs,
                format!("a `{}` fn takes no arguments: remove them", attr.spelling()),
            ),
        );
    }
    errors
}

/// Families of blocking std items, by the path that names them, with their
/// `green::compat` replacement: `std::fs::read_to_string` is caught by the
/// family `std::fs` and named `green::compat::fs::read_to_string`.
///
/// A family is matched when a fully spelled path (`std::..` or `::std::..`)
/// starts with it, in an expression, a type or a `use` inside a green body.
const BLOCKING_STD: &[(&str, &str)] = &[
    ("std::thread::sleep", "green::compat::thread::sleep"),
    ("std::thread::spawn", "green::compat::thread::spawn"),
    ("std::thread::scope", "green::compat::thread::scope"),
    ("std::thread::park", "green::compat::thread::park"),
    (
        "std::thread::park_timeout",
        "green::compat::thread::park_timeout",
    ),
    ("std::thread::yield_now", "green::compat::thread::yield_now"),
    ("std::thread::Builder", "green::compat::thread::Builder"),
    (
        "std::net::ToSocketAddrs",
        "green::compat::net::ToSocketAddrs",
    ),
    ("std::net::TcpStream", "green::compat::net::TcpStream"),
    ("std::net::TcpListener", "green::compat::net::TcpListener"),
    ("std::net::UdpSocket", "green::compat::net::UdpSocket"),
    ("std::os::unix::net", "green::compat::os::unix::net"),
    ("std::fs", "green::compat::fs"),
    ("std::io::stdin", "green::compat::io::stdin"),
    ("std::io::stdout", "green::compat::io::stdout"),
    ("std::io::stderr", "green::compat::io::stderr"),
    ("std::io::Stdin", "green::compat::io::Stdin"),
    ("std::io::copy", "green::compat::io::copy"),
    ("std::process::Command", "green::compat::process::Command"),
    ("std::process::Child", "green::compat::process::Child"),
    ("std::sync::Mutex", "green::compat::sync::Mutex"),
    ("std::sync::RwLock", "green::compat::sync::RwLock"),
    ("std::sync::Condvar", "green::compat::sync::Condvar"),
    ("std::sync::Barrier", "green::compat::sync::Barrier"),
    ("std::sync::mpsc", "green::compat::sync::mpsc"),
];

/// Blocking APIs of well-known crates, by the path that names them, with
/// what to use in a green body instead. Matched like [`BLOCKING_STD`], on
/// fully spelled paths and `use`s inside a green body.
const BLOCKING_CRATES: &[(&str, &str)] = &[
    (
        "ureq",
        "`green::http::client` (reqwest::blocking's API, green)",
    ),
    (
        "postgres",
        "`tokio_postgres` awaited with `green::wait(..)`",
    ),
    (
        "tungstenite::connect",
        "`tokio_tungstenite::connect_async` awaited with `green::wait(..)`",
    ),
    (
        "tungstenite::accept",
        "`tokio_tungstenite::accept_async` awaited with `green::wait(..)`",
    ),
    (
        "tungstenite::client",
        "`tokio_tungstenite::client_async` awaited with `green::wait(..)`",
    ),
    (
        "redis::Client::get_connection",
        "`redis::Client::get_multiplexed_async_connection` awaited with `green::wait(..)`",
    ),
    (
        "redis::Connection",
        "`redis::aio::MultiplexedConnection` awaited with `green::wait(..)`",
    ),
];

/// Blocking APIs of well-known crates that green mirrors item for item:
/// `reqwest::blocking::Client` is named `green::http::client::Client`, as a
/// [`BLOCKING_STD`] family is.
const CRATE_TWINS: &[(&str, &str)] = &[("reqwest::blocking", "green::http::client")];

/// Items under a blocking family that do not block (plain values, which
/// compat re-exports from std).
const NOT_BLOCKING: &[&str] = &[
    "std::fs::FileType",
    "std::fs::Metadata",
    "std::fs::Permissions",
];

/// The blocking family `segments` falls in, and its replacement for
/// `segments` (the family's replacement followed by the rest of the path).
fn blocking_replacement(segments: &[String]) -> Option<String> {
    let spelled = segments.join("::");
    if NOT_BLOCKING
        .iter()
        .any(|plain| spelled == *plain || spelled.starts_with(&format!("{plain}::")))
    {
        return None;
    }
    BLOCKING_STD.iter().find_map(|(family, replacement)| {
        let rest = spelled.strip_prefix(family)?;
        (rest.is_empty() || rest.starts_with("::")).then(|| format!("{replacement}{rest}"))
    })
}

/// The error for a blocking path spelled `spelled`, at `tokens`; `instead`
/// says what to use.
fn blocking_error(tokens: impl quote::ToTokens, spelled: &str, instead: &str) -> Error {
    Error::new_spanned(
        tokens,
        format!(
            "`{spelled}` blocks the hub, and with it every green task: use {instead}, run \
             blocking code with `green::spawn_blocking(|| ..)`, or mark the statement or fn \
             `#[allow_blocking]`"
        ),
    )
}

/// A fully spelled path to a blocking std item (`std::thread::sleep`,
/// `::std::sync::Mutex`, `std::fs::File::open`) names its `green::compat`
/// replacement. Generic arguments do not matter (`std::sync::Mutex::<u8>::new`).
// Before: std::thread::sleep(d)
// After:  std::thread::sleep(d) + compile_error!("`std::thread::sleep` blocks the hub ..")
pub(crate) fn blocking_std_path(path: &syn::Path) -> Option<Error> {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    blocking_path_error(path, &segments)
}

/// The error for `segments`, a blocking std item or crate API, at `tokens`.
fn blocking_path_error(tokens: impl quote::ToTokens, segments: &[String]) -> Option<Error> {
    let spelled = segments.join("::");
    if segments.first().is_some_and(|first| first == "std") {
        let replacement = blocking_replacement(segments)?;
        return Some(blocking_error(
            tokens,
            &spelled,
            &format!("`{replacement}` in a green body"),
        ));
    }
    let twin = CRATE_TWINS.iter().find_map(|(family, twin)| {
        let rest = spelled.strip_prefix(family)?;
        (rest.is_empty() || rest.starts_with("::")).then(|| format!("{twin}{rest}"))
    });
    if let Some(twin) = twin {
        return Some(blocking_error(
            tokens,
            &spelled,
            &format!("`{twin}` in a green body"),
        ));
    }
    let (_, instead) = BLOCKING_CRATES
        .iter()
        .find(|(family, _)| in_family(&spelled, family))?;
    Some(blocking_error(tokens, &spelled, instead))
}

/// Whether the path `spelled` is `family` or an item under it.
fn in_family(spelled: &str, family: &str) -> bool {
    spelled
        .strip_prefix(family)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// `use std::..` inside a green body: each imported blocking item (or a glob
/// that would import one) names its replacement.
// Before: use std::{thread::sleep, sync::Mutex};
// After:  use std::{thread::sleep, sync::Mutex}; + one compile_error! per item
pub(crate) fn blocking_std_use(tree: &UseTree) -> Vec<Error> {
    let mut errors = Vec::new();
    use_tree(tree, &mut Vec::new(), &mut errors);
    errors
}

fn use_tree(tree: &UseTree, prefix: &mut Vec<String>, errors: &mut Vec<Error>) {
    match tree {
        UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            use_tree(&path.tree, prefix, errors);
            prefix.pop();
        }
        UseTree::Name(name) => use_leaf(tree, &name.ident, prefix, errors),
        UseTree::Rename(rename) => use_leaf(tree, &rename.ident, prefix, errors),
        UseTree::Glob(_) => {
            if prefix.first().is_none_or(|first| first != "std") {
                // `use reqwest::blocking::*`: the family itself.
                if let Some(error) = blocking_path_error(tree, prefix) {
                    errors.push(error);
                }
                return;
            }
            let spelled = prefix.join("::");
            // `use std::sync::*` brings `Mutex` in: name the compat module.
            let inside = format!("{spelled}::");
            let covers = blocking_replacement(prefix).is_some()
                || BLOCKING_STD
                    .iter()
                    .any(|(family, _)| family.starts_with(&inside));
            if covers {
                let module = spelled.replacen("std", "green::compat", 1);
                errors.push(blocking_error(
                    tree,
                    &format!("{spelled}::*"),
                    &format!("`{module}::*` in a green body"),
                ));
            }
        }
        UseTree::Group(group) => {
            for tree in &group.items {
                use_tree(tree, prefix, errors);
            }
        }
    }
}

fn use_leaf(tree: &UseTree, ident: &syn::Ident, prefix: &[String], errors: &mut Vec<Error>) {
    let mut segments = prefix.to_vec();
    if ident != "self" {
        segments.push(ident.to_string());
    }
    if let Some(error) = blocking_path_error(tree, &segments) {
        errors.push(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn path_error(path: syn::Path) -> Option<String> {
        blocking_std_path(&path).map(|error| error.to_string())
    }

    fn use_errors(item: syn::ItemUse) -> Vec<String> {
        blocking_std_use(&item.tree)
            .into_iter()
            .map(|error| error.to_string())
            .collect()
    }

    #[test]
    fn each_family_names_its_replacement() {
        let cases: [(syn::Path, &str); 7] = [
            (
                parse_quote!(std::thread::sleep),
                "green::compat::thread::sleep",
            ),
            (
                parse_quote!(::std::net::TcpStream::connect),
                "green::compat::net::TcpStream::connect",
            ),
            (
                parse_quote!(std::fs::read_to_string),
                "green::compat::fs::read_to_string",
            ),
            (parse_quote!(std::io::stdin), "green::compat::io::stdin"),
            (
                parse_quote!(std::process::Command::new),
                "green::compat::process::Command::new",
            ),
            (
                parse_quote!(std::sync::Mutex::<u8>::new),
                "green::compat::sync::Mutex::new",
            ),
            (
                parse_quote!(std::sync::mpsc::channel),
                "green::compat::sync::mpsc::channel",
            ),
        ];
        for (path, replacement) in cases {
            let error = path_error(path).expect("an error");
            assert!(error.contains(&format!("use `{replacement}`")), "{error}");
        }
    }

    #[test]
    fn reqwest_blocking_names_the_green_client() {
        let error = path_error(parse_quote!(reqwest::blocking::Client::new)).unwrap();
        assert!(
            error.contains("`green::http::client::Client::new` in a green body"),
            "{error}"
        );
        let errors = use_errors(parse_quote!(
            use reqwest::blocking::*;
        ));
        assert!(
            errors[0].contains("use `green::http::client` in a green body"),
            "{errors:?}"
        );
        assert_eq!(path_error(parse_quote!(reqwest::Client::new)), None);
        assert_eq!(path_error(parse_quote!(reqwest::blockingly)), None);
    }

    #[test]
    fn plain_std_paths_pass() {
        for path in [
            parse_quote!(std::sync::Arc::new),
            parse_quote!(std::fs::Metadata),
            parse_quote!(std::io::Error::other),
            parse_quote!(std::net::SocketAddr),
            parse_quote!(std::time::Duration::from_millis),
            parse_quote!(green::compat::fs::read),
            parse_quote!(fs::read),
            parse_quote!(std::sync::MutexGuard),
        ] {
            assert_eq!(path_error(path), None);
        }
    }

    #[test]
    fn use_items_name_each_blocking_import() {
        let errors = use_errors(parse_quote!(
            use std::{
                fs,
                io::{self, stdin},
                net::{SocketAddr, TcpStream as Tcp},
                sync::{Arc, Mutex},
            };
        ));
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("`std::fs` blocks"));
        assert!(errors[1].contains("`green::compat::io::stdin`"));
        assert!(errors[2].contains("`green::compat::net::TcpStream`"));
        assert!(errors[3].contains("`green::compat::sync::Mutex`"));
        assert_eq!(
            use_errors(parse_quote!(
                use std::sync::*;
            ))
            .len(),
            1
        );
        assert!(
            use_errors(parse_quote!(
                use std::time::*;
            ))
            .is_empty()
        );
        assert!(
            use_errors(parse_quote!(
                use green::compat::sync::Mutex;
            ))
            .is_empty()
        );
    }
}
