//! The integration tests: one test binary (`cargo test --test it`), one module per subject, and
//! the helpers they share (running the built binary, temporary trees, JSON reports) in [`support`].
//! A test runs alone with `cargo test --test it <module>::<test>`.

mod bounds;
mod cli;
mod determinism;
mod distribution;
mod fixes;
mod fuzz_regressions;
mod hardening;
mod history;
mod input_hardening;
mod inputs;
mod io_safety;
mod properties;
mod redaction;
mod report_snapshots;
mod server;
mod stdin;
mod support;
mod workflow;
