//! `cargo +nightly fuzz run connstr`: the connection-string parser must never panic, and every
//! part's range must lie in the string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_connection_string(data);
});
