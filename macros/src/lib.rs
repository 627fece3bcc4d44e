//! placeholder
use proc_macro::TokenStream;
/// x
#[proc_macro_attribute]
pub fn green(_a: TokenStream, i: TokenStream) -> TokenStream {
    i
}
/// x
#[proc_macro_attribute]
pub fn main(_a: TokenStream, i: TokenStream) -> TokenStream {
    i
}
/// x
#[proc_macro_attribute]
pub fn test(_a: TokenStream, i: TokenStream) -> TokenStream {
    i
}
