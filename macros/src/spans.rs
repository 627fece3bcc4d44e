//! Spans for generated code: at the user's tokens, so that rustc's messages
//! point at them.

use proc_macro2::Span;
use quote::ToTokens;
use syn::Expr;

/// A span for the `for` scaffolding: located at the user's tokens, but marked
/// as macro output (hygienic like `macro_rules!`), so that lints about the
/// user's own code (clippy's `while_let_loop`) do not fire on it.
pub(crate) fn generated_at(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// The spans of the first and the last token of `expr`. Generated code that
/// starts with the first and ends with the last spans the whole expression in
/// rustc's messages (on stable, `Span::join` is not available to macros).
pub(crate) fn first_and_last_span(expr: &Expr) -> (Span, Span) {
    match (first_span(expr), last_span(expr)) {
        (Some(first), Some(last)) => (first, last),
        _ => {
            // Any other shape: walk its tokens (slower: every token is
            // visited, and calls nest).
            let mut tokens = expr.to_token_stream().into_iter();
            let first = tokens
                .next()
                .map_or_else(Span::call_site, |token| token.span());
            let last = tokens.last().map_or(first, |token| token.span());
            (first, last)
        }
    }
}

/// The span of the first token of `expr`, for the shapes found at the head
/// of a call (without walking the whole expression).
fn first_span(expr: &Expr) -> Option<Span> {
    match expr {
        _ if expr_has_outer_attrs(expr) => None,
        Expr::Call(call) => first_span(&call.func),
        Expr::MethodCall(call) => first_span(&call.receiver),
        Expr::Field(field) => first_span(&field.base),
        Expr::Index(index) => first_span(&index.expr),
        Expr::Try(question) => first_span(&question.expr),
        Expr::Await(await_expr) => first_span(&await_expr.base),
        Expr::Paren(paren) => Some(paren.paren_token.span.open()),
        Expr::Tuple(tuple) => Some(tuple.paren_token.span.open()),
        Expr::Array(array) => Some(array.bracket_token.span.open()),
        Expr::Lit(lit) => Some(lit.lit.span()),
        Expr::Path(path) if path.qself.is_none() => Some(match &path.path.leading_colon {
            Some(colon) => colon.spans[0],
            None => path.path.segments.first()?.ident.span(),
        }),
        Expr::Macro(mac) => Some(match &mac.mac.path.leading_colon {
            Some(colon) => colon.spans[0],
            None => mac.mac.path.segments.first()?.ident.span(),
        }),
        Expr::Verbatim(tokens) => tokens.clone().into_iter().next().map(|token| token.span()),
        _ => None,
    }
}

/// The span of the last token of a call, method call or macro call.
fn last_span(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Call(call) => Some(call.paren_token.span.close()),
        Expr::MethodCall(call) => Some(call.paren_token.span.close()),
        Expr::Macro(mac) => Some(mac.mac.delimiter.span().close()),
        _ => None,
    }
}

/// Whether `expr` starts with an attribute (`#[nowait] ..`), whose `#` is
/// its first token.
fn expr_has_outer_attrs(expr: &Expr) -> bool {
    match expr {
        Expr::Call(e) => !e.attrs.is_empty(),
        Expr::MethodCall(e) => !e.attrs.is_empty(),
        Expr::Field(e) => !e.attrs.is_empty(),
        Expr::Index(e) => !e.attrs.is_empty(),
        Expr::Try(e) => !e.attrs.is_empty(),
        Expr::Await(e) => !e.attrs.is_empty(),
        Expr::Paren(e) => !e.attrs.is_empty(),
        Expr::Tuple(e) => !e.attrs.is_empty(),
        Expr::Array(e) => !e.attrs.is_empty(),
        Expr::Lit(e) => !e.attrs.is_empty(),
        Expr::Path(e) => !e.attrs.is_empty(),
        Expr::Macro(e) => !e.attrs.is_empty(),
        _ => false,
    }
}
