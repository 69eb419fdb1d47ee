#![no_main]
//! The fast block-YAML reader against the full parser: wherever the fast reader accepts a
//! document, the parser must accept it too and build the same value, keys in the same order.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(fast) = bomsight::yaml_block::parse(text) {
        let full: serde_yaml_ng::Value = match serde_yaml_ng::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("the fast reader accepted what the parser refuses: {e}"),
        };
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
    }
});
