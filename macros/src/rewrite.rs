//! Phase 2: the body rewrite, a narrow [`VisitMut`] that inserts the awaits.
//!
//! Inside an *async context* (the body of a `#[green]` fn and every `async`
//! block or `async` closure nested in it) each call and method call is wrapped
//! in the autoref dispatch of `green_runtime::__private` (see `dispatch.rs`):
//! a `Green<F>` value is awaited, any other value passes through a `Ready`.
//! What is never wrapped, and why, is listed on [`NEVER_AWAITED`] and on the
//! visitor's methods.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Block, Expr, ExprForLoop, ExprMacro, Ident, Item, Macro, Path, Stmt, Token};

/// Where a name on [`NEVER_AWAITED`] is recognised.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Position {
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
/// research/AUTOAWAIT.md):
/// - inference-only results: the dispatch needs the type before the `let`
///   annotation gives it (E0282, E0283, E0284, E0790);
/// - diverging functions: `!` has no dispatch (E0277).
///
/// `#[green(sync(name, ..))]` adds names (method calls and last segments of
/// path calls) for one function.
pub(crate) const NEVER_AWAITED: &[(&str, Position)] = &[
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

/// The function being expanded, for direct self-recursion.
#[derive(Clone, Debug)]
pub(crate) struct SelfCall {
    /// The function's name.
    pub(crate) name: Ident,
    /// Whether it has a `self` receiver (recursion is `self.f(..)` or `Self::f(..)`).
    pub(crate) method: bool,
}

/// The visitor that inserts the awaits.
pub(crate) struct Rewriter<'a> {
    krate: &'a Path,
    sync: &'a [Ident],
    self_call: Option<SelfCall>,
    in_async: bool,
    errors: Option<syn::Error>,
}

impl<'a> Rewriter<'a> {
    /// A rewriter for the body of `self_call` (if any), naming support code
    /// under `krate::__private`.
    pub(crate) fn new(krate: &'a Path, sync: &'a [Ident], self_call: Option<SelfCall>) -> Self {
        Rewriter {
            krate,
            sync,
            self_call,
            in_async: false,
            errors: None,
        }
    }

    /// The errors found while rewriting (blocking std calls, misplaced
    /// `#[green]` closures), to emit beside the output.
    pub(crate) fn into_errors(self) -> Option<syn::Error> {
        self.errors
    }

    fn error(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    /// Rewrites `block` as a green body (an async context).
    pub(crate) fn rewrite_body(&mut self, block: &mut Block) {
        self.with_async(true, |this| this.visit_block_mut(block));
    }

    fn with_async(&mut self, in_async: bool, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.in_async, in_async);
        f(self);
        self.in_async = outer;
    }

    /// The operand of a user-written `.await`: its sub-expressions are
    /// rewritten, the operand itself is not wrapped.
    // Before: f(g()).await
    // After:  f(DISPATCH(g())).await
    fn await_operand(&mut self, base: &mut Expr) {
        match base {
            Expr::Paren(paren) => self.await_operand(&mut paren.expr),
            Expr::Call(_) | Expr::MethodCall(_) => visit_mut::visit_expr_mut(self, base),
            Expr::Macro(mac) => {
                self.macro_args(&mut mac.mac);
            }
            _ => self.visit_expr_mut(base),
        }
    }

