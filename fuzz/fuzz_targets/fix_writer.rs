//! `cargo +nightly fuzz run fix_writer`: random trees (files, folders, links to files and folders
//! inside and outside the tree, hard links, modes) written as `--fix` writes; see
//! `keyless::testing::fuzz_fix_writer` for what must hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_fix_writer(data);
});
