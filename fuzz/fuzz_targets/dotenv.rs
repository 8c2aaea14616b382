//! `cargo +nightly fuzz run dotenv`: the dotenv lexer must never panic, and every span must lie in the text.
#![no_main]

use keyless::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_file(Format::Dotenv, data);
});
