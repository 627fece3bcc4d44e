//! Green work used as a plain value: teaching errors instead of rustc's
//! "cannot add `{integer}` to `Green<..>`".
//!
//! A `#[green]` fn called from plain code gives its work, not its value
//! (`double(21) + 1` in a plain fn). `Green` implements the operator and
//! formatting traits only under a bound no type meets,
//! [`MarkTheCallerGreenOrUseGreenRun`]: rustc's note then reads "`Green<..>`
//! does not implement `green::__private::MarkTheCallerGreenOrUseGreenRun`",
//! which says what to write instead (where rustc shows the trait's own
//! message, it says more). No valid program can call these impls.

use core::fmt;
use core::ops;

use crate::green::Green;

/// Met by no type: the bound of `Green`'s operator impls, so that using green
/// work as a value is an error that says what to write instead.
///
/// A fn that forgot `#[green]` adds to green work instead of its value:
///
/// ```compile_fail
/// #[green::green]
/// fn double(x: u32) -> u32 {
///     x * 2
/// }
///
/// fn plain() -> u32 {
///     double(21) + 1 // error: green work is used as a plain value
/// }
/// ```
///
/// Marked green, the same line adds to the value:
///
/// ```
/// # #[green::green]
/// # fn double(x: u32) -> u32 {
/// #     x * 2
/// # }
/// #[green::green]
/// fn answer() -> u32 {
///     double(21) + 1
/// }
///
/// assert_eq!(green::run(answer()), 43);
/// ```
#[diagnostic::on_unimplemented(
    message = "green work is used as a plain value: `{Self}` is not its result",
    label = "green work, not its value",
    note = "in a `#[green]` fn a green call is awaited for you: mark the enclosing fn `#[green]`",
    note = "from plain code run it to the end: `green::run(f(x))`; from async code: `f(x).await`"
)]
pub trait MarkTheCallerGreenOrUseGreenRun {
    /// Never called: no type implements the trait.
    fn never(&self) -> !;
}

macro_rules! binary {
    ($($op:ident $method:ident),* $(,)?) => {$(
        impl<F, Rhs> ops::$op<Rhs> for Green<F>
        where
            Green<F>: MarkTheCallerGreenOrUseGreenRun,
        {
            type Output = Green<F>;

            fn $method(self, _: Rhs) -> Green<F> {
                self.never()
            }
        }
    )*};
}

binary!(
    Add add, Sub sub, Mul mul, Div div, Rem rem,
    BitAnd bitand, BitOr bitor, BitXor bitxor, Shl shl, Shr shr,
);

macro_rules! unary {
    ($($op:ident $method:ident),* $(,)?) => {$(
        impl<F> ops::$op for Green<F>
        where
            Green<F>: MarkTheCallerGreenOrUseGreenRun,
        {
            type Output = Green<F>;

            fn $method(self) -> Green<F> {
                self.never()
            }
        }
    )*};
}

unary!(Neg neg, Not not);

impl<F, Rhs> PartialEq<Rhs> for Green<F>
where
    Green<F>: MarkTheCallerGreenOrUseGreenRun,
{
    fn eq(&self, _: &Rhs) -> bool {
        self.never()
    }
}

impl<F, Rhs> PartialOrd<Rhs> for Green<F>
where
    Green<F>: MarkTheCallerGreenOrUseGreenRun,
{
    fn partial_cmp(&self, _: &Rhs) -> Option<core::cmp::Ordering> {
        self.never()
    }
}

impl<F> fmt::Display for Green<F>
where
    Green<F>: MarkTheCallerGreenOrUseGreenRun,
{
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.never()
    }
}

/// The methods of `Result` and `Option` that plain code calls on a green
/// call's value and that have no lazy twin on `Green` (`unwrap`, `expect`,
/// `unwrap_or`, .. have: see `outcome.rs`): a predicate such as
/// `s.read(&mut buf).is_ok()` in a fn without `#[green]` asks about the
/// value, which plain code does not have yet. Without these, rustc says "no
/// method named `is_ok` found for struct `Green`"; with them it says what to
/// write instead. No valid program can call them (the bound is never met).
/// Their signatures say `Self`, not the type's name: the macro's unit test
/// `plain_names_are_not_green_methods` takes a fn returning the type's name
/// for green work, and `is_ok`, `is_some`, .. are plain names.
macro_rules! result_methods {
    ($($method:ident($($_arg:ident: $ty:ident),*)),* $(,)?) => {
        impl<F> Green<F> {$(
            #[doc(hidden)]
            pub fn $method<$($ty),*>(self, $(_: $ty),*) -> Self
            where
                Self: MarkTheCallerGreenOrUseGreenRun,
            {
                self.never()
            }
        )*}
    };
}

result_methods!(
    unwrap_err(), expect_err(message: E), map(f: A), and_then(f: C), err(),
    is_ok(), is_err(), is_some(), is_none(), ok_or(error: O), ok_or_else(f: P),
);
