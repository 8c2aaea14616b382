//! `cargo +nightly fuzz run bicep`: the Bicep lexer, parser and lowering, and every rule over the
//! result, must never panic, and every span must lie in the text.
#![no_main]

use keyless::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::parse::bicep::fuzz(data);
    keyless::testing::fuzz_file(Format::Bicep, data);
    keyless::testing::fuzz_file(Format::BicepParams, data);
});
