//! Block tails: a tail that awaits is moved into a `let`.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Block, Expr, Ident, Stmt};

use super::take;
use crate::spans::generated_at;

/// A block with locals whose tail awaits: the tail is evaluated in a `let`,
/// so that its temporaries (the dispatch's `Wrap`, the awaited future) are
/// dropped before the block's locals, which they may borrow. Edition 2024
/// drops tail temporaries first by itself; edition 2021 keeps them to the end
/// of the enclosing statement (E0597 on `f.read_to_string(&mut s)` as the
/// last expression). A block without `let`s has nothing of its own to
/// outlive: an enclosing block with locals moves the whole expression, this
/// block included.
// Before: { let mut s = String::new(); f.read_to_string(&mut s).unwrap() }
// After:  { let mut s = String::new(); let __green_tail = DISPATCH(..).unwrap(); __green_tail }
pub(super) fn tail_into_let(block: &mut Block) {
    let has_locals = block
        .stmts
        .iter()
        .any(|stmt| matches!(stmt, Stmt::Local(_)));
    if !has_locals {
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

#[cfg(test)]
mod tests {
    use super::super::Rewriter;
    use super::super::tests::d;
    use quote::{ToTokens, quote};
    use syn::{Block, Path, parse_quote};

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
}
