//! Identifiers derived from content: document UUIDs and SPDX element ids.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A UUID v5 (URL namespace) whose name is the SHA-256 of the document bytes written to it,
/// so identical content always gets the same serial number. Computed as the bytes stream
/// past: no document is held in memory to be named. SHA-256 rather than v5's own SHA-1 over
/// the whole document: the processor computes it in hardware, several times faster.
pub struct ContentUuid(Sha256);

impl ContentUuid {
    pub fn new() -> ContentUuid {
        ContentUuid(Sha256::new())
    }

    pub fn finish(self) -> Uuid {
        Uuid::new_v5(&Uuid::NAMESPACE_URL, &self.0.finalize())
    }
}

impl Default for ContentUuid {
    fn default() -> Self {
        ContentUuid::new()
    }
}

impl std::io::Write for ContentUuid {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Replaces every character SPDX ids do not allow (`[A-Za-z0-9.-]`) with `-`.
pub fn spdx_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A readable, unique SPDX id for a component id: readable part plus a short digest of the id.
pub fn spdx_package_id(ecosystem: &str, name: &str, version: Option<&str>, component_id: &str) -> String {
    let digest = Sha256::digest(component_id.as_bytes());
    let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let version = version.map(|v| format!("-{}", spdx_safe(v))).unwrap_or_default();
    format!("SPDXRef-Package-{ecosystem}-{}{version}-{short}", spdx_safe(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_safe() {
        let mut streamed = ContentUuid::new();
        std::io::Write::write_all(&mut streamed, b"some ").unwrap();
        std::io::Write::write_all(&mut streamed, b"document").unwrap();
        let named = Uuid::new_v5(&Uuid::NAMESPACE_URL, &Sha256::digest(b"some document"));
        assert_eq!(streamed.finish(), named);
        assert_eq!(named.get_version_num(), 5);
        let id = spdx_package_id("npm", "@types/node", Some("1.0.0+b"), "pkg:npm/%40types/node@1.0.0+b");
        assert!(id.starts_with("SPDXRef-Package-npm--types-node-1.0.0-b-"), "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
    }
}