    /// A call or method call whose sub-expressions are already rewritten.
    fn wrap_call(&mut self, call: Expr) -> Expr {
        if let Some(error) = blocking_std_call(&call) {
            self.error(error);
            return call;
        }
        if self.is_self_call(&call) {
            // Before: fib(n - 1)
            // After:  ::green::__private::boxed(fib(n - 1)).await
            let krate = self.krate;
            let (first, last) = first_and_last_span(&call);
            let head = quote::quote_spanned!(first=> #krate::__private::boxed(#call));
            let tail = quote::quote_spanned!(last=> .await);
            return syn::parse_quote!(#head #tail);
        }
        if self.never_awaited(&call) {
            return call;
        }
        dispatch(self.krate, call)
    }

    /// Direct self-recursion: `f(..)` for a free fn, `self.f(..)` or
    /// `Self::f(..)` for a method.
    fn is_self_call(&self, call: &Expr) -> bool {
        let Some(SelfCall { name, method }) = &self.self_call else {
            return false;
        };
        match call {
            Expr::Call(call) => match &*call.func {
                Expr::Path(path) if path.qself.is_none() => {
                    let segments = &path.path.segments;
                    match segments.len() {
                        1 => {
                            !method
                                && path.path.leading_colon.is_none()
                                && segments[0].ident == *name
                        }
                        2 => segments[0].ident == "Self" && segments[1].ident == *name,
                        _ => false,
                    }
                }
                _ => false,
            },
            Expr::MethodCall(call) => {
                *method
                    && call.method == *name
                    && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("self"))
            }
            _ => false,
        }
    }

    /// Calls left as they are: constructors, [`NEVER_AWAITED`], `sync(..)` names.
    fn never_awaited(&self, call: &Expr) -> bool {
        match call {
            Expr::Call(call) => {
                let Expr::Path(path) = &*call.func else {
                    return false;
                };
                let Some(last) = path.path.segments.last() else {
                    return false;
                };
                let name = last.ident.unraw().to_string();
                let qualified = path.qself.is_some() || path.path.segments.len() > 1;
                name.starts_with(char::is_uppercase)
                    || self.sync.contains(&last.ident)
                    || NEVER_AWAITED.iter().any(|(never, position)| {
                        *never == name
                            && match position {
                                Position::PathCall => true,
                                Position::AssociatedCall => qualified,
                                Position::Method | Position::MethodUnlessTurbofish => false,
                            }
                    })
            }
            Expr::MethodCall(call) => {
                let name = call.method.unraw().to_string();
                self.sync.contains(&call.method)
                    || NEVER_AWAITED.iter().any(|(never, position)| {
                        *never == name
                            && match position {
                                Position::Method => true,
                                Position::MethodUnlessTurbofish => call.turbofish.is_none(),
                                Position::AssociatedCall | Position::PathCall => false,
                            }
                    })
            }
            _ => false,
        }
    }

    /// Rewrites the arguments of the macros on [`ARGUMENT_MACROS`]; returns
    /// whether the invocation is a write macro to dispatch as a whole.
    // Before: println!("{}", f())
    // After:  println!("{}", DISPATCH(f()))
    fn macro_args(&mut self, mac: &mut Macro) -> bool {
        let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
            return false;
        };
        if !ARGUMENT_MACROS.contains(&name.as_str()) {
            return false;
        }
        let Ok(mut args) =
            Punctuated::<Expr, Token![,]>::parse_terminated.parse2(mac.tokens.clone())
        else {
            return false;
        };
        for arg in args.iter_mut() {
            self.visit_expr_mut(arg);
        }
        mac.tokens = args.into_token_stream();
        WRITE_MACROS.contains(&name.as_str())
    }

    /// `for pat in expr { body }` in an async context.
    // Before: 'outer: for pat in expr { body }
    // After:  match (match Wrap(expr) { w => (&w).green_iter_kind().iter(w) }) {
    //             mut __green_it => 'outer: loop {
    //                 match DISPATCH(__green_it.next()) {
    //                     Some(pat) => { body }
    //                     None => break,
    //                 }
    //             },
    //         }
    fn for_loop(&mut self, for_loop: ExprForLoop) -> Expr {
        let ExprForLoop {
            attrs,
            label,
            for_token,
            pat,
            in_token: _,
            expr: iterable,
            body,
        } = for_loop;
        let mut iterable = *iterable;
        // `for x in (S { .. })` needs its parentheses, `Wrap(S { .. })` does not.
        while let Expr::Paren(paren) = iterable {
            iterable = *paren.expr;
        }
        let mut body = body;
        self.visit_expr_mut(&mut iterable);
        self.visit_block_mut(&mut body);

        let krate = self.krate;
        let span = generated_at(for_token.span);
        let it = Ident::new("__green_it", Span::mixed_site());
        let w = Ident::new("__green_w", Span::mixed_site());
        // Errors about the iterable (no `IntoIterator`, no `next`) point at it.
        let iterable_span = iterable.span();
        let next = dispatch(krate, syn::parse_quote_spanned!(iterable_span=> #it.next()));
        let iter: Expr = syn::parse_quote_spanned! {iterable_span=>
            (match #krate::__private::Wrap(#iterable) {
                #w => (&#w).green_iter_kind().iter(#w)
            })
        };
        syn::parse_quote_spanned! {span=>
            #(#attrs)*
            match #iter {
                mut #it => #label loop {
                    match #next {
                        ::core::option::Option::Some(#pat) => #body
                        ::core::option::Option::None => break,
                    }
                },
            }
        }
    }
}

