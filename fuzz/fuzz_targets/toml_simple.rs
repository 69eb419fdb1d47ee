#![no_main]
//! The fast TOML reader against the `toml` crate: wherever the fast reader accepts a
//! document, the crate must accept it too, and serde must read the same values from the
//! reader's nodes as the crate reads from the text.

use serde::Deserialize;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(node) = bomsight::toml_simple::parse(text) {
        let fast = toml::Value::deserialize(node)
            .unwrap_or_else(|e| panic!("serde could not read the nodes as a TOML value: {e}"));
        let full: toml::Value = match toml::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("the fast reader accepted what the crate refuses: {e}"),
        };
        assert_eq!(fast, full);
    }
});
