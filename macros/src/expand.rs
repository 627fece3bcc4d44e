//! Phase 5: building the output item of `#[green]`, `#[green::main]` and
//! `#[green::test]`; the entry points here drive the phases before it.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{
    AttrStyle, Attribute, Block, FnArg, GenericParam, Ident, ItemFn, Lifetime, LifetimeParam, Pat,
    PatIdent, Signature, TraitItemFn, Type, parse_quote,
};

use crate::args::{self, EntryArgs, GreenArgs};
use crate::attrs::{is_allow_blocking, take_attr};
use crate::diagnostics::{self, Attr};
use crate::lifetimes::{name_elided_lifetimes, output_type};
use crate::rewrite::{Rewriter, SelfCall};

/// Lints allowed on every generated fn.
///
/// Every call in a green body is followed by an await point (a ready one for
/// plain values), so clippy's `await_holding_refcell_ref` and
/// `await_holding_lock` would flag each `cell.borrow().method()` chain; on a
/// hub (one thread, cooperative) holding a borrow across a call is the same
/// decision as in blocking code.
fn lint_allows() -> TokenStream {
    quote!(#[allow(clippy::await_holding_refcell_ref, clippy::await_holding_lock)])
}

/// `#[green]`: parses, checks and expands.
pub(crate) fn green(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = None;
    let args = args::parse_green(args).unwrap_or_else(|error| {
        diagnostics::push(&mut errors, error);
        GreenArgs::default()
    });
    let output = if let Ok(mut item) = syn::parse2::<ItemFn>(item.clone()) {
        check_signature(&mut item.sig, &mut errors);
        green_fn(&args, item)
    } else if let Ok(mut item) = syn::parse2::<TraitItemFn>(item.clone()) {
        // A declaration without a body, in a trait.
        check_signature(&mut item.sig, &mut errors);
        green_declaration(&args, item)
    } else {
        diagnostics::push(&mut errors, diagnostics::not_a_fn(Attr::Green, &item));
        item
    };
    diagnostics::with_errors(output, errors)
}

/// The signature checks of `#[green]`: not already `async` (reported, then
/// expanded as if it were not), not named like a never-awaited method.
fn check_signature(sig: &mut Signature, errors: &mut Option<syn::Error>) {
    if let Some(error) = diagnostics::already_async(Attr::Green, sig) {
        diagnostics::push(errors, error);
        sig.asyncness = None;
    }
    if let Some(error) = diagnostics::never_awaited_method(sig) {
        diagnostics::push(errors, error);
    }
}

/// `#[green::main]` and `#[green::test]`: parses, checks and expands.
pub(crate) fn entry(attr: Attr, args: TokenStream, item: TokenStream) -> TokenStream {
    let name = if attr == Attr::Main { "main" } else { "test" };
    let mut errors = None;
    let args = args::parse_entry(args, name).unwrap_or_else(|error| {
        diagnostics::push(&mut errors, error);
        EntryArgs::default()
    });
    let Ok(mut item) = syn::parse2::<ItemFn>(item.clone()) else {
        let error = diagnostics::not_a_fn(attr, &item);
        return diagnostics::with_errors(item, Some(error));
    };
    if let Some(error) = diagnostics::already_async(attr, &item.sig) {
        diagnostics::push(&mut errors, error);
        item.sig.asyncness = None;
    }
    let mut runnable = true;
    if let Some(error) = diagnostics::entry_signature(attr, &item.sig) {
        diagnostics::push(&mut errors, error);
        runnable = false;
    }
    diagnostics::with_errors(entry_fn(attr, &args, item, runnable), errors)
}

/// The body shared by every expansion: the dispatch imports, the moved
/// arguments and the rewritten user body, typed as `output`.
// Before: { body }
// After:  async move {
//             use ::green::__private::{GreenKind as _, ValueKind as _, ..};
//             let x = x;
//             let __green_ret: R = { rewritten body };
//             __green_ret
//         }
fn green_body(
    krate: &syn::Path,
    await_all: bool,
    arg_lets: &[TokenStream],
    block: &Block,
    output: &Type,
) -> TokenStream {
    let kind = if await_all {
        quote!(AnyFutureKind)
    } else {
        quote!(GreenKind)
    };
    let ret = Ident::new("__green_ret", Span::mixed_site());
    let annotation = if contains_impl_trait(output) {
        None
    } else {
        Some(quote!(: #output))
    };
    quote! {
        async move {
            #[allow(unused_imports)]
            use #krate::__private::{
                #kind as _, ValueKind as _, StdIterKind as _, GreenIterKind as _,
                GreenCollectKind as _, GreenItemsKind as _, StdCollectKind as _,
                GreenIterator as _,
            };
            #(#arg_lets)*
            #[allow(clippy::let_and_return, clippy::let_unit_value, clippy::diverging_sub_expression)]
            let #ret #annotation = #block;
            #[allow(unreachable_code)]
            #ret
        }
    }
}

/// `#[green] fn`.
// Before: pub fn f<'a, T: X>(a: &str, b: &'a T, mut c: u32) -> io::Result<R> where W { body }
// After:  pub fn f<'a, '__green0, T: X>(a: &'__green0 str, b: &'a T, c: u32)
//             -> ::green::__private::Green<impl ::core::future::Future<Output = io::Result<R>>
//                  + ::green::__private::Captures<(&'a (), &'__green0 ())>>
//         where W
//         {
//             ::green::__private::Green::new(async move { let a = a; ..; body })
//         }
pub(crate) fn green_fn(args: &GreenArgs, item: ItemFn) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        mut sig,
        block,
    } = item;
    let mut attrs = attrs;
    let allow_blocking = take_attr(&mut attrs, is_allow_blocking);
    let (outer, inner) = split_attrs(attrs);
    let krate = &args.krate;

    let lifetimes = name_elided_lifetimes(&mut sig);
    let output = output_type(&sig);
    let arg_lets = move_args(&mut sig);
    // A `boxed` fn already returns a finite type: its recursion needs no box.
    let self_call = (!args.boxed).then(|| SelfCall {
        name: sig.ident.clone(),
        method: sig.receiver().is_some(),
    });
    let mut block = *block;
    let mut rewriter = Rewriter::new(krate, &args.sync, self_call).allow_blocking(allow_blocking);
    rewriter.rewrite_body(&mut block);
    let errors = rewriter.into_errors();
    let body = green_body(krate, args.await_all, &arg_lets, &block, &output);

    let body = if args.boxed {
        boxed_signature(krate, &mut sig, &output);
        quote!(#krate::__private::boxed(#krate::__private::Green::new(#body)))
    } else {
        green_signature(krate, &mut sig, &output, &lifetimes);
        quote!(#krate::__private::Green::new(#body))
    };
    let allows = lint_allows();
    let output = quote! {
        #(#outer)*
        #allows
        #vis #sig {
            #(#inner)*
            #body
        }
    };
    diagnostics::with_errors(output, errors)
}

/// `#[green] fn f(..) -> R;` in a trait: the signature only.
// Before: fn f(&self) -> u32;
// After:  fn f<'__green0>(&'__green0 self) -> Green<impl Future<Output = u32> + Captures<..>>;
fn green_declaration(args: &GreenArgs, mut item: TraitItemFn) -> TokenStream {
    let lifetimes = name_elided_lifetimes(&mut item.sig);
    let output = output_type(&item.sig);
    if args.boxed {
        boxed_signature(&args.krate, &mut item.sig, &output);
    } else {
        green_signature(&args.krate, &mut item.sig, &output, &lifetimes);
    }
    item.into_token_stream()
}

/// `-> Green<impl Future<Output = R> + Captures<(&'a (), ..)>>`.
fn green_signature(krate: &syn::Path, sig: &mut Signature, output: &Type, lifetimes: &[Lifetime]) {
    let mut captured: Vec<TokenStream> = lifetimes.iter().map(|lt| quote!(&#lt ())).collect();
    if sig.receiver().is_some() {
        captured.push(quote!(::core::marker::PhantomData<Self>));
    }
    let captures = if captured.is_empty() {
        None
    } else {
        Some(quote!(+ #krate::__private::Captures<(#(#captured,)*)>))
    };
    sig.output = parse_quote! {
        -> #krate::__private::Green<impl ::core::future::Future<Output = #output> #captures>
    };
}

/// `#[green(boxed)]`: `-> Green<Pin<Box<dyn Future<Output = R> + '__green_box>>>`,
/// where every lifetime and type parameter outlives `'__green_box`.
fn boxed_signature(krate: &syn::Path, sig: &mut Signature, output: &Type) {
    let boxed = Lifetime::new("'__green_box", Span::call_site());
    let outlives: Vec<TokenStream> = sig
        .generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(param) => {
                let lt = &param.lifetime;
                quote!(#lt: #boxed)
            }
            GenericParam::Type(param) => {
                let ty = &param.ident;
                quote!(#ty: #boxed)
            }
            GenericParam::Const(_) => TokenStream::new(),
        })
        .filter(|bound| !bound.is_empty())
        .collect();
    let position = sig.generics.lifetimes().count();
    sig.generics.params.insert(
        position,
        GenericParam::Lifetime(LifetimeParam::new(boxed.clone())),
    );
    let has_receiver = sig.receiver().is_some();
    let where_clause = sig.generics.make_where_clause();
    for bound in outlives {
        where_clause.predicates.push(parse_quote!(#bound));
    }
    if has_receiver {
        where_clause.predicates.push(parse_quote!(Self: #boxed));
    }
    sig.output = parse_quote!(-> #krate::__private::BoxGreen<#boxed, #output>);
}

/// `#[green::main]` / `#[green::test]`.
// Before: #[green::test(timeout_ms = 50)] fn t() -> R { body }
// After:  #[::core::prelude::v1::test]
//         fn t() -> R {
//             ::green::__private::run_main("t", Some(50), async move { let __green_ret: R = { body }; __green_ret })
//         }
// Before: #[green::main(workers = 2)] fn main() -> R { body }
// After:  fn main() -> R {
//             ::green::__private::run_workers("main", 2, None, || async move { .. body .. })
//         }
fn entry_fn(attr: Attr, args: &EntryArgs, item: ItemFn, runnable: bool) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = item;
    let mut attrs = attrs;
    let allow_blocking = take_attr(&mut attrs, is_allow_blocking);
    let (outer, inner) = split_attrs(attrs);
    let krate = &args.krate;
    let output = output_type(&sig);
    let mut block = *block;
    let mut rewriter = Rewriter::new(krate, &[], None).allow_blocking(allow_blocking);
    rewriter.rewrite_body(&mut block);
    let errors = rewriter.into_errors();
    let body = green_body(krate, false, &[], &block, &output);
    let name = sig.ident.to_string();
    let timeout = match args.timeout_ms {
        Some(ms) => quote!(::core::option::Option::Some(#ms)),
        None => quote!(::core::option::Option::None),
    };
    let has_test_attr = outer.iter().any(|attr| attr.path().is_ident("test"));
    let allows = lint_allows();
    let test_attr = (attr == Attr::Test && runnable && !has_test_attr)
        .then(|| quote!(#[::core::prelude::v1::test]));
    // With `workers = n` the body is made once per hub, on that hub: a
    // closure (capturing nothing: main takes no arguments) that each hub
    // calls.
    let run = match &args.workers {
        None => quote!(#krate::__private::run_main(#name, #timeout, #body)),
        Some(workers) => quote! {
            #krate::__private::run_workers(#name, #workers, #timeout, || #body)
        },
    };
    let output = quote! {
        #(#outer)*
        #test_attr
        #allows
        #vis #sig {
            #(#inner)*
            #run
        }
    };
    diagnostics::with_errors(output, errors)
}

/// Outer attributes go on the fn, inner ones (`#![..]`) into its body.
fn split_attrs(attrs: Vec<Attribute>) -> (Vec<Attribute>, Vec<Attribute>) {
    attrs
        .into_iter()
        .partition(|attr| matches!(attr.style, AttrStyle::Outer))
}

/// Whether `ty` mentions `impl Trait` (the body's `let` then has no annotation).
fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type_mut(&mut ty.clone());
    finder.0
}

/// `#[allow(..)]`, `#[expect(..)]`, `#[warn(..)]`, `#[deny(..)]`.
fn is_lint_attr(attr: &Attribute) -> bool {
    ["allow", "expect", "warn", "deny", "forbid"]
        .iter()
        .any(|lint| attr.path().is_ident(lint))
}

/// Moves every argument into the future, as an `async fn` does.
// Before: fn f(a: A, mut b: B, (c, d): (C, D), _: E)
// After:  fn f(a: A, b: B, __green_arg2: (C, D), __green_arg3: E) {
//             let a = a; let mut b = b;
//             let __green_arg2 = __green_arg2; let (c, d) = __green_arg2;
//             let __green_arg3 = __green_arg3;
//         }
fn move_args(sig: &mut Signature) -> Vec<TokenStream> {
    let mut lets = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            // `&self` is a reference (captured through `Captures`); a by-value
            // `self` is moved in even when the body does not use it.
            FnArg::Receiver(receiver) => {
                if receiver.reference.is_none() {
                    let self_token = &receiver.self_token;
                    lets.push(quote!(let _ = &#self_token;));
                }
            }
            FnArg::Typed(typed) => {
                // Lint attributes (`#[allow(unused_variables)] x: u32`) move
                // to the binding that the body uses.
                let lints: Vec<Attribute>;
                (lints, typed.attrs) = std::mem::take(&mut typed.attrs)
                    .into_iter()
                    .partition(is_lint_attr);
                match &mut *typed.pat {
                    Pat::Ident(PatIdent {
                        by_ref: None,
                        mutability,
                        ident,
                        subpat: None,
                        ..
                    }) => {
                        let mutability = mutability.take();
                        // `let _x = _x;` uses an underscore binding and has
                        // no effect but the move: two of clippy's pedantic
                        // lints that the user's code did not earn.
                        let underscore = ident.to_string().starts_with('_').then(|| {
                            quote!(#[allow(
                                clippy::used_underscore_binding,
                                clippy::no_effect_underscore_binding
                            )])
                        });
                        lets.push(quote!(#(#lints)* #underscore let #mutability #ident = #ident;));
                    }
                    pat => {
                        let arg = format_ident!("__green_arg{}", index, span = Span::mixed_site());
                        let pat = std::mem::replace(
                            pat,
                            Pat::Ident(PatIdent {
                                attrs: Vec::new(),
                                by_ref: None,
                                mutability: None,
                                ident: arg.clone(),
                                subpat: None,
                            }),
                        );
                        lets.push(quote!(let #arg = #arg;));
                        if !matches!(pat, Pat::Wild(_)) {
                            lets.push(quote!(#(#lints)* let #pat = #arg;));
                        }
                    }
                }
            }
        }
    }
    lets
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::ReturnType;

    fn expand(item: TokenStream) -> ItemFn {
        syn::parse2(green(TokenStream::new(), item)).expect("a fn")
    }

    fn signature(item: TokenStream) -> String {
        let mut sig = expand(item).sig;
        sig.output = ReturnType::Default;
        sig.into_token_stream().to_string()
    }

    fn output(item: TokenStream) -> String {
        expand(item).sig.output.into_token_stream().to_string()
    }

    /// `quote!` keeps `>>` joined, syn's output splits it: compare re-parsed tokens.
    fn tokens(tokens: TokenStream) -> String {
        if let Ok(output) = syn::parse2::<ReturnType>(tokens.clone()) {
            if output != ReturnType::Default {
                return output.into_token_stream().to_string();
            }
        }
        tokens.to_string()
    }

    #[test]
    fn the_whole_expansion_of_a_small_fn() {
        let expanded = green(
            TokenStream::new(),
            quote!(
                pub fn f(a: &str) -> usize {
                    count(a)
                }
            ),
        );
        let expected = quote! {
            #[allow(clippy::await_holding_refcell_ref, clippy::await_holding_lock)]
            pub fn f<'__green0>(a: &'__green0 str)
                -> ::green::__private::Green<impl ::core::future::Future<Output = usize>
                    + ::green::__private::Captures<(&'__green0 (),)>>
            {
                ::green::__private::Green::new(async move {
                    #[allow(unused_imports)]
                    use ::green::__private::{
                        GreenKind as _, ValueKind as _, StdIterKind as _, GreenIterKind as _,
                        GreenCollectKind as _, GreenItemsKind as _, StdCollectKind as _,
                        GreenIterator as _,
                    };
                    let a = a;
                    #[allow(clippy::let_and_return, clippy::let_unit_value, clippy::diverging_sub_expression)]
                    let __green_ret: usize = {
                        (match ::green::__private::Wrap(count(a)) {
                            __green_w => (&__green_w).green_kind().run(__green_w)
                        })
                        .await
                    };
                    #[allow(unreachable_code)]
                    __green_ret
                })
            }
        };
        let expected: ItemFn = syn::parse2(expected).expect("a fn");
        assert_eq!(
            expanded.to_string(),
            expected.into_token_stream().to_string()
        );
    }

    #[test]
    fn elided_lifetimes_are_named_and_captured() {
        let item = quote! {
            fn f<'a, T: X>(a: &str, b: &'a T, c: Cow<'_, str>, d: &mut [u8], mut e: u32) -> R where T: Y {}
        };
        assert_eq!(
            signature(item.clone()),
            tokens(quote! {
                fn f<'a, '__green0, '__green1, '__green2, T: X>(
                    a: &'__green0 str, b: &'a T, c: Cow<'__green1, str>, d: &'__green2 mut [u8], e: u32
                ) where T: Y
            })
        );
        assert_eq!(
            output(item),
            tokens(quote! {
                -> ::green::__private::Green<impl ::core::future::Future<Output = R>
                    + ::green::__private::Captures<(&'a (), &'__green0 (), &'__green1 (), &'__green2 (),)>>
            })
        );
    }

    #[test]
    fn higher_ranked_and_impl_trait_arguments_keep_their_elision() {
        assert_eq!(
            signature(quote!(
                fn f(a: fn(&u8) -> &u8, b: impl Fn(&str), c: Box<dyn Fn(&u8)>) {}
            )),
            tokens(quote!(fn f(a: fn(&u8) -> &u8, b: impl Fn(&str), c: Box<dyn Fn(&u8)>)))
        );
    }

    #[test]
    fn receivers_are_named_and_self_is_captured() {
        let item = quote!(
            fn get(&self, key: &str) -> &u32 {}
        );
        assert_eq!(
            signature(item.clone()),
            tokens(quote!(fn get<'__green0, '__green1>(&'__green0 self, key: &'__green1 str)))
        );
        // The output takes the receiver's lifetime, as elision does.
        assert_eq!(
            output(item),
            tokens(quote! {
                -> ::green::__private::Green<impl ::core::future::Future<Output = &'__green0 u32>
                    + ::green::__private::Captures<(&'__green0 (), &'__green1 (), ::core::marker::PhantomData<Self>,)>>
            })
        );
        assert_eq!(
            signature(quote!(
                fn set(&mut self) {}
            )),
            tokens(quote!(fn set<'__green0>(&'__green0 mut self)))
        );
    }

    #[test]
    fn no_lifetimes_no_captures_and_no_return_type_is_unit() {
        assert_eq!(
            output(quote!(
                fn f(x: u32) {}
            )),
            tokens(quote!(-> ::green::__private::Green<impl ::core::future::Future<Output = ()>>))
        );
    }

    #[test]
    fn arguments_are_moved_into_the_future() {
        let body = expand(quote!(
            fn f((a, b): (u8, u8), mut c: u8, _: u8, d: u8) {}
        ))
        .block;
        let body = body.into_token_stream().to_string();
        for line in [
            quote!(let __green_arg0 = __green_arg0; let (a, b) = __green_arg0;),
            quote!(let mut c = c;),
            quote!(let __green_arg2 = __green_arg2;),
            quote!(let d = d;),
        ] {
            assert!(body.contains(&line.to_string()), "{line} not in {body}");
        }
        assert_eq!(
            signature(quote!(
                fn f((a, b): (u8, u8), mut c: u8, _: u8) {}
            )),
            tokens(quote!(fn f(__green_arg0: (u8, u8), c: u8, __green_arg2: u8)))
        );
    }

    #[test]
    fn an_impl_trait_output_has_no_annotation() {
        let body = expand(quote!(
            fn f() -> impl Fn() {
                || ()
            }
        ))
        .block;
        let body = body.into_token_stream().to_string();
        assert!(body.contains("let __green_ret = {"), "{body}");
    }

    #[test]
    fn the_crate_can_be_overridden() {
        let expanded = green(
            quote!(crate = ::green_runtime),
            quote!(
                fn f() {}
            ),
        );
        let text = expanded.to_string();
        assert!(
            text.contains(":: green_runtime :: __private :: Green :: new"),
            "{text}"
        );
        assert!(!text.contains(":: green ::"), "{text}");
    }

    #[test]
    fn errors_keep_an_item_beside_one_compile_error() {
        let text = green(
            TokenStream::new(),
            quote!(
                async fn f() {}
            ),
        )
        .to_string();
        assert!(text.contains("compile_error"), "{text}");
        assert!(text.contains("fn f"), "{text}");
        assert!(!text.contains("async fn"), "{text}");
        let text = green(
            TokenStream::new(),
            quote!(
                struct S;
            ),
        )
        .to_string();
        assert!(text.starts_with("struct S ;"), "{text}");
        assert_eq!(text.matches("compile_error").count(), 1, "{text}");
        let text = green(
            quote!(bogus),
            quote!(
                fn f() {}
            ),
        )
        .to_string();
        assert_eq!(text.matches("compile_error").count(), 1, "{text}");
    }

    #[test]
    fn tests_get_the_test_attribute_and_their_timeout() {
        let text = entry(
            Attr::Test,
            quote!(timeout_ms = 50),
            quote!(
                #[should_panic]
                fn slow() {}
            ),
        )
        .to_string();
        let expected_start = quote! {
            #[should_panic]
            #[::core::prelude::v1::test]
        };
        assert!(text.starts_with(&expected_start.to_string()), "{text}");
        let call = quote!(::green::__private::run_main(
            "slow",
            ::core::option::Option::Some(50u64),
        ));
        let call = call.to_string();
        assert!(text.contains(call.trim_end_matches(")")), "{text}");
    }

    #[test]
    fn main_with_workers_runs_its_body_on_each_hub() {
        let text = entry(
            Attr::Main,
            quote!(workers = 2),
            quote!(
                fn main() {}
            ),
        )
        .to_string();
        let call = quote!(::green::__private::run_workers(
            "main",
            2,
            ::core::option::Option::None,
            || async move
        ))
        .to_string();
        assert!(text.contains(call.trim_end_matches(")")), "{text}");
        assert!(!text.contains("compile_error"), "{text}");
        for bad in [
            quote!(workers = "four"),
            quote!(workers = 2.5),
            quote!(workers),
        ] {
            let text = entry(
                Attr::Main,
                bad,
                quote!(
                    fn main() {}
                ),
            )
            .to_string();
            assert!(
                text.contains("`workers` expects the number of hubs"),
                "{text}"
            );
            assert_eq!(text.matches("compile_error").count(), 1, "{text}");
        }
    }

    #[test]
    fn main_runs_its_body_on_a_hub() {
        let text = entry(
            Attr::Main,
            TokenStream::new(),
            quote!(
                fn main() -> Result<(), E> {
                    Ok(())
                }
            ),
        )
        .to_string();
        assert!(text.starts_with(&quote!(#[allow(clippy::await_holding_refcell_ref, clippy::await_holding_lock)] fn main() -> Result<(), E>).to_string()), "{text}");
        let call = quote!(run_main("main", ::core::option::Option::None,)).to_string();
        assert!(text.contains(call.trim_end_matches(")")), "{text}");
        assert!(
            text.contains(&quote!(let __green_ret: Result<(), E> = { Ok(()) };).to_string()),
            "{text}"
        );
    }
}
