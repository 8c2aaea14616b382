//! `cargo +nightly fuzz run lsp_message`: the language server's message reader on arbitrary
//! bytes (headers, lengths, bodies). Nothing may panic, and no read may allocate past the cap,
//! whatever length a header claims.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_lsp_messages(data);
});
