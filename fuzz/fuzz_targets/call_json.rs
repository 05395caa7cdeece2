//! Fuzz target `call_json`: see `hbr_fuzz_support::call_json` for what it feeds and asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    hbr_fuzz_support::call_json::run(data);
});
