//! `cargo +nightly fuzz run json`: the JSON-with-comments parser and app settings lowering must never panic, and every span must lie in the text.
#![no_main]

use keyless::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_file(Format::Json, data);
    keyless::testing::fuzz_file(Format::AppSettings, data);
});
