//! SPDX element ids: readable, safe, and derived from the component id.

use sha2::{Digest, Sha256};

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
        let id = spdx_package_id("npm", "@types/node", Some("1.0.0+b"), "pkg:npm/%40types/node@1.0.0+b");
        assert!(id.starts_with("SPDXRef-Package-npm--types-node-1.0.0-b-"), "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
    }
}
