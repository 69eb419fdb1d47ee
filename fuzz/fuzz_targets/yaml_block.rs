#![no_main]
//! The fast block-YAML reader against the full parser: wherever the fast reader accepts a
//! document, the parser must accept it too and build the same value, keys in the same order;
//! and serde reading the fast reader's nodes must see that same value.

use serde::Deserialize;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(node) = bomsight::yaml_block::parse_node_within(text, 64) {
        let through_serde = serde_yaml_ng::Value::deserialize(node.clone())
            .unwrap_or_else(|e| panic!("serde could not read the nodes as a value: {e}"));
        let fast = node.into_value();
        assert_eq!(format!("{through_serde:?}"), format!("{fast:?}"));
        let full: serde_yaml_ng::Value = match serde_yaml_ng::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("the fast reader accepted what the parser refuses: {e}"),
        };
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
    }
});
