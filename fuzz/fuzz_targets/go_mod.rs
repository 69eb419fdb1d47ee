#![no_main]
//! `go.mod` as arbitrary bytes to the collectors that claim it, with a `go.sum` beside it (the
//! input's bytes after its first NUL, when it has one): refused or read, never a panic.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (go_mod, go_sum) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let beside: Vec<(&str, &[u8])> = go_sum.map(|sum| ("go.sum", sum)).into_iter().collect();
    let _ = bomsight::collect::collect_bytes_beside("go.mod", go_mod, &beside);
});
