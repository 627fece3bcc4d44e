//! Closures: `#[green]` closures (moving and borrowing) return green work,
//! and closure literals passed to a work taker become async closures.

use proc_macro2::Span;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Path, Token};

use super::dispatch::dispatch;
use super::{Rewriter, take};
use crate::attrs::is_green;
use crate::diagnostics;
use crate::policy::is_work_taker;
use crate::spans::generated_at;

impl Rewriter<'_> {
    /// `#[green]` on a closure inside a green body.
    // Before: #[green] move |x| -> R { body }
    // After:  move |x| ::green::__private::Green::new(async move {
    //             let __green_ret: R = { rewritten body };
    //             __green_ret
    //         })
    pub(super) fn green_closure(&mut self, closure: &mut syn::ExprClosure) {
        self.not_already_async(closure);
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

    /// `#[green]` on a closure without `move`: it must capture as a plain
    /// closure does (by reference where that is enough), so its body becomes
    /// an async closure, which captures so, and a `move` closure around it
    /// hands out its calls as green work. Capturing by shared reference and
    /// calling it many times work as with a plain closure; a closure that
    /// mutates what it captures must be `move` (its work would otherwise
    /// borrow from the closure itself).
    // Before: #[green] |x: u32| body
    // After:  {
    //             let __green_closure = async |x: u32| rewritten body;
    //             move |__green_arg0: u32| ::green::__private::Green::new(__green_closure(__green_arg0))
    //         }
    pub(super) fn green_borrowing_closure(&mut self, mut closure: syn::ExprClosure) -> Expr {
        self.not_already_async(&mut closure);
        let span = generated_at(closure.or1_token.span);
        let inner = Ident::new("__green_closure", Span::mixed_site());
        let mut args = Vec::new();
        let mut params = Vec::new();
        for (index, input) in closure.inputs.iter().enumerate() {
            let arg = Ident::new(&format!("__green_arg{index}"), Span::mixed_site());
            params.push(match input {
                syn::Pat::Type(typed) => {
                    let ty = &typed.ty;
                    quote::quote!(#arg: #ty)
                }
                _ => quote::quote!(#arg),
            });
            args.push(arg);
        }
        closure.asyncness = Some(Token![async](closure.or1_token.span));
        self.with_async(true, |this| {
            visit_mut::visit_expr_closure_mut(this, &mut closure)
        });
        let krate = self.krate;
        Expr::Verbatim(quote::quote_spanned! {span=>
            {
                let #inner = #closure;
                move |#(#params),*| #krate::__private::Green::new(#inner(#(#args),*))
            }
        })
    }

    /// `#[green] async |x| ..` is reported, then rewritten as if it were not
    /// `async`.
    fn not_already_async(&mut self, closure: &mut syn::ExprClosure) {
        if let Some(asyncness) = closure.asyncness.take() {
            self.error(diagnostics::already_async_closure(asyncness));
        }
    }
}

/// Closure literals passed to a call that takes green work (`spawn`,
/// `scope`, `timeout`, .., see [`policy`](crate::policy)) become async
/// closures: green work, whose body the rewrite then treats as a green body.
/// An async closure captures as the plain closure would (by reference unless
/// `move`), so `s.spawn(|| total += x)` in a scope borrows as in std.
/// Left alone: closures that are already async or `#[green]`, and closures
/// whose body is an async block (`|| async move { .. }`, already green
/// work). A bare name as the body is dispatched: `move || work` awaits green
/// work made earlier, `move || n` gives the value.
// Before: thread::spawn(move || { handle(stream) })
// After:  thread::spawn(async move || { handle(stream) })
pub(super) fn work_closures_are_async(krate: &Path, call: &mut Expr) {
    let (name, args) = match call {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => match path.path.segments.last() {
                Some(last) => (&last.ident, &mut call.args),
                None => return,
            },
            _ => return,
        },
        Expr::MethodCall(call) => (&call.method, &mut call.args),
        _ => return,
    };
    if !is_work_taker(name) {
        return;
    }
    for arg in args.iter_mut() {
        if let Expr::Closure(closure) = arg {
            let green = closure.attrs.iter().any(is_green);
            let async_body = matches!(&*closure.body, Expr::Async(_));
            if closure.asyncness.is_some() || green || async_body {
                continue;
            }
            closure.asyncness = Some(Token![async](closure.or1_token.span));
            // A bare name is not a call: dispatch it here, so that green work
            // made earlier (`move || work`) is awaited and a plain value
            // (`move || n`) is the result.
            if let Expr::Path(_) = &*closure.body {
                *closure.body = dispatch(krate, take(&mut closure.body));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{d, rewrite, same};
    use quote::quote;

    #[test]
    fn closure_literals_passed_as_work_become_async_closures() {
        let sleep = d(quote!(sleep(d)));
        let read = d(quote!(s.read(&mut buf)));
        let spawn = d(quote!(thread::spawn(async move || { #sleep; 1 })));
        let scoped = d(quote!(s.spawn(async || #read)));
        let timeout = d(quote!(timeout(d, async || #read)));
        let inner = d(quote!(h()));
        let map = d(quote!((0..2).map(|i| thread::spawn(async move || #inner))));
        assert_eq!(
            rewrite(quote!({
                thread::spawn(move || {
                    sleep(d);
                    1
                });
                s.spawn(|| s.read(&mut buf));
                timeout(d, || s.read(&mut buf));
                (0..2).map(|i| thread::spawn(move || h()));
            })),
            same(quote!({ #spawn; #scoped; #timeout; #map; }))
        );
        // Left as written: closures elsewhere and async bodies. A bare name
        // is dispatched: green work made earlier is awaited.
        let elsewhere = d(quote!(v.iter().map(|x| g(x))));
        let async_body = d(quote!(spawn(|| async { 1 })));
        let work = d(quote!(work));
        let name = d(quote!(spawn(async move || #work)));
        assert_eq!(
            rewrite(quote!({
                v.iter().map(|x| g(x));
                spawn(|| async { 1 });
                spawn(move || work);
            })),
            same(quote!({ #elsewhere; #async_body; #name; }))
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
                let t = {
                    let __green_closure = async || -> u32 { 1 };
                    move || ::green::__private::Green::new(__green_closure())
                };
            }))
        );
    }
}