impl Rewriter<'_> {
    /// `#[green]` on a closure inside a green body.
    // Before: #[green] move |x| -> R { body }
    // After:  move |x| ::green::__private::Green::new(async move {
    //             let __green_ret: R = { rewritten body };
    //             __green_ret
    //         })
    fn green_closure(&mut self, closure: &mut syn::ExprClosure) {
        if let Some(asyncness) = closure.asyncness.take() {
            self.error(syn::Error::new_spanned(
                asyncness,
                "this closure is already async: remove `async`; `#[green]` makes the closure \
                 return `Green<impl Future>` and awaits the green calls in its body",
            ));
        }
        let mut body = take(&mut closure.body);
        self.with_async(true, |this| this.visit_expr_mut(&mut body));
        let krate = self.krate;
        let ret = Ident::new("__green_ret", Span::mixed_site());
        let output = std::mem::replace(&mut closure.output, syn::ReturnType::Default);
        let body = match output {
            syn::ReturnType::Default => quote::quote!(#body),
            syn::ReturnType::Type(_, ty) => quote::quote! {
                #[allow(clippy::let_and_return, clippy::let_unit_value, clippy::diverging_sub_expression)]
                let #ret: #ty = #body;
                #[allow(unreachable_code)]
                #ret
            },
        };
        *closure.body = syn::parse_quote_spanned! {closure.or1_token.span=>
            #krate::__private::Green::new(async move { #body })
        };
    }
}

/// `#[nowait]`.
fn is_nowait(attr: &Attribute) -> bool {
    attr.path().is_ident("nowait")
}

/// `#[green]` or `#[green::green]` (on a closure).
fn is_green(attr: &Attribute) -> bool {
    let path = attr.path();
    matches!(attr.meta, syn::Meta::Path(_))
        && (path.is_ident("green")
            || (path.segments.len() == 2 && path.segments.iter().all(|s| s.ident == "green")))
}

/// Removes the first attribute matching `is`; whether there was one.
fn take_attr(attrs: &mut Vec<Attribute>, is: fn(&Attribute) -> bool) -> bool {
    match attrs.iter().position(is) {
        Some(index) => {
            attrs.remove(index);
            true
        }
        None => false,
    }
}

