#![no_main]
//! `gradle/verification-metadata.xml` as arbitrary bytes to the collectors that claim it: refused or read, never a panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = bomsight::collect::collect_bytes("gradle/verification-metadata.xml", data);
});
