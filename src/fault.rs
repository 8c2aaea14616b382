//! Test-only fault injection: makes keyless panic at a chosen stage, so that tests can check what a
//! panic does there (a finding for the one file, or exit 2 with one line; never exit 101, never
//! the panic's text).
//!
//! It exists only in builds with debug assertions (`cargo build`, `cargo test`). In a release
//! build [`inject`] is empty and the variable is never read, so users' binaries cannot be made to
//! panic by it.
//!
//! `KEYLESS_TEST_ONLY_PANIC=<stage>` panics at every call of that stage;
//! `KEYLESS_TEST_ONLY_PANIC=<stage>:<part>` only where one of the call's subjects contains `part`.
//! Stages and their subjects: `parse` (the file's display path), `rule` (the rule id and the
//! path), `report` (the format: `human`, `json`, `sarif`, `github`, `azure`, `compact`). The panic
//! message carries the input it is given (a file's text, a report's paths and messages), as a careless `panic!` in a parser could:
//! the tests check that none of it is printed.

/// The environment variable read by [`inject`] in debug builds.
pub const VAR: &str = "KEYLESS_TEST_ONLY_PANIC";

/// Panics when [`VAR`] names this stage (and a part of one of `subjects`); debug builds only.
#[cfg(debug_assertions)]
pub fn inject(stage: &str, subjects: &[&str], input: impl FnOnce() -> String) {
    static WANTED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let Some(wanted) = WANTED.get_or_init(|| std::env::var(VAR).ok()) else {
        return;
    };
    let (s, part) = wanted.split_once(':').unwrap_or((wanted, ""));
    if s == stage && subjects.iter().any(|x| x.contains(part)) {
        panic!("injected panic at {stage} ({subjects:?}): {}", input());
    }
}

/// Does nothing: release builds cannot be made to panic.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn inject(_stage: &str, _subjects: &[&str], _input: impl FnOnce() -> String) {}
