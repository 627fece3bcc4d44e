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
/// docs/autoawait.md):
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

/// Method names that are visibly plain: never wrapped, to keep the type
/// checker's work (and `cargo check` time) down.
///
/// Each wrapped call costs a method probe and a suspension point; these are
/// the methods that ordinary code calls most on locals (`v.len()`,
/// `s.clone()`, `x.to_string()`, `it.iter()`, ..) and that never return
/// green work in std, `green` or `green::compat`. A name that compat or the
/// runtime uses for a green method (`get`, `map`, `join`, `lock`, `read`,
/// `lines`' items, ..) must not be here: the unit test
/// `plain_names_are_not_green_methods` reads `compat/src` and
/// `runtime/src` and fails if one is.
///
/// A user's own `#[green]` method named like one of these would never be
/// awaited: `#[green]` rejects it (`diagnostics::never_awaited_method`). Names
/// are matched exactly, or by prefix for [`PLAIN_METHOD_PREFIXES`].
pub(crate) const PLAIN_METHODS: &[&str] = &[
    // Cloning, conversion to owned or borrowed forms.
    "clone",
    "cloned",
    "copied",
    "to_owned",
    "to_string",
    "to_vec",
    "as_ref",
    "as_mut",
    "as_str",
    "as_bytes",
    "as_slice",
    "as_deref",
    "borrow",
    "borrow_mut",
    // Sizes and predicates.
    "len",
    "is_empty",
    "is_some",
    "is_none",
    "is_ok",
    "is_err",
    "contains",
    "contains_key",
    "starts_with",
    "ends_with",
    // Collections (not `push` and `pop`: users' own blocking queues name
    // their green methods so).
    "push_str",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "clear",
    "truncate",
    "first",
    "keys",
    "values",
    // Iterators and their adaptors (a green iterator's `next` is awaited by the
    // `for` rewrite, not here).
    "iter",
    "iter_mut",
    "into_iter",
    "filter",
    "enumerate",
    "zip",
    "rev",
    "skip",
    "chars",
    "bytes",
    "split",
    "split_whitespace",
    "trim",
    "trim_start",
    "trim_end",
    "to_lowercase",
    "to_uppercase",
    // Numbers (not `min` and `max`: green iterators have them).
    "abs",
    "pow",
];

/// Of [`PLAIN_METHODS`], the collection mutators whose std value may be
/// dropped without a warning (`v.push(x);`, `map.insert(k, v);`). As a
/// statement in a green body such a call gets `#[deny(unused_must_use)]`: a
/// method of another crate with one of these names that returns green work
/// (which `#[green]` leaves unawaited) is then an error, not a silent no-op.
const MUTATORS: &[&str] = &[
    "push_str",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "clear",
    "truncate",
];

/// Prefixes of visibly plain method names: integer arithmetic.
pub(crate) const PLAIN_METHOD_PREFIXES: &[&str] =
    &["wrapping_", "checked_", "saturating_", "overflowing_"];

/// std types whose associated functions are plain (`String::new()`,
/// `Vec::with_capacity(n)`, `Duration::from_millis(5)`, `Instant::now()`):
/// a call `T::f(..)` with `T` on this list is never wrapped. None of them is
/// a type name of compat or the runtime (checked by a unit test).
pub(crate) const PLAIN_TYPES: &[&str] = &[
    "String", "Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "Box", "Rc", "Arc",
    "Cell", "RefCell", "Duration", "Instant", "Option", "Result", "char", "str", "u8", "u16",
    "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
];

