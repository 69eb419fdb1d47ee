#![no_main]
//! Arbitrary bytes as an SBOM document (CycloneDX JSON/XML, SPDX JSON/tag-value, told by
//! content): refused or read, never a panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = bomsight::import::import("document", data);
});
