#![no_main]
//! `package.json` as arbitrary bytes to the collectors that claim it: refused or read, never a panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = bomsight::collect::collect_bytes("package.json", data);
});
