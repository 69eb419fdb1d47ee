//! SPDX element ids: readable, safe, and derived from the component id.

use sha2::{Digest, Sha256};

/// Replaces every character SPDX ids do not allow (`[A-Za-z0-9.-]`) with `-`.
pub fn spdx_safe(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    push_spdx_safe(&mut safe, text);
    safe
}

fn push_spdx_safe(out: &mut String, text: &str) {
    out.extend(text.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            c
        } else {
            '-'
        }
    }));
}

/// A readable, unique SPDX id for a component id: readable part plus a short digest of the id
/// (`SPDXRef-Package-{ecosystem}-{name}[-{version}]-{8 hex digits}`).
pub fn spdx_package_id(ecosystem: &str, name: &str, version: Option<&str>, component_id: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(component_id.as_bytes());
    let mut id = String::with_capacity(36 + ecosystem.len() + name.len() + version.map_or(0, str::len));
    id.push_str("SPDXRef-Package-");
    id.push_str(ecosystem);
    id.push('-');
    push_spdx_safe(&mut id, name);
    if let Some(v) = version {
        id.push('-');
        push_spdx_safe(&mut id, v);
    }
    id.push('-');
    for b in &digest[..4] {
        id.push(char::from(HEX[usize::from(b >> 4)]));
        id.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_safe() {
        let id = spdx_package_id("npm", "@types/node", Some("1.0.0+b"), "pkg:npm/%40types/node@1.0.0+b");
        assert!(id.starts_with("SPDXRef-Package-npm--types-node-1.0.0-b-"), "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
        let digest = Sha256::digest(b"pkg:npm/%40types/node@1.0.0+b");
        let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        assert_eq!(id, format!("SPDXRef-Package-npm--types-node-1.0.0-b-{short}"));
        let unversioned = spdx_package_id("cargo", "café_x", None, "pkg:cargo/x");
        assert!(
            unversioned.starts_with("SPDXRef-Package-cargo-caf--x-"),
            "{unversioned}"
        );
        assert_eq!(unversioned.len(), "SPDXRef-Package-cargo-caf--x-".len() + 8);
    }
}
