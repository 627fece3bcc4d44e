//! trybuild cases of the `#[green]` rewrite: `tests/ui/pass` compile and run,
//! `tests/ui/fail` fail to compile with the reviewed `.stderr` beside them.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
