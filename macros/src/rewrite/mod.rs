//! Phase 4: the body rewrite, a narrow [`VisitMut`] that inserts the awaits.
//!
//! Inside an *async context* (the body of a `#[green]` fn and every `async`
//! block or `async` closure nested in it) each call and method call is wrapped
//! in the autoref dispatch of `green_runtime::__private` (see the runtime's
//! `dispatch.rs`): a `Green<F>` value is awaited, any other value passes
//! through a `Ready`. What is never wrapped, and why, is listed in
//! [`policy`](crate::policy) and on the visitor's methods.
//!
//! This file holds the visitor: it tracks the async context, the escape
//! hatches (`#[nowait]`, `#[allow_blocking]`) and the blocking std paths
//! (reported through [`diagnostics`]), and hands each
//! rewrite to its file, in the order a body meets them:
//! - `dispatch.rs`: calls and method calls, consumers dispatched on their
//!   receiver, direct self-recursion, macro arguments;
//! - `for_loop.rs`: `for` loops over green iterators;
//! - `closures.rs`: `#[green]` closures and work closures;
//! - `tail.rs`: block tails that await, moved into a `let`.

mod closures;
mod dispatch;
mod for_loop;
mod tail;

use proc_macro2::TokenStream;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, ExprMacro, Ident, Item, Path, Stmt};

