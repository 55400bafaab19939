//! Valid sample payloads mutated by the fuzzer's bytes: no panic, and the outcome's invariants hold.
#![no_main]

#[path = "../harness.rs"]
#[allow(dead_code)]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check_mutated(data));
