//! Beside the phases: the attributes the rewrite reads and removes
//! (`#[green]` on a closure, `#[nowait]`, `#[allow_blocking]`).

use syn::{Attribute, Expr};

/// `#[allow_blocking]`.
pub(crate) fn is_allow_blocking(attr: &Attribute) -> bool {
    attr.path().is_ident("allow_blocking")
}

/// `#[nowait]`.
pub(crate) fn is_nowait(attr: &Attribute) -> bool {
    attr.path().is_ident("nowait")
}

/// `#[green]` or `#[green::green]` (on a closure).
pub(crate) fn is_green(attr: &Attribute) -> bool {
    let path = attr.path();
    matches!(attr.meta, syn::Meta::Path(_))
        && (path.is_ident("green")
            || (path.segments.len() == 2 && path.segments.iter().all(|s| s.ident == "green")))
}

/// Removes the first attribute matching `is`; whether there was one.
pub(crate) fn take_attr(attrs: &mut Vec<Attribute>, is: fn(&Attribute) -> bool) -> bool {
    match attrs.iter().position(is) {
        Some(index) => {
            attrs.remove(index);
            true
        }
        None => false,
    }
}

/// The outer attributes of an expression.
pub(crate) fn expr_attrs(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    Some(match expr {
        Expr::Array(e) => &mut e.attrs,
        Expr::Assign(e) => &mut e.attrs,
        Expr::Async(e) => &mut e.attrs,
        Expr::Await(e) => &mut e.attrs,
        Expr::Binary(e) => &mut e.attrs,
        Expr::Block(e) => &mut e.attrs,
        Expr::Call(e) => &mut e.attrs,
        Expr::Cast(e) => &mut e.attrs,
        Expr::Field(e) => &mut e.attrs,
        Expr::ForLoop(e) => &mut e.attrs,
        Expr::If(e) => &mut e.attrs,
        Expr::Index(e) => &mut e.attrs,
        Expr::Loop(e) => &mut e.attrs,
        Expr::Macro(e) => &mut e.attrs,
        Expr::Match(e) => &mut e.attrs,
        Expr::MethodCall(e) => &mut e.attrs,
        Expr::Paren(e) => &mut e.attrs,
        Expr::Reference(e) => &mut e.attrs,
        Expr::Struct(e) => &mut e.attrs,
        Expr::Try(e) => &mut e.attrs,
        Expr::Tuple(e) => &mut e.attrs,
        Expr::Unary(e) => &mut e.attrs,
        Expr::Unsafe(e) => &mut e.attrs,
        Expr::While(e) => &mut e.attrs,
        _ => return None,
    })
}