use crate::attrs::{expr_attrs, is_allow_blocking, is_green, is_nowait, take_attr};
use crate::diagnostics;
use crate::policy::{is_mutator, is_write_macro};
use crate::spans::generated_at;

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
    /// Under `#[allow_blocking]` (on the fn or the statement): blocking std
    /// paths are not reported.
    allow_blocking: bool,
    /// How many awaits the rewrite has inserted so far: a block whose tail
    /// gained one gets its tail moved into a `let` (see `tail.rs`).
    awaits: usize,
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
            allow_blocking: false,
            awaits: 0,
            errors: None,
        }
    }

    /// Blocking std paths are allowed in the whole body (`#[allow_blocking]`
    /// on the fn).
    pub(crate) fn allow_blocking(mut self, allow: bool) -> Self {
        self.allow_blocking = allow;
        self
    }

    /// Whether blocking std paths are reported here: in an async context,
    /// outside `#[allow_blocking]`.
    fn checks_blocking(&self) -> bool {
        self.in_async && !self.allow_blocking
    }

    /// The errors found while rewriting (blocking std calls, misplaced
    /// `#[green]` closures), to emit beside the output.
    pub(crate) fn into_errors(self) -> Option<syn::Error> {
        self.errors
    }

    fn error(&mut self, error: syn::Error) {
        diagnostics::push(&mut self.errors, error);
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
                if closure.capture.is_some() {
                    self.green_closure(closure);
                } else if let Expr::Closure(closure) = take(expr) {
                    *expr = self.green_borrowing_closure(closure);
                }
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
            // A green body is async: outside an async context is inside one
            // of its plain closures.
            // Before: v.iter().map(|x| fetch(x).await)
            // After:  the same + compile_error!("`.await` inside a plain closure ..")
            Expr::Await(await_expr) if !self.in_async => {
                self.error(syn::Error::new(
                    await_expr.await_token.span,
                    "`.await` inside a plain closure: a closure in a green body is plain code and \
                     cannot wait. Mark it `#[green] |x| ..` (a green closure, awaited where it is \
                     called, accepted by `spawn`, `timeout` and `Pool::imap`), or write a `for` \
                     loop in the green body instead of `map`/`for_each`",
                ));
                visit_mut::visit_expr_await_mut(self, await_expr);
            }
            // `const { .. }` is evaluated at compile time: never awaited.
            Expr::Const(_) => {}
            Expr::Await(await_expr) => {
                self.awaits += 1;
                self.await_operand(&mut await_expr.base)
            }
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
                    *expr = self.dispatch(take(expr));
                }
            }
            Expr::Call(_) | Expr::MethodCall(_) => {
                // Also in a plain closure of the green body
                // (`(0..n).map(|i| thread::spawn(move || ..))`): the work
                // closure is not awaited there, only made green.
                closures::work_closures_are_async(self.krate, expr);
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
        // Before: #[allow_blocking] std::thread::sleep(d);
        // After:  std::thread::sleep(d);   (rewritten, blocking paths not reported)
        let allow = match stmt {
            Stmt::Local(local) => take_attr(&mut local.attrs, is_allow_blocking),
            Stmt::Macro(stmt_macro) => take_attr(&mut stmt_macro.attrs, is_allow_blocking),
            Stmt::Item(Item::Use(item)) => take_attr(&mut item.attrs, is_allow_blocking),
            Stmt::Expr(expr, _) => {
                expr_attrs(expr).is_some_and(|attrs| take_attr(attrs, is_allow_blocking))
            }
            Stmt::Item(_) => false,
        };
        if allow && !self.allow_blocking {
            self.allow_blocking = true;
            self.visit_stmt_mut(stmt);
            self.allow_blocking = false;
            return;
        }
        match stmt {
            // `use std::thread::sleep;` in a green body brings a blocking
            // item in: name its replacement.
            Stmt::Item(Item::Use(item)) => {
                if self.checks_blocking() {
                    for error in diagnostics::blocking_std_use(&item.tree) {
                        self.error(error);
                    }
                }
            }
            // Nested items are not entered: their bodies are not green.
            Stmt::Item(_) => {}
            // Before: q.pop();
            // After:  #[deny(unused_must_use)] q.pop();
            Stmt::Expr(Expr::MethodCall(call), Some(_))
                if self.in_async && is_mutator(&call.method) =>
            {
                let span = generated_at(call.method.span());
                call.attrs
                    .push(syn::parse_quote_spanned!(span=> #[deny(unused_must_use)]));
                visit_mut::visit_stmt_mut(self, stmt);
            }
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

    // A block whose tail awaits: see `tail.rs`.
    fn visit_block_mut(&mut self, block: &mut Block) {
        let before = self.awaits;
        visit_mut::visit_block_mut(self, block);
        if self.in_async && self.awaits != before {
            tail::tail_into_let(block);
        }
    }

    // `std::thread::sleep`, `std::sync::Mutex::new`: a blocking std item.
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if self.checks_blocking() && path.qself.is_none() {
            if let Some(error) = diagnostics::blocking_std_path(&path.path) {
                self.error(error);
            }
        }
        visit_mut::visit_expr_path_mut(self, path);
    }

    // `let m: std::sync::Mutex<u32> = ..`: a blocking std type.
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        if self.checks_blocking() && path.qself.is_none() {
            if let Some(error) = diagnostics::blocking_std_path(&path.path) {
                self.error(error);
            }
        }
        visit_mut::visit_type_path_mut(self, path);
    }
}

/// Takes an expression out, leaving an empty one behind.
fn take(expr: &mut Expr) -> Expr {
    std::mem::replace(expr, Expr::Verbatim(TokenStream::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;
    use quote::quote;
    use syn::parse_quote;

    /// Rewrites `block` as the body of a fn named `f` (a method if `method`).
    pub(super) fn rewrite_as(block: TokenStream, method: bool, sync: &[Ident]) -> String {
        let mut block: Block = syn::parse2(block).expect("a block");
        let krate: Path = parse_quote!(::green);
        let self_call = SelfCall {
            name: parse_quote!(f),
            method,
        };
        Rewriter::new(&krate, sync, Some(self_call)).rewrite_body(&mut block);
        block.into_token_stream().to_string()
    }

    pub(super) fn rewrite(block: TokenStream) -> String {
        rewrite_as(block, false, &[])
    }

    /// The expected dispatch around `call`.
    pub(super) fn d(call: TokenStream) -> TokenStream {
        quote! {
            (match ::green::__private::Wrap(#call) {
                __green_w => (&__green_w).green_kind().run(__green_w)
            })
            .await
        }
    }

    pub(super) fn same(block: TokenStream) -> String {
        syn::parse2::<Block>(block)
            .expect("a block")
            .into_token_stream()
            .to_string()
    }

    #[test]
    fn mutator_statements_deny_unused_green_work() {
        let push = d(quote!(g()));
        assert_eq!(
            rewrite(quote!({
                q.clear();
                v.push_back(g());
                let x = q.insert(1);
            })),
            same(quote!({
                #[deny(unused_must_use)] q.clear();
                #[deny(unused_must_use)] v.push_back(#push);
                let x = q.insert(1);
            }))
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
}
