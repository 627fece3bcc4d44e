//! `#[green::test]`: timeouts, `Result` bodies, `should_panic`, `ignore`.

use std::time::Duration;

#[green::green]
fn nap(ms: u64) -> u64 {
    green::sleep(Duration::from_millis(ms));
    ms
}

#[green::test(timeout_ms = 50)]
#[should_panic(expected = "timed out")]
fn a_slow_test_times_out() {
    nap(5_000);
}

#[green::test(timeout_ms = 5_000)]
fn a_quick_test_passes_within_its_timeout() {
    assert_eq!(nap(1), 1);
}

#[green::test]
fn a_test_may_return_ok() -> Result<(), String> {
    let ms = nap(1);
    if ms == 1 {
        Ok(())
    } else {
        Err(format!("slept {ms}"))
    }
}

#[green::test]
#[should_panic(expected = "inside the body")]
fn a_panic_in_the_body_fails_the_test() {
    nap(1);
    panic!("inside the body");
}

#[green::test]
#[ignore = "shows that other attributes are kept"]
fn an_ignored_test_is_kept_ignored() {
    panic!("ignored tests do not run");
}

/// Doc comments and lint attributes are kept too.
#[green::test(crate = ::green)]
#[allow(clippy::assertions_on_constants)]
fn crate_override_and_attributes() {
    assert!(true);
}
