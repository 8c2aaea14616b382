//! `cargo +nightly fuzz run bicep`: the Bicep lexer, parser and lowering must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::parse::bicep::fuzz(data);
});
