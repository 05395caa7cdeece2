//! Fuzz target `spec_yaml`: see `hbr_fuzz_support::spec_yaml` for what it feeds and asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    hbr_fuzz_support::spec_yaml::run(data);
});
