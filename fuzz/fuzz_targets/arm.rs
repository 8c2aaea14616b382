//! `cargo +nightly fuzz run arm`: ARM template, parameter file and plan JSON lowering (with the ARM expression parser) must never panic, and every span must lie in the text.
#![no_main]

use keyless::source::{DeploymentScope, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    keyless::testing::fuzz_file(Format::ArmTemplate(DeploymentScope::ResourceGroup), data);
    keyless::testing::fuzz_file(Format::ArmParameters, data);
    keyless::testing::fuzz_file(Format::TerraformPlan, data);
});
