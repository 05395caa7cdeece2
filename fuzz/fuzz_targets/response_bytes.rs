//! Fuzz target `response_bytes`: see `hbr_fuzz_support::response_bytes` for what it feeds and asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    hbr_fuzz_support::response_bytes::run(data);
});
