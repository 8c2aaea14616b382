//! `cargo +nightly fuzz run arm`: see `keyless::testing::FUZZ_TARGETS` for what it parses; nothing
//! may panic, and every span must lie in the text on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_target("arm", data);
});
