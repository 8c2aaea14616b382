//! `cargo +nightly fuzz run hcl`: HCL parsing and Terraform lowering must never panic, and every span must lie in the text.
#![no_main]

use keyless::source::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_file(Format::Terraform, data);
    keyless::testing::fuzz_file(Format::TerraformVars, data);
});
