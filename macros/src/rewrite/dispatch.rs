//! The call dispatch: calls and method calls awaited when they give green
//! work, consumers dispatched on their receiver, direct self-recursion boxed,
//! and the arguments of formatting macros.

use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Macro, Path, Token};

use super::{Rewriter, SelfCall};
use crate::policy::{
    is_argument_macro, is_receiver_dispatched, is_write_macro, method_never_awaited,
    path_call_never_awaited,
};
use crate::spans::first_and_last_span;

impl Rewriter<'_> {
    /// The operand of a user-written `.await`: its sub-expressions are
    /// rewritten, the operand itself is not wrapped.
    // Before: f(g()).await
    // After:  f(DISPATCH(g())).await
    pub(super) fn await_operand(&mut self, base: &mut Expr) {
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
    pub(super) fn wrap_call(&mut self, call: Expr) -> Expr {
        if self.is_self_call(&call) {
            // Before: fib(n - 1)
            // After:  ::green::__private::boxed(fib(n - 1)).await
            let krate = self.krate;
            let (first, last) = first_and_last_span(&call);
            let head = quote::quote_spanned!(first=> #krate::__private::boxed(#call));
            let tail = quote::quote_spanned!(last=> .await);
            self.awaits += 1;
            return Expr::Verbatim(quote::quote!(#head #tail));
        }
        let call = match call {
            Expr::MethodCall(method)
                if is_receiver_dispatched(&method) && !self.sync.contains(&method.method) =>
            {
                self.awaits += 1;
                return receiver_dispatch(self.krate, method);
            }
            call => call,
        };
        if self.never_awaited(&call) {
            return call;
        }
        self.dispatch(call)
    }

    /// [`dispatch`], counted in [`Rewriter::awaits`].
    pub(super) fn dispatch(&mut self, call: Expr) -> Expr {
        self.awaits += 1;
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

    /// Calls left as they are: those of [`policy`](crate::policy) (constructors,
    /// inference-only and diverging calls, visibly plain calls) and `sync(..)`
    /// names.
    // Before: v.len() + String::new().len() + f(x)
    // After:  v.len() + String::new().len() + DISPATCH(f(x))
    fn never_awaited(&self, call: &Expr) -> bool {
        match call {
            Expr::Call(call) => match &*call.func {
                Expr::Path(path) => {
                    let last = path.path.segments.last();
                    last.is_some_and(|last| self.sync.contains(&last.ident))
                        || path_call_never_awaited(path)
                }
                _ => false,
            },
            Expr::MethodCall(call) => {
                let name = call.method.unraw().to_string();
                self.sync.contains(&call.method)
                    || method_never_awaited(&name, call.turbofish.is_some(), call.args.len())
            }
            _ => false,
        }
    }

    /// Rewrites the arguments of the policy's argument macros (`println!`,
    /// `assert_eq!`, `vec!`, ..); returns whether the invocation is a write
    /// macro to dispatch as a whole.
    // Before: println!("{}", f())
    // After:  println!("{}", DISPATCH(f()))
    pub(super) fn macro_args(&mut self, mac: &mut Macro) -> bool {
        if !is_argument_macro(mac) {
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
        is_write_macro(mac)
    }
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
    // Kept as tokens: parsing the output back into an `Expr` would parse the
    // call (with its own dispatched arguments) again at every level.
    Expr::Verbatim(quote::quote!(#head #tail))
}

/// The await dispatch, on its receiver, of a consumer that
/// [`is_receiver_dispatched`] accepts.
/// A turbofish type is passed on, followed by `_` for the iterator (the
/// dispatch tags' consumers take the result type, then the iterator).
// Before: lines.map(f).collect()
// After:  (match ::green::__private::Wrap(lines.map(f)) {
//             __green_w => (&__green_w).green_collect_kind().collect(__green_w)
//         }).await
// Before: it.sum::<u64>()
// After:  (match ::green::__private::Wrap(it) {
//             __green_w => (&__green_w).green_collect_kind().sum::<u64, _>(__green_w)
//         }).await
fn receiver_dispatch(krate: &Path, call: syn::ExprMethodCall) -> Expr {
    let (first, _) = first_and_last_span(&call.receiver);
    let last = call.paren_token.span.close();
    // `(0..n).collect()` needs its parentheses, `Wrap(0..n)` does not.
    let mut receiver = *call.receiver;
    while let Expr::Paren(paren) = receiver {
        receiver = *paren.expr;
    }
    let method = call.method;
    let turbofish = call.turbofish.map(|turbofish| {
        let colons = turbofish.colon2_token;
        let (lt, gt) = (turbofish.lt_token, turbofish.gt_token);
        // One type (see `is_receiver_dispatched`), without a trailing comma.
        let ty = turbofish.args.into_iter().next();
        quote::quote!(#colons #lt #ty, _ #gt)
    });
    let w = Ident::new("__green_w", Span::mixed_site());
    let head = quote::quote_spanned! {first=>
        (match #krate::__private::Wrap(#receiver) {
            #w => (&#w).green_collect_kind().#method #turbofish (#w)
        })
    };
    let tail = quote::quote_spanned!(last=> .await);
    Expr::Verbatim(quote::quote!(#head #tail))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{d, rewrite, rewrite_as, same};
    use proc_macro2::TokenStream;
    use quote::quote;
    use syn::parse_quote;

    #[test]
    fn calls_and_method_calls_are_wrapped_post_order() {
        let inner = d(quote!(g()));
        let call = d(quote!(h(#inner)));
        let method = d(quote!(x.read()));
        let chained = d(quote!(#method.put(1)));
        assert_eq!(
            rewrite(quote!({
                h(g());
                x.read().put(1)
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
            let n: u32 = "5".parse().unwrap();
            let m: u64 = n.into();
            let d: S = Default::default();
            let s = String::from("x");
            let o = opt.expect("set");
        });
        assert_eq!(rewrite(block.clone()), same(block));
    }

    #[test]
    fn inference_only_consumers_are_dispatched_on_their_receiver() {
        let on_receiver = |receiver: TokenStream, method: TokenStream| {
            quote! {
                (match ::green::__private::Wrap(#receiver) {
                    __green_w => (&__green_w).green_collect_kind().#method(__green_w)
                })
                .await
            }
        };
        let lines = d(quote!(reader.lines()));
        let map = d(quote!(#lines.map(|l| l.unwrap())));
        let collect = on_receiver(map, quote!(collect));
        let sum = on_receiver(quote!(it), quote!(sum));
        let product = on_receiver(quote!(it), quote!(product));
        assert_eq!(
            rewrite(quote!({
                let v: Vec<String> = reader.lines().map(|l| l.unwrap()).collect();
                let t: i32 = it.sum();
                let p: i32 = it.product();
            })),
            same(quote!({
                let v: Vec<String> = #collect;
                let t: i32 = #sum;
                let p: i32 = #product;
            }))
        );
    }

    #[test]
    fn a_turbofish_consumer_is_dispatched_on_its_receiver_with_its_type() {
        let on_receiver = |method: TokenStream, ty: TokenStream| {
            quote! {
                (match ::green::__private::Wrap(it) {
                    __green_w => (&__green_w).green_collect_kind().#method::<#ty, _>(__green_w)
                })
                .await
            }
        };
        let collect = on_receiver(quote!(collect), quote!(Vec<_>));
        let sum = on_receiver(quote!(sum), quote!(u64));
        let product = on_receiver(quote!(product), quote!(u64));
        assert_eq!(
            rewrite(quote!({
                it.collect::<Vec<_>>();
                it.sum::<u64>();
                it.product::<u64>()
            })),
            same(quote!({ #collect; #sum; #product }))
        );
    }

    #[test]
    fn a_turbofish_makes_inference_calls_wrappable() {
        let parse = d(quote!("5".parse::<u32>()));
        let odd = d(quote!(it.collect::<Vec<_>, X>()));
        assert_eq!(
            rewrite(quote!({
                it.collect::<Vec<_>, X>();
                "5".parse::<u32>()
            })),
            same(quote!({ #odd; #parse }))
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
    fn visibly_plain_calls_are_not_wrapped() {
        let block = quote!({
            let n = v.len() + s.clone().trim().len();
            let t = x.to_string().as_str().starts_with("a");
            let k = n.wrapping_add(1).checked_mul(2).is_some();
            let mut out = String::new();
            let u = out.as_str();
            let w = Vec::<u8>::with_capacity(8);
            let d = Duration::from_millis(5);
        });
        assert_eq!(rewrite(block.clone()), same(block));
        // An http handler that only builds its answer has nothing to await.
        let handler = quote!({
            let (parts, body) = req.into_parts();
            let mut response = Response::new(Body::from("hi"));
            *response.status_mut() = StatusCode::from_u16(201).unwrap();
            let text = HeaderValue::from_static("text/plain");
            response.headers_mut().insert(header::CONTENT_TYPE, text);
            response
        });
        let expected = quote!({
            let (parts, body) = req.into_parts();
            let mut response = Response::new(Body::from("hi"));
            *response.status_mut() = StatusCode::from_u16(201).unwrap();
            let text = HeaderValue::from_static("text/plain");
            #[deny(unused_must_use)]
            response.headers_mut().insert(header::CONTENT_TYPE, text);
            response
        });
        assert_eq!(rewrite(handler), same(expected));
        // Its green reads are awaited.
        let text = d(quote!(req.into_body().text()));
        assert_eq!(
            rewrite(quote!({ req.into_body().text() })),
            same(quote!({ #text }))
        );
        // What is not on the lists is wrapped: `get`, `map` and `join` are
        // green methods of the runtime.
        let get = d(quote!(q.get()));
        let map = d(quote!(pool.map(f, v)));
        let new = d(quote!(Queue::new()));
        assert_eq!(
            rewrite(quote!({
                q.get();
                pool.map(f, v);
                Queue::new()
            })),
            same(quote!({ #get; #map; #new }))
        );
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
                dbg!(g());
            })),
            same(quote!({
                let v = vec![#call, 1];
                dbg!(#call);
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
}
