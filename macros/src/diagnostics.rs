//! Phase 0: the checks that reject an item, and how errors are emitted.
//!
//! Every error is spanned at the offending token and says what was expected.
//! The output keeps an item beside the `compile_error!` (the expansion when it
//! can still be built, the original item otherwise) so that the user sees one
//! error, not a cascade of unresolved names.

use proc_macro2::{Span, TokenStream};
use syn::spanned::Spanned;
use syn::{Error, Item, Signature};

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
