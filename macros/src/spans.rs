//! Beside the phases: spans for generated code, at the user's tokens so that
//! rustc's messages point at them.

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
/// of a call (without walking the whole expression). `None` for an
/// expression that starts with an attribute (`#[nowait] ..`), whose `#` is
/// its first token.
fn first_span(expr: &Expr) -> Option<Span> {
    match expr {
        Expr::Call(call) if call.attrs.is_empty() => first_span(&call.func),
        Expr::MethodCall(call) if call.attrs.is_empty() => first_span(&call.receiver),
        Expr::Field(field) if field.attrs.is_empty() => first_span(&field.base),
        Expr::Index(index) if index.attrs.is_empty() => first_span(&index.expr),
        Expr::Try(question) if question.attrs.is_empty() => first_span(&question.expr),
        Expr::Await(await_expr) if await_expr.attrs.is_empty() => first_span(&await_expr.base),
        Expr::Paren(paren) if paren.attrs.is_empty() => Some(paren.paren_token.span.open()),
        Expr::Tuple(tuple) if tuple.attrs.is_empty() => Some(tuple.paren_token.span.open()),
        Expr::Array(array) if array.attrs.is_empty() => Some(array.bracket_token.span.open()),
        Expr::Lit(lit) if lit.attrs.is_empty() => Some(lit.lit.span()),
        Expr::Path(path) if path.attrs.is_empty() && path.qself.is_none() => {
            Some(match &path.path.leading_colon {
                Some(colon) => colon.spans[0],
                None => path.path.segments.first()?.ident.span(),
            })
        }
        Expr::Macro(mac) if mac.attrs.is_empty() => Some(match &mac.mac.path.leading_colon {
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
