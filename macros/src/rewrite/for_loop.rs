//! The `for` loop: a green iterator's `next` is awaited each turn.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Expr, ExprForLoop, Ident};

use super::Rewriter;
use super::dispatch::dispatch;
use crate::spans::generated_at;

impl Rewriter<'_> {
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
    pub(super) fn for_loop(&mut self, mut for_loop: ExprForLoop) -> Expr {
        if is_std_iterable(&for_loop.expr) {
            // Before: for i in 0..n { body }
            // After:  for i in 0..n { rewritten body }   (no awaited `next`)
            self.visit_std_iterable(&mut for_loop.expr);
            self.visit_block_mut(&mut for_loop.body);
            return Expr::ForLoop(for_loop);
        }
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
        self.awaits += 1;
        let next = dispatch(krate, syn::parse_quote_spanned!(iterable_span=> #it.next()));
        let iter = quote::quote_spanned! {iterable_span=>
            (match #krate::__private::Wrap(#iterable) {
                #w => (&#w).green_iter_kind().iter(#w)
            })
        };
        Expr::Verbatim(quote::quote_spanned! {span=>
            #(#attrs)*
            match #iter {
                mut #it => #label loop {
                    match #next {
                        ::core::option::Option::Some(#pat) => #body
                        ::core::option::Option::None => break,
                    }
                },
            }
        })
    }

    /// Rewrites what an [`is_std_iterable`] iterable evaluates (range bounds,
    /// array elements, adaptor arguments) but not its std adaptor calls.
    // Before: (0..count()).step_by(step())
    // After:  (0..DISPATCH(count())).step_by(DISPATCH(step()))
    fn visit_std_iterable(&mut self, iterable: &mut Expr) {
        match iterable {
            Expr::Paren(paren) => self.visit_std_iterable(&mut paren.expr),
            Expr::MethodCall(call) => {
                self.visit_std_iterable(&mut call.receiver);
                for arg in call.args.iter_mut() {
                    self.visit_expr_mut(arg);
                }
            }
            other => self.visit_expr_mut(other),
        }
    }
}

/// Whether a `for` loop's iterable is visibly a std iterator, whose `next` is
/// plain: a range (`0..n`, `a..=b`), an array literal, or a method chain on a
/// range (`(0..n).rev()`, `(0..n).step_by(2)`: std `Iterator` methods). Such a
/// loop stays a plain `for` instead of awaiting a ready `next` per turn.
// Before: for i in (0..n).rev() { .. }
// After:  true
fn is_std_iterable(iterable: &Expr) -> bool {
    match iterable {
        Expr::Range(_) | Expr::Array(_) | Expr::Repeat(_) => true,
        Expr::Paren(paren) => is_std_iterable(&paren.expr),
        Expr::Reference(reference) => matches!(&*reference.expr, Expr::Array(_)),
        Expr::MethodCall(call) => {
            let mut receiver = &*call.receiver;
            loop {
                match receiver {
                    Expr::MethodCall(inner) => receiver = &inner.receiver,
                    Expr::Paren(paren) => receiver = &paren.expr,
                    Expr::Range(_) => return true,
                    _ => return false,
                }
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{d, rewrite, same};
    use quote::quote;

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
    fn for_loops_over_ranges_and_arrays_stay_plain() {
        let body = d(quote!(handle(i)));
        let bound = d(quote!(count()));
        assert_eq!(
            rewrite(quote!({
                'outer: for i in 0..count() {
                    handle(i);
                }
                for i in (0..10).rev().step_by(count()) {
                    handle(i);
                }
                for i in [1, 2] {
                    handle(i);
                }
            })),
            same(quote!({
                'outer: for i in 0..#bound {
                    #body;
                }
                for i in (0..10).rev().step_by(#bound) {
                    #body;
                }
                for i in [1, 2] {
                    #body;
                }
            }))
        );
        // A method chain on anything else may be a green iterator
        // (`rx.iter()`, `queue.iter()`): it keeps the dispatch.
        let rewritten = rewrite(quote!({
            for x in rx.iter() {
                handle(x);
            }
        }))
        .to_string();
        assert!(rewritten.contains("green_iter_kind"), "{rewritten}");
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
}
