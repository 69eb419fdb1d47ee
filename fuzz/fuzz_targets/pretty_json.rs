#![no_main]
//! The pretty JSON writer against serde_json's: for any JSON document, and for the input
//! itself as one string, both must write the very same bytes (the exporters promise
//! serde_json's layout).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let same = |ours: std::io::Result<String>, theirs: serde_json::Result<String>| {
        assert_eq!(ours.expect("our writer failed"), theirs.expect("serde_json failed"));
    };
    same(
        bomsight::export::json::to_string_pretty(text),
        serde_json::to_string_pretty(text),
    );
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        same(
            bomsight::export::json::to_string_pretty(&value),
            serde_json::to_string_pretty(&value),
        );
    }
});
