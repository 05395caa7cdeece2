//! Fuzz target `emulator_http`: see `hbr_fuzz_support::emulator_http` for what it feeds and asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    hbr_fuzz_support::emulator_http::run(data);
});