/// The outer attributes of an expression.
fn expr_attrs(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
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

/// Fully spelled std calls that block the thread, with their green replacement.
const BLOCKING_STD: &[(&str, &str)] = &[
    (
        "std::thread::sleep",
        "green::sleep` or `green::compat::thread::sleep",
    ),
    (
        "std::thread::spawn",
        "green::spawn` or `green::compat::thread::spawn",
    ),
    (
        "std::net::TcpStream::connect",
        "green::compat::net::TcpStream::connect",
    ),
    (
        "std::net::TcpStream::connect_timeout",
        "green::compat::net::TcpStream::connect_timeout",
    ),
    (
        "std::net::TcpListener::bind",
        "green::compat::net::TcpListener::bind",
    ),
    (
        "std::net::UdpSocket::bind",
        "green::compat::net::UdpSocket::bind",
    ),
    ("std::io::stdin", "green::compat::io::stdin"),
    ("std::io::copy", "green::compat::io::copy"),
    ("std::fs::read", "green::compat::fs::read"),
    (
        "std::fs::read_to_string",
        "green::compat::fs::read_to_string",
    ),
    ("std::fs::write", "green::compat::fs::write"),
    ("std::fs::copy", "green::compat::fs::copy"),
    ("std::fs::read_dir", "green::compat::fs::read_dir"),
    ("std::fs::metadata", "green::compat::fs::metadata"),
    ("std::fs::create_dir", "green::compat::fs::create_dir"),
    (
        "std::fs::create_dir_all",
        "green::compat::fs::create_dir_all",
    ),
    ("std::fs::remove_file", "green::compat::fs::remove_file"),
    ("std::fs::remove_dir", "green::compat::fs::remove_dir"),
    (
        "std::fs::remove_dir_all",
        "green::compat::fs::remove_dir_all",
    ),
    ("std::fs::rename", "green::compat::fs::rename"),
    ("std::fs::File::open", "green::compat::fs::File::open"),
    ("std::fs::File::create", "green::compat::fs::File::create"),
];

/// A fully spelled blocking std call in an async context stalls the hub:
/// name the `green::compat` replacement at compile time.
// Before: std::thread::sleep(d)
// After:  compile_error!("`std::thread::sleep` blocks the hub ..")
fn blocking_std_call(call: &Expr) -> Option<syn::Error> {
    let Expr::Call(call) = call else {
        return None;
    };
    let Expr::Path(path) = &*call.func else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let spelled = path
        .path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let (_, replacement) = BLOCKING_STD.iter().find(|(std, _)| *std == spelled)?;
    Some(syn::Error::new_spanned(
        &call.func,
        format!(
            "`{spelled}` blocks the hub, and with it every green task: use `{replacement}` in a green body \
             (or run blocking code with `green::spawn_blocking(|| ..)`)"
        ),
    ))
}

/// `write!` or `writeln!`.
fn is_write_macro(mac: &Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|last| WRITE_MACROS.iter().any(|name| last.ident == name))
}

/// Takes an expression out, leaving an empty one behind.
fn take(expr: &mut Expr) -> Expr {
    std::mem::replace(expr, Expr::Verbatim(TokenStream::new()))
}

/// A span for the `for` scaffolding: located at the user's tokens, but marked
/// as macro output (hygienic like `macro_rules!`), so that lints about the
/// user's own code (clippy's `while_let_loop`) do not fire on it.
fn generated_at(span: Span) -> Span {
    Span::mixed_site().located_at(span)
}

/// The await dispatch around `call`, located at the call.
// Before: f(x)
// After:  (match ::green::__private::Wrap(f(x)) { __green_w => (&__green_w).green_kind().run(__green_w) }).await
pub(crate) fn dispatch(krate: &Path, call: Expr) -> Expr {
    // The user's span, not `generated_at`: an error about the whole wrapped
    // call (`spawn(f(x))`) then points at the call, not at `#[green]`.
    let (first, last) = first_and_last_span(&call);
    let w = Ident::new("__green_w", Span::mixed_site());
    let head = quote::quote_spanned! {first=>
        (match #krate::__private::Wrap(#call) {
            #w => (&#w).green_kind().run(#w)
        })
    };
    let tail = quote::quote_spanned!(last=> .await);
    syn::parse_quote!(#head #tail)
}