/// Whether a method named `name` is on [`PLAIN_METHODS`] or
/// [`PLAIN_METHOD_PREFIXES`].
pub(crate) fn is_plain_method(name: &str) -> bool {
    PLAIN_METHODS.contains(&name) || PLAIN_METHOD_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Whether a method call `x.name(..)` (with a turbofish or not) is never
/// awaited in a green body: [`PLAIN_METHODS`] and the method entries of
/// [`NEVER_AWAITED`]. A green method with such a name would never run when
/// called that way.
pub(crate) fn method_never_awaited(name: &str, turbofish: bool) -> bool {
    is_plain_method(name)
        || NEVER_AWAITED.iter().any(|(never, position)| {
            *never == name
                && match position {
                    Position::Method => true,
                    Position::MethodUnlessTurbofish => !turbofish,
                    Position::AssociatedCall | Position::PathCall => false,
                }
        })
}

/// Calls that take green work: a closure literal among their arguments is
/// green work, as if it were written `async || ..`. Matched on the last
/// segment of a path call (`thread::spawn(..)`, `green::timeout(..)`,
/// `thread::scope(..)`) and on the name of a method call
/// (`Builder::new().spawn(..)`, `s.spawn(..)` in a scope, `pool.spawn(..)`).
///
/// compat's `OnceLock::get_or_init` / `get_or_try_init` and `Once::call_once`
/// take green work too (the initialiser may block): `CONFIG.get_or_init(||
/// load())` ports unchanged. (std's `OnceCell`, which never blocks, is not
/// mirrored: its `get_or_init` in a green body needs a plain closure kept
/// by `#[nowait]`.)
///
/// `spawn_blocking` is not here: its closure runs on an OS thread, plain.
/// A closure passed anywhere else (`iter().map(|x| ..)`) stays plain.
pub(crate) const WORK_TAKERS: &[&str] = &[
    "spawn",
    "spawn_later",
    "spawn_scoped",
    "try_spawn",
    "scope",
    "timeout",
    "with_timeout",
    "get_or_init",
    "get_or_try_init",
    "call_once",
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
    /// Under `#[allow_blocking]` (on the fn or the statement): blocking std
    /// paths are not reported.
    allow_blocking: bool,
    /// How many awaits the rewrite has inserted so far: a block whose tail
    /// gained one gets its tail moved into a `let` (see `visit_block_mut`).
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
    fn dispatch(&mut self, call: Expr) -> Expr {
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

    /// Calls left as they are: constructors, [`NEVER_AWAITED`], visibly plain
    /// calls ([`PLAIN_METHODS`], [`PLAIN_TYPES`]), `sync(..)` names.
    // Before: v.len() + String::new().len() + f(x)
    // After:  v.len() + String::new().len() + DISPATCH(f(x))
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
                let segments = &path.path.segments;
                let qualified = path.qself.is_some() || segments.len() > 1;
                let plain_type = path.qself.is_none()
                    && segments.len() == 2
                    && PLAIN_TYPES.iter().any(|ty| segments[0].ident == ty);
                name.starts_with(char::is_uppercase)
                    || plain_type
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
                    || method_never_awaited(&name, call.turbofish.is_some())
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
    fn for_loop(&mut self, mut for_loop: ExprForLoop) -> Expr {
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
}

impl Rewriter<'_> {
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

impl Rewriter<'_> {
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
    fn green_borrowing_closure(&mut self, mut closure: syn::ExprClosure) -> Expr {
        if let Some(asyncness) = closure.asyncness.take() {
            self.error(syn::Error::new_spanned(
                asyncness,
                "this closure is already async: remove `async`; `#[green]` makes the closure \
                 return `Green<impl Future>` and awaits the green calls in its body",
            ));
        }
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
}

/// Closure literals passed to a call on [`WORK_TAKERS`] become async
/// closures: green work, whose body the rewrite then treats as a green body.
/// An async closure captures as the plain closure would (by reference unless
/// `move`), so `s.spawn(|| total += x)` in a scope borrows as in std.
/// Left alone: closures that are already async or `#[green]`, and closures
/// whose body is an async block (`|| async move { .. }`, already green
/// work). A bare name as the body is dispatched: `move || work` awaits green
/// work made earlier, `move || n` gives the value.
// Before: thread::spawn(move || { handle(stream) })
// After:  thread::spawn(async move || { handle(stream) })
fn work_closures_are_async(krate: &Path, call: &mut Expr) {
    let (name, args) = match call {
        Expr::Call(call) => match &*call.func {
            Expr::Path(path) => match path.path.segments.last() {
                Some(last) => (last.ident.unraw(), &mut call.args),
                None => return,
            },
            _ => return,
        },
        Expr::MethodCall(call) => (call.method.unraw(), &mut call.args),
        _ => return,
    };
    if !WORK_TAKERS.iter().any(|taker| name == taker) {
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

/// `#[allow_blocking]`.
pub(crate) fn is_allow_blocking(attr: &Attribute) -> bool {
    attr.path().is_ident("allow_blocking")
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
    // Kept as tokens: parsing the output back into an `Expr` would parse the
    // call (with its own dispatched arguments) again at every level.
    Expr::Verbatim(quote::quote!(#head #tail))
}

/// Consumers whose result type only inference gives (`let v: Vec<_> =
/// it.collect();`): wrapped around the result they would be E0283, so they are
/// dispatched on their receiver instead, whose type is known: a green
/// iterator's consumer is awaited, a std iterator of green items
/// (`handles.into_iter().map(|h| h.join().unwrap())`) has each item awaited,
/// a std iterator's runs as it is. The turbofish forms
/// (`it.collect::<Vec<_>>()`, `it.sum::<u64>()`) are dispatched so too, for
/// the iterators of green items.
const RECEIVER_DISPATCHED: &[&str] = &["collect", "sum", "product"];

/// `it.collect()`, `it.sum()` or `it.product()`, without a turbofish or with
/// one type (`it.collect::<Vec<_>>()`).
fn is_receiver_dispatched(call: &syn::ExprMethodCall) -> bool {
    let turbofish_ok = call.turbofish.as_ref().is_none_or(|turbofish| {
        turbofish.args.len() == 1
            && matches!(turbofish.args.first(), Some(syn::GenericArgument::Type(_)))
    });
    turbofish_ok
        && call.args.is_empty()
        && RECEIVER_DISPATCHED
            .iter()
            .any(|name| call.method.unraw() == name)
}

/// The await dispatch of a [`RECEIVER_DISPATCHED`] consumer, on its receiver.
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

/// The spans of the first and the last token of `expr`. Generated code that
/// starts with the first and ends with the last spans the whole expression in
/// rustc's messages (on stable, `Span::join` is not available to macros).
fn first_and_last_span(expr: &Expr) -> (Span, Span) {
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
                work_closures_are_async(self.krate, expr);
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
                    for error in crate::diagnostics::blocking_std_use(&item.tree) {
                        self.error(error);
                    }
                }
            }
            // Nested items are not entered: their bodies are not green.
            Stmt::Item(_) => {}
            // Before: q.pop();
            // After:  #[deny(unused_must_use)] q.pop();
            Stmt::Expr(Expr::MethodCall(call), Some(_))
                if self.in_async && MUTATORS.iter().any(|name| call.method.unraw() == name) =>
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

    // A block with locals whose tail awaits: the tail is evaluated in a
    // `let`, so that its temporaries (the dispatch's `Wrap`, the awaited
    // future) are dropped before the block's locals, which they may borrow.
    // Edition 2024 drops tail temporaries first by itself; edition 2021 keeps
    // them to the end of the enclosing statement (E0597 on
    // `f.read_to_string(&mut s)` as the last expression). A block without
    // `let`s has nothing of its own to outlive: an enclosing block with
    // locals moves the whole expression, this block included.
    // Before: { let mut s = String::new(); f.read_to_string(&mut s).unwrap() }
    // After:  { let mut s = String::new(); let __green_tail = DISPATCH(..).unwrap(); __green_tail }
    fn visit_block_mut(&mut self, block: &mut Block) {
        let before = self.awaits;
        visit_mut::visit_block_mut(self, block);
        let has_locals = block
            .stmts
            .iter()
            .any(|stmt| matches!(stmt, Stmt::Local(_)));
        if !self.in_async || !has_locals || self.awaits == before {
            return;
        }
        if let Some(Stmt::Expr(tail, None)) = block.stmts.last_mut() {
            let tail = take(tail);
            let span = generated_at(tail.span());
            let value = Ident::new("__green_tail", Span::mixed_site());
            block.stmts.pop();
            block.stmts.push(syn::parse_quote_spanned! {span=>
                #[allow(clippy::let_and_return, clippy::let_unit_value)]
                let #value = #tail;
            });
            block.stmts.push(Stmt::Expr(
                Expr::Verbatim(quote::quote_spanned!(span=> #[allow(unreachable_code)] #value)),
                None,
            ));
        }
    }

    // `std::thread::sleep`, `std::sync::Mutex::new`: a blocking std item.
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if self.checks_blocking() && path.qself.is_none() {
            if let Some(error) = crate::diagnostics::blocking_std_path(&path.path) {
                self.error(error);
            }
        }
        visit_mut::visit_expr_path_mut(self, path);
    }

    // `let m: std::sync::Mutex<u32> = ..`: a blocking std type.
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        if self.checks_blocking() && path.qself.is_none() {
            if let Some(error) = crate::diagnostics::blocking_std_path(&path.path) {
                self.error(error);
            }
        }
        visit_mut::visit_type_path_mut(self, path);
    }
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
    fn block_tails_that_await_are_moved_into_a_let() {
        let krate: Path = parse_quote!(::green);
        let mut block: Block = parse_quote!({
            let mut s = String::new();
            f.read_to_string(&mut s)
        });
        Rewriter::new(&krate, &[], None).rewrite_body(&mut block);
        let read = d(quote!(f.read_to_string(&mut s)));
        let expected = quote!({
            let mut s = String::new();
            #[allow(clippy::let_and_return, clippy::let_unit_value)]
            let __green_tail = #read;
            #[allow(unreachable_code)]
            __green_tail
        });
        assert_eq!(block.into_token_stream().to_string(), expected.to_string());

        // A tail that awaits nothing stays the tail.
        let mut block: Block = parse_quote!({
            let v = vec![1];
            v.len()
        });
        Rewriter::new(&krate, &[], None).rewrite_body(&mut block);
        assert_eq!(
            block.into_token_stream().to_string(),
            quote!({
                let v = vec![1];
                v.len()
            })
            .to_string()
        );
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
                let t = {
                    let __green_closure = async || -> u32 { 1 };
                    move || ::green::__private::Green::new(__green_closure())
                };
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

    /// Every `.rs` file under `dir`.
    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("a source directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(std::fs::read_to_string(&path).expect("a source file"));
            }
        }
    }

    /// The sources of the crates whose items green bodies call: compat and
    /// the runtime.
    fn support_sources() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        sources(&root.join("compat/src"), &mut out);
        sources(&root.join("runtime/src"), &mut out);
        assert!(out.len() > 10, "compat and runtime sources not found");
        out
    }

    /// The names of the fns of `source` whose signature returns green work
    /// (`Green<..>` or `BoxGreen<..>`).
    fn green_fn_names(source: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find("fn ") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + 3..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let end = rest.find(['{', ';']).unwrap_or(rest.len());
            if !name.is_empty() && rest[..end].contains("Green<") {
                names.push(name);
            }
        }
        names
    }

    #[test]
    fn plain_names_are_not_green_methods() {
        let mut green = Vec::new();
        for source in support_sources() {
            green.extend(green_fn_names(&source));
        }
        // The scan finds the green methods it must find.
        for known in ["get", "map", "join", "lock", "read", "sleep", "accept"] {
            assert!(
                green.iter().any(|name| name == known),
                "scan missed `{known}`"
            );
        }
        for name in &green {
            assert!(
                !is_plain_method(name),
                "`{name}` is a green fn of compat or the runtime: remove it from PLAIN_METHODS"
            );
        }
        // `lines` and `split` of compat's BufRead give iterators whose `next`
        // is green; the calls themselves are plain, and the `for` rewrite
        // awaits the `next`.
        assert!(!PLAIN_METHODS.contains(&"lines"));
    }

    #[test]
    fn plain_types_are_not_types_of_compat_or_the_runtime() {
        for source in support_sources() {
            for ty in PLAIN_TYPES {
                for keyword in ["struct", "enum", "type", "trait"] {
                    let declared = format!("{keyword} {ty}");
                    let found = source.match_indices(&declared).any(|(at, _)| {
                        !source[at + declared.len()..]
                            .starts_with(|c: char| c.is_alphanumeric() || c == '_')
                    });
                    assert!(
                        !found,
                        "compat or the runtime declares `{declared}`: remove it from PLAIN_TYPES"
                    );
                }
            }
        }
    }

    #[test]
    fn plain_lists_have_no_duplicates() {
        for (i, name) in PLAIN_METHODS.iter().enumerate() {
            assert!(
                !PLAIN_METHODS[i + 1..].contains(name),
                "{name} is listed twice"
            );
        }
        for (i, name) in PLAIN_TYPES.iter().enumerate() {
            assert!(
                !PLAIN_TYPES[i + 1..].contains(name),
                "{name} is listed twice"
            );
        }
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
