//! Turning raw file bytes into text, and byte offsets into line numbers, for error messages.

/// Decodes `bytes` as UTF-8, or explains why not (binary content, invalid encoding) with a line.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, (Option<usize>, String)> {
    // `contains` on bytes is a word-at-a-time memchr; `position` looks at one byte at a time.
    if let Some(pos) = bytes.contains(&0).then(|| bytes.iter().position(|&b| b == 0)).flatten() {
        return Err((
            Some(line_of_offset(bytes, pos)),
            "binary content (NUL byte), not a text file".into(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        (Some(line_of_offset(bytes, at)), format!("invalid UTF-8 at byte {at}"))
    })
}

/// The 1-based line number of a byte offset.
pub fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    1 + count_newlines(&bytes[..offset.min(bytes.len())])
}

/// How many `\n` bytes `bytes` holds, counted eight bytes at a time (collectors count the
/// lines between the keys they report, which is most of a lockfile's lines).
pub fn count_newlines(bytes: &[u8]) -> usize {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        let x = u64::from_ne_bytes(chunk.try_into().expect("eight bytes")) ^ NEWLINES;
        // The high bit of each byte of `nonzero` is set exactly where `x`'s byte is not zero
        // (no carry crosses bytes: each byte's low seven bits plus 0x7f stays below 0x100).
        let nonzero = ((x & LOW7) + LOW7) | x;
        count += 8 - (nonzero & !LOW7).count_ones() as usize;
    }
    count + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Line numbers of many offsets in one text: the newlines are found once, then each lookup
/// is a binary search (`line_of_offset` counts from the start every time).
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(at, _)| at)
                .collect(),
        }
    }

    /// The 1-based line of a byte offset, as `line_of_offset` gives it.
    pub fn line(&self, offset: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < offset)
    }
}

/// Drops the ` at line N column M` that serde_json appends, since diagnostics carry the line.
pub fn without_position(message: &str) -> String {
    let mut out = message.to_string();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + " at line ".len()..];
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let tail = &rest[digits..];
        let Some(after_column) = tail.strip_prefix(" column ") else {
            break;
        };
        let col_digits = after_column
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_column.len());
        out = format!("{}{}", &out[..i], &after_column[col_digits..]);
    }
    out
}

/// Whether every byte passes `allowed`. A document-wide screen (the fast YAML and TOML
/// readers make one before reading): tested a block at a time without stopping early, which
/// the compiler turns into vector instructions, where a byte-at-a-time `all` is not.
pub fn every_byte(bytes: &[u8], allowed: impl Fn(u8) -> bool) -> bool {
    bytes
        .chunks(64)
        .all(|block| block.iter().fold(true, |ok, &b| ok & allowed(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_newlines_as_a_plain_count_does() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Newlines, their neighbours in value, and high bytes.
                    [b'\n', b'\x0b', b'\t', 0x8a, 0xff, 0, b'a'][(state % 7) as usize]
                })
                .collect();
            let plain = bytes.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(count_newlines(&bytes), plain, "{bytes:?}");
        }
    }

    #[test]
    fn every_byte_looks_at_every_block() {
        let mut text = vec![b'a'; 1000];
        assert!(every_byte(&text, |b| b == b'a'));
        text[999] = b'\r';
        assert!(!every_byte(&text, |b| b == b'a'));
        assert!(every_byte(&text[..64], |b| b == b'a'));
        assert!(every_byte(b"", |_| false));
    }

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of_offset(b"a\nb\nc", 0), 1);
        assert_eq!(line_of_offset(b"a\nb\nc", 2), 2);
        assert_eq!(line_of_offset(b"a\nb\nc", 99), 3);
    }

    #[test]
    fn the_line_index_agrees_with_counting() {
        let text = "first\n\nthird line\nfourth\n";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            assert_eq!(
                index.line(offset),
                line_of_offset(text.as_bytes(), offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn positions_are_dropped_from_parser_messages() {
        assert_eq!(
            without_position("EOF while parsing a string at line 5 column 3"),
            "EOF while parsing a string"
        );
        assert_eq!(
            without_position("did not find ',' at line 61 column 15, while parsing a flow mapping at line 59 column 3"),
            "did not find ',', while parsing a flow mapping"
        );
        assert_eq!(without_position("nothing here"), "nothing here");
    }

    #[test]
    fn binary_and_bad_utf8_are_reported_with_line() {
        assert_eq!(decode_utf8(b"x\n\0").unwrap_err().0, Some(2));
        assert_eq!(decode_utf8(b"ok\n\nbad \xff").unwrap_err().0, Some(3));
        assert_eq!(decode_utf8(b"\xEF\xBB\xBFhi").unwrap(), "hi");
    }
}
