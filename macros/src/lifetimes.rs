//! Phase 3: the lifetimes of the signature. Elided argument lifetimes get
//! names (to be captured by the returned future), and the output type gets
//! the lifetime elision would give it.

use proc_macro2::Span;
use syn::visit::Visit;
use syn::visit_mut::{self, VisitMut};
use syn::{FnArg, GenericParam, Lifetime, LifetimeParam, ReturnType, Signature, Type, parse_quote};

/// Gives every elided lifetime of the arguments a fresh name and adds it to
/// the generics; returns every lifetime parameter, explicit and fresh.
// Before: fn f<'a>(&self, a: &str, b: Cow<'_, str>, c: &'a u8)
// After:  fn f<'a, '__green0, '__green1, '__green2>(&'__green0 self, a: &'__green1 str, b: Cow<'__green2, str>, c: &'a u8)
pub(crate) fn name_elided_lifetimes(sig: &mut Signature) -> Vec<Lifetime> {
    let mut namer = ElidedNamer {
        output: None,
        fresh: Vec::new(),
    };
    for input in sig.inputs.iter_mut() {
        match input {
            FnArg::Receiver(receiver) => {
                if let Some((_, lifetime)) = &mut receiver.reference {
                    match lifetime {
                        None => *lifetime = Some(namer.name()),
                        Some(lifetime) => namer.visit_lifetime_mut(lifetime),
                    }
                }
                if receiver.colon_token.is_some() {
                    namer.visit_type_mut(&mut receiver.ty);
                }
            }
            FnArg::Typed(typed) => namer.visit_type_mut(&mut typed.ty),
        }
    }
    let position = sig.generics.lifetimes().count();
    for (offset, lifetime) in namer.fresh.iter().enumerate() {
        sig.generics.params.insert(
            position + offset,
            GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
        );
    }
    sig.generics
        .lifetimes()
        .map(|param| param.lifetime.clone())
        .collect()
}

/// Names the elided lifetimes (`&T`, `'_`) of a type: with fresh names in
/// argument types (see [`name_elided_lifetimes`]), with the one elision picks
/// in the output type (see [`output_type`]).
struct ElidedNamer {
    /// The output's lifetime; `None` in argument types.
    output: Option<Lifetime>,
    /// The fresh lifetimes given so far.
    fresh: Vec<Lifetime>,
}

impl ElidedNamer {
    fn name(&mut self) -> Lifetime {
        if let Some(output) = &self.output {
            return output.clone();
        }
        let lifetime = Lifetime::new(&format!("'__green{}", self.fresh.len()), Span::call_site());
        self.fresh.push(lifetime.clone());
        lifetime
    }
}

impl VisitMut for ElidedNamer {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(self.name());
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.name();
        }
    }

    // Higher-ranked: `fn(&u8)` and `Fn(&u8)` keep their own elision.
    fn visit_type_bare_fn_mut(&mut self, _: &mut syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }
    // `impl Trait` arguments are type parameters, captured in every edition;
    // an `impl Trait` output takes the output's lifetime.
    fn visit_type_impl_trait_mut(&mut self, impl_trait: &mut syn::TypeImplTrait) {
        if self.output.is_some() {
            visit_mut::visit_type_impl_trait_mut(self, impl_trait);
        }
    }
}

/// `R`, or `()` when there is no return type, with its elided lifetimes
/// named as elision would pick them (rustc warns when a signature mixes a
/// named lifetime with its elided form).
// Before: fn get(&'__green0 self) -> &u32
// After:  fn get(&'__green0 self) -> &'__green0 u32
pub(crate) fn output_type(sig: &Signature) -> Type {
    let mut output = match &sig.output {
        ReturnType::Default => parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    if let Some(lifetime) = elided_output_lifetime(sig) {
        let mut namer = ElidedNamer {
            output: Some(lifetime),
            fresh: Vec::new(),
        };
        namer.visit_type_mut(&mut output);
    }
    output
}

/// The lifetime that elision gives to elided output lifetimes: `&self`'s, or
/// the only lifetime of the arguments.
fn elided_output_lifetime(sig: &Signature) -> Option<Lifetime> {
    if let Some(receiver) = sig.receiver() {
        if let Some((_, Some(lifetime))) = &receiver.reference {
            return Some(lifetime.clone());
        }
    }
    let mut collector = LifetimeCollector(Vec::new());
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => collector.visit_type(&receiver.ty),
            FnArg::Typed(typed) => collector.visit_type(&typed.ty),
        }
    }
    match collector.0.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// The distinct lifetimes of argument types, outside higher-ranked types.
struct LifetimeCollector(Vec<Lifetime>);

impl<'ast> Visit<'ast> for LifetimeCollector {
    fn visit_lifetime(&mut self, lifetime: &'ast Lifetime) {
        if lifetime.ident != "static" && !self.0.contains(lifetime) {
            self.0.push(lifetime.clone());
        }
    }
    fn visit_type_bare_fn(&mut self, _: &'ast syn::TypeBareFn) {}
    fn visit_parenthesized_generic_arguments(
        &mut self,
        _: &'ast syn::ParenthesizedGenericArguments,
    ) {
    }
    fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {}
}