/// The spans of the first and the last token of `expr`. Generated code that
/// starts with the first and ends with the last spans the whole expression in
/// rustc's messages (on stable, `Span::join` is not available to macros).
fn first_and_last_span(expr: &Expr) -> (Span, Span) {
    let mut tokens = expr.to_token_stream().into_iter();
    let first = tokens
        .next()
        .map_or_else(Span::call_site, |token| token.span());
    let last = tokens.last().map_or(first, |token| token.span());
    (first, last)
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // Before: f(#[nowait] g())
        // After:  f(g())            (left exactly as written)
        if expr_attrs(expr).is_some_and(|attrs| take_attr(attrs, is_nowait)) {
            return;
        }
        if let Expr::Closure(closure) = expr {
            if take_attr(&mut closure.attrs, is_green) {
                self.green_closure(closure);
                return;
            }
        }
        match expr {
            // A plain closure is not async: nothing in it is awaited, but an
            // async block inside it is an async context again.
            Expr::Closure(closure) => {
                let in_async = closure.asyncness.is_some();
                self.with_async(in_async, |this| {
                    visit_mut::visit_expr_closure_mut(this, closure)
                });
            }
            Expr::Async(block) => {
                self.with_async(true, |this| visit_mut::visit_expr_async_mut(this, block))
            }
            // `const { .. }` is evaluated at compile time: never awaited.
            Expr::Const(_) => {}
            Expr::Await(await_expr) => self.await_operand(&mut await_expr.base),
            Expr::ForLoop(_) if self.in_async => {
                if let Expr::ForLoop(for_loop) = take(expr) {
                    *expr = self.for_loop(for_loop);
                }
            }
            Expr::Macro(ExprMacro { mac, .. }) => {
                let write = self.macro_args(mac);
                if write && self.in_async {
                    // Before: write!(out, "{x}")
                    // After:  DISPATCH(write!(out, "{x}"))
                    *expr = dispatch(self.krate, take(expr));
                }
            }
            Expr::Call(_) | Expr::MethodCall(_) => {
                visit_mut::visit_expr_mut(self, expr);
                if self.in_async {
                    *expr = self.wrap_call(take(expr));
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        // Before: #[nowait] let work = f();
        // After:  let work = f();            (left exactly as written)
        let attrs = match stmt {
            Stmt::Local(local) => Some(&mut local.attrs),
            Stmt::Macro(stmt_macro) => Some(&mut stmt_macro.attrs),
            Stmt::Item(_) | Stmt::Expr(..) => None,
        };
        if attrs.is_some_and(|attrs| take_attr(attrs, is_nowait)) {
            return;
        }
        match stmt {
            // Nested items are not entered: their bodies are not green.
            Stmt::Item(_) => {}
            Stmt::Macro(stmt_macro) if self.in_async && is_write_macro(&stmt_macro.mac) => {
                // Before: writeln!(out, "x");
                // After:  DISPATCH(writeln!(out, "x"));
                let placeholder = Stmt::Expr(Expr::Verbatim(TokenStream::new()), None);
                if let Stmt::Macro(stmt_macro) = std::mem::replace(stmt, placeholder) {
                    let mut expr = Expr::Macro(ExprMacro {
                        attrs: stmt_macro.attrs,
                        mac: stmt_macro.mac,
                    });
                    self.visit_expr_mut(&mut expr);
                    *stmt = Stmt::Expr(expr, stmt_macro.semi_token);
                }
            }
            Stmt::Macro(stmt_macro) => {
                self.macro_args(&mut stmt_macro.mac);
            }
            _ => visit_mut::visit_stmt_mut(self, stmt),
        }
    }

    // Nested items are not entered: their bodies are not green.
    fn visit_item_mut(&mut self, _item: &mut Item) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;
    use syn::parse_quote;

    /// Rewrites `block` as the body of a fn named `f` (a method if `method`).
    fn rewrite_as(block: TokenStream, method: bool, sync: &[Ident]) -> String {
        let mut block: Block = syn::parse2(block).expect("a block");
        let krate: Path = parse_quote!(::green);
        let self_call = SelfCall {
            name: parse_quote!(f),
            method,
        };
        Rewriter::new(&krate, sync, Some(self_call)).rewrite_body(&mut block);
        block.into_token_stream().to_string()
    }

    fn rewrite(block: TokenStream) -> String {
        rewrite_as(block, false, &[])
    }

    /// The expected dispatch around `call`.
    fn d(call: TokenStream) -> TokenStream {
        quote! {
            (match ::green::__private::Wrap(#call) {
                __green_w => (&__green_w).green_kind().run(__green_w)
            })
            .await
        }
    }

    fn same(block: TokenStream) -> String {
        syn::parse2::<Block>(block)
            .expect("a block")
            .into_token_stream()
            .to_string()
    }

    #[test]
    fn calls_and_method_calls_are_wrapped_post_order() {
        let inner = d(quote!(g()));
        let call = d(quote!(h(#inner)));
        let method = d(quote!(x.len()));
        let chained = d(quote!(#method.max(1)));
        assert_eq!(
            rewrite(quote!({
                h(g());
                x.len().max(1)
            })),
            same(quote!({ #call; #chained }))
        );
    }

    #[test]
    fn question_mark_applies_to_the_awaited_value() {
        let call = d(quote!(read(buf)));
        assert_eq!(rewrite(quote!({ read(buf)? })), same(quote!({ #call? })));
    }

    #[test]
    fn the_operand_of_a_written_await_is_kept() {
        let inner = d(quote!(g()));
        assert_eq!(
            rewrite(quote!({ h(g()).await })),
            same(quote!({ h(#inner).await }))
        );
        assert_eq!(
            rewrite(quote!({ (x.recv()).await })),
            same(quote!({ (x.recv()).await }))
        );
    }

    #[test]
    fn plain_closures_are_not_rewritten_but_async_blocks_in_them_are() {
        let block = quote!({
            let c = |x| g(x);
        });
        assert_eq!(rewrite(block.clone()), same(block));
        let call = d(quote!(g(x)));
        assert_eq!(
            rewrite(quote!({
                let c = move |x| async move { g(x) };
            })),
            same(quote!({ let c = move |x| async move { #call }; }))
        );
    }

    #[test]
    fn async_closures_and_async_blocks_are_rewritten() {
        let call = d(quote!(g(x)));
        assert_eq!(
            rewrite(quote!({
                let c = async |x| g(x);
                let b = async { g(x) };
            })),
            same(quote!({ let c = async |x| #call; let b = async { #call }; }))
        );
    }

    #[test]
    fn nested_items_and_const_blocks_are_not_entered() {
        let block = quote!({
            fn helper() -> u32 {
                g()
            }
            impl S {
                fn m(&self) {
                    self.g()
                }
            }
            const K: u32 = g();
            let k = const { g() };
        });
        assert_eq!(rewrite(block.clone()), same(block));
    }

    #[test]
    fn constructors_are_not_wrapped_but_their_arguments_are() {
        let call = d(quote!(g()));
        assert_eq!(
            rewrite(quote!({
                Some(g());
                Ok(1);
                Self(2);
                Foo::Bar(3)
            })),
            same(quote!({ Some(#call); Ok(1); Self(2); Foo::Bar(3) }))
        );
    }

    #[test]
    fn inference_only_calls_are_not_wrapped() {
        let block = quote!({
            let v: Vec<i32> = it.collect();
            let n: u32 = "5".parse().unwrap();
            let m: u64 = n.into();
            let t: i32 = it.sum();
            let d: S = Default::default();
            let s = String::from("x");
            let o = opt.expect("set");
        });
        assert_eq!(rewrite(block.clone()), same(block));
    }

    #[test]
    fn a_turbofish_makes_inference_calls_wrappable() {
        let collect = d(quote!(it.collect::<Vec<_>>()));
        let parse = d(quote!("5".parse::<u32>()));
        assert_eq!(
            rewrite(quote!({
                it.collect::<Vec<_>>();
                "5".parse::<u32>()
            })),
            same(quote!({ #collect; #parse }))
        );
    }

    #[test]
    fn a_bare_call_named_like_an_associated_fn_is_the_users_own() {
        let call = d(quote!(parse(text)));
        assert_eq!(rewrite(quote!({ parse(text) })), same(quote!({ #call })));
    }

    #[test]
    fn diverging_calls_are_not_wrapped() {
        let block = quote!({
            std::process::exit(1);
            abort();
            std::panic::resume_unwind(e)
        });
        assert_eq!(rewrite(block.clone()), same(block));
    }

    #[test]
    fn sync_names_are_not_wrapped() {
        let sync = [parse_quote!(lock)];
        let block = quote!({
            m.lock();
            lock(m)
        });
        assert_eq!(rewrite_as(block.clone(), false, &sync), same(block));
    }

    #[test]
    fn direct_self_recursion_is_boxed() {
        assert_eq!(
            rewrite(quote!({ f(n - 1) })),
            same(quote!({ ::green::__private::boxed(f(n - 1)).await }))
        );
        let other = d(quote!(other.f()));
        assert_eq!(
            rewrite_as(
                quote!({
                    self.f();
                    Self::f(x);
                    other.f()
                }),
                true,
                &[]
            ),
            same(quote!({
                ::green::__private::boxed(self.f()).await;
                ::green::__private::boxed(Self::f(x)).await;
                #other
            }))
        );
        // In a method, a bare `f(..)` is a free fn, not the method.
        let free = d(quote!(f(x)));
        assert_eq!(
            rewrite_as(quote!({ f(x) }), true, &[]),
            same(quote!({ #free }))
        );
    }

    #[test]
    fn for_loops_use_the_iterator_dispatch_and_keep_labels() {
        let iterable = d(quote!(lines()));
        let next = d(quote!(__green_it.next()));
        let body = d(quote!(handle(line)));
        let expected = quote!({
            match (match ::green::__private::Wrap(#iterable) {
                __green_w => (&__green_w).green_iter_kind().iter(__green_w)
            }) {
                mut __green_it => 'outer: loop {
                    match #next {
                        ::core::option::Option::Some(line) => { #body; continue 'outer; }
                        ::core::option::Option::None => break,
                    }
                },
            }
        });
        assert_eq!(
            rewrite(quote!({
                'outer: for line in lines() {
                    handle(line);
                    continue 'outer;
                }
            })),
            same(expected)
        );
    }

    #[test]
    fn for_loops_outside_async_contexts_are_kept() {
        let block = quote!({
            let c = || {
                for x in v {
                    g(x);
                }
            };
        });
        assert_eq!(rewrite(block.clone()), same(block));
    }

    #[test]
    fn formatting_macro_arguments_are_rewritten() {
        let call = d(quote!(g()));
        assert_eq!(
            rewrite(quote!({
                println!("{} {x}", g(), x = g());
                assert_eq!(g(), 3);
            })),
            same(quote!({
                println!("{} {x}", #call, x = #call);
                assert_eq!(#call, 3);
            }))
        );
    }

    #[test]
    fn vec_and_dbg_arguments_are_rewritten() {
        let call = d(quote!(g()));
        assert_eq!(
            rewrite(quote!({
                let v = vec![g(), 1];
                dbg!(g())
            })),
            same(quote!({
                let v = vec![#call, 1];
                dbg!(#call)
            }))
        );
    }

    #[test]
    fn write_macros_are_also_dispatched_as_a_whole() {
        let call = d(quote!(g()));
        let write = d(quote!(write!(out, "{}", #call)));
        let writeln = d(quote!(writeln!(out)));
        assert_eq!(
            rewrite(quote!({
                write!(out, "{}", g())?;
                writeln!(out);
            })),
            same(quote!({ #write?; #writeln; }))
        );
    }

    #[test]
    fn other_macros_and_nowait_are_left_as_written() {
        let block = quote!({
            green::nowait!(g());
            nowait!(g());
            my_macro!(g());
            vec![g(); 3];
        });
        assert_eq!(rewrite(block.clone()), same(block));
    }

    #[test]
    fn nowait_attributes_leave_their_statement_or_expression_alone() {
        let call = d(quote!(g()));
        let h = d(quote!(h(g(), #call,)));
        assert_eq!(
            rewrite(quote!({
                #[nowait]
                let w = g();
                h(
                    #[nowait]
                    g(),
                    g(),
                );
                #[nowait]
                println!("{}", g());
            })),
            same(quote!({ let w = g(); #h; println!("{}", g()); }))
        );
    }

    #[test]
    fn green_closures_return_green_work() {
        let call = d(quote!(g(x)));
        assert_eq!(
            rewrite(quote!({
                let c = #[green]
                move |x| g(x);
                let t = #[green::green]
                || -> u32 { 1 };
            })),
            same(quote!({
                let c = move |x| ::green::__private::Green::new(async move { #call });
                let t = || ::green::__private::Green::new(async move {
                    #[allow(clippy::let_and_return, clippy::let_unit_value, clippy::diverging_sub_expression)]
                    let __green_ret: u32 = { 1 };
                    #[allow(unreachable_code)]
                    __green_ret
                });
            }))
        );
    }

    #[test]
    fn fully_spelled_blocking_std_calls_are_errors_in_async_contexts() {
        let mut block: Block = parse_quote!({
            std::thread::sleep(d);
            let c = || std::thread::sleep(d);
            green::spawn_blocking(|| std::fs::read_to_string(p));
        });
        let krate: Path = parse_quote!(::green);
        let mut rewriter = Rewriter::new(&krate, &[], None);
        rewriter.rewrite_body(&mut block);
        let errors = rewriter.into_errors().expect("an error");
        assert_eq!(errors.into_iter().count(), 1);
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
