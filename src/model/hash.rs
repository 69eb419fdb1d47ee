//! Integrity hashes: an algorithm and a digest (read from hex or raw bytes, checked for length,
//! written as lowercase hex).

use std::fmt;

/// The hash algorithms lockfiles and SBOMs use, ordered from weakest to strongest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HashAlgorithm {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Blake2b256,
    Blake2b384,
    Blake2b512,
    Blake3,
}

impl HashAlgorithm {
    /// Length in hex digits of a digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            HashAlgorithm::Md5 => 32,
            HashAlgorithm::Sha1 => 40,
            HashAlgorithm::Sha256 | HashAlgorithm::Sha3_256 | HashAlgorithm::Blake2b256 | HashAlgorithm::Blake3 => 64,
            HashAlgorithm::Sha384 | HashAlgorithm::Sha3_384 | HashAlgorithm::Blake2b384 => 96,
            HashAlgorithm::Sha512 | HashAlgorithm::Sha3_512 | HashAlgorithm::Blake2b512 => 128,
        }
    }

    /// The spelling CycloneDX uses (`SHA-256`).
    pub fn cyclonedx_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA-1",
            HashAlgorithm::Sha256 => "SHA-256",
            HashAlgorithm::Sha384 => "SHA-384",
            HashAlgorithm::Sha512 => "SHA-512",
            HashAlgorithm::Sha3_256 => "SHA3-256",
            HashAlgorithm::Sha3_384 => "SHA3-384",
            HashAlgorithm::Sha3_512 => "SHA3-512",
            HashAlgorithm::Blake2b256 => "BLAKE2b-256",
            HashAlgorithm::Blake2b384 => "BLAKE2b-384",
            HashAlgorithm::Blake2b512 => "BLAKE2b-512",
            HashAlgorithm::Blake3 => "BLAKE3",
        }
    }

    /// The spelling SPDX 2.3 uses (`SHA256`).
    pub fn spdx_name(self) -> &'static str {
        match self {
            HashAlgorithm::Md5 => "MD5",
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
            HashAlgorithm::Sha384 => "SHA384",
            HashAlgorithm::Sha512 => "SHA512",
            HashAlgorithm::Sha3_256 => "SHA3-256",
            HashAlgorithm::Sha3_384 => "SHA3-384",
            HashAlgorithm::Sha3_512 => "SHA3-512",
            HashAlgorithm::Blake2b256 => "BLAKE2b-256",
            HashAlgorithm::Blake2b384 => "BLAKE2b-384",
            HashAlgorithm::Blake2b512 => "BLAKE2b-512",
            HashAlgorithm::Blake3 => "BLAKE3",
        }
    }

    /// Reads any common spelling: `sha256`, `SHA-256`, `sha3_256`, `blake2b-256`.
    pub fn parse(name: &str) -> Option<HashAlgorithm> {
        // Letters and digits only, lowercased, on the stack (every SBOM hash goes through here).
        let mut key = [0u8; 12];
        let mut len = 0;
        for b in name.bytes().filter(u8::is_ascii_alphanumeric) {
            *key.get_mut(len)? = b.to_ascii_lowercase();
            len += 1;
        }
        Some(match &key[..len] {
            b"md5" => HashAlgorithm::Md5,
            b"sha1" => HashAlgorithm::Sha1,
            b"sha256" => HashAlgorithm::Sha256,
            b"sha384" => HashAlgorithm::Sha384,
            b"sha512" => HashAlgorithm::Sha512,
            b"sha3256" => HashAlgorithm::Sha3_256,
            b"sha3384" => HashAlgorithm::Sha3_384,
            b"sha3512" => HashAlgorithm::Sha3_512,
            b"blake2b256" => HashAlgorithm::Blake2b256,
            b"blake2b384" => HashAlgorithm::Blake2b384,
            b"blake2b512" => HashAlgorithm::Blake2b512,
            b"blake3" => HashAlgorithm::Blake3,
            _ => return None,
        })
    }
}

/// A digest as a lockfile records it. Kept as bytes; shown as lowercase hex.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash {
    pub algorithm: HashAlgorithm,
    digest: Digest,
}

/// A digest's bytes, inline: the longest (SHA-512 and its kin) is 64 bytes, and a component
/// rarely has more than two digests, so one small array beats a heap string of twice the size.
/// Within one algorithm all digests have one length, so comparing the padded arrays orders
/// them as their hex would be ordered.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Digest {
    bytes: [u8; 64],
    len: u8,
}

impl Digest {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, self.as_slice())
    }
}

fn write_hex(f: &mut dyn fmt::Write, bytes: &[u8]) -> fmt::Result {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        f.write_char(char::from(DIGITS[usize::from(byte >> 4)]))?;
        f.write_char(char::from(DIGITS[usize::from(byte & 0xf)]))?;
    }
    Ok(())
}

/// Why a digest string was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HashError {
    #[error("{algorithm} digest `{value}` should be {expected} hex digits")]
    Length {
        algorithm: &'static str,
        value: String,
        expected: usize,
    },
    #[error("{algorithm} digest `{value}` is not hexadecimal")]
    NotHex { algorithm: &'static str, value: String },
}

impl Hash {
    /// Checks that `hex` is a digest of `algorithm` and normalizes it to lowercase.
    pub fn from_hex(algorithm: HashAlgorithm, hex: &str) -> Result<Hash, HashError> {
        let hex = hex.trim();
        let name = algorithm.cyclonedx_name();
        // Without stopping early, so the check runs over many bytes at a time.
        if !hex.bytes().fold(true, |ok, b| ok & b.is_ascii_hexdigit()) {
            return Err(HashError::NotHex {
                algorithm: name,
                value: hex.to_string(),
            });
        }
        if hex.len() != algorithm.hex_len() {
            return Err(HashError::Length {
                algorithm: name,
                value: hex.to_string(),
                expected: algorithm.hex_len(),
            });
        }
        let nibble = |b: u8| match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => b - b'A' + 10,
        };
        let mut digest = Digest {
            bytes: [0; 64],
            len: (hex.len() / 2) as u8,
        };
        for (slot, pair) in digest.bytes.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            *slot = nibble(pair[0]) << 4 | nibble(pair[1]);
        }
        Ok(Hash { algorithm, digest })
    }

    /// A raw digest (as base64 carries it) as a hash of `algorithm`, checked for length.
    pub fn from_bytes(algorithm: HashAlgorithm, digest: &[u8]) -> Result<Hash, HashError> {
        if digest.len() * 2 != algorithm.hex_len() {
            let mut value = String::with_capacity(digest.len() * 2);
            write_hex(&mut value, digest).expect("a String accepts every character");
            return Err(HashError::Length {
                algorithm: algorithm.cyclonedx_name(),
                value,
                expected: algorithm.hex_len(),
            });
        }
        let mut bytes = [0; 64];
        bytes[..digest.len()].copy_from_slice(digest);
        Ok(Hash {
            algorithm,
            digest: Digest {
                bytes,
                len: digest.len() as u8,
            },
        })
    }

    /// The digest in lowercase hex, as SBOMs and lockfiles write it.
    pub fn hex(&self) -> String {
        let mut out = String::with_capacity(usize::from(self.digest.len) * 2);
        write_hex(&mut out, self.digest.as_slice()).expect("a String accepts every character");
        out
    }

    pub fn bytes(&self) -> &[u8] {
        self.digest.as_slice()
    }
}

/// Subresource-integrity strings (`sha512-BASE64`, several separated by spaces), as npm,
/// NuGet's deps.json and others write them, as hex hashes.
pub fn parse_sri(text: &str) -> Result<super::Hashes, String> {
    use base64::Engine;
    let mut out = super::Hashes::new();
    for part in text.split_ascii_whitespace() {
        let (alg, b64) = part
            .split_once('-')
            .ok_or_else(|| format!("integrity `{part}` is not ALG-BASE64"))?;
        let algorithm =
            HashAlgorithm::parse(alg).ok_or_else(|| format!("integrity `{part}`: unknown algorithm `{alg}`"))?;
        let b64 = b64.split('?').next().unwrap_or(b64);
        // Every digest fits 64 bytes: decoded on the stack; anything else the slow way, which
        // names the problem.
        let mut digest = [0u8; 64];
        let decoded;
        let bytes: &[u8] = match base64::engine::general_purpose::STANDARD.decode_slice(b64, &mut digest) {
            Ok(len) => &digest[..len],
            Err(_) => {
                decoded = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|e| format!("integrity `{part}`: {e}"))?;
                &decoded
            }
        };
        out.insert(Hash::from_bytes(algorithm, bytes).map_err(|e| e.to_string())?);
    }
    Ok(out)
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.algorithm.spdx_name().to_ascii_lowercase())?;
        write_hex(f, self.digest.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_digests_of_every_length() {
        use base64::Engine;
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        let sha512 = parse_sri(&format!("sha512-{}", b64(&[7u8; 64]))).unwrap();
        assert_eq!(sha512.iter().next().unwrap().bytes(), &[7u8; 64][..]);
        // Longer than any digest: decoded anyway, then refused for its length.
        let long = parse_sri(&format!("sha512-{}", b64(&[7u8; 65]))).unwrap_err();
        assert!(long.contains("should be 128 hex digits"), "{long}");
        let bad = parse_sri("sha512-!!").unwrap_err();
        assert!(bad.starts_with("integrity `sha512-!!`: "), "{bad}");
        // Separated by ASCII white space of any kind.
        assert_eq!(
            parse_sri(&format!("sha1-{}\t sha512-{}", b64(&[1u8; 20]), b64(&[2u8; 64])))
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn normalizes_case_and_checks_length() {
        let h = Hash::from_hex(HashAlgorithm::Sha1, "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709").unwrap();
        assert_eq!(h.hex(), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(h.to_string(), "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709");
        let same = Hash::from_bytes(HashAlgorithm::Sha1, h.bytes()).unwrap();
        assert_eq!(same, h);
        assert!(Hash::from_bytes(HashAlgorithm::Sha256, h.bytes()).is_err());
        assert!(matches!(
            Hash::from_hex(HashAlgorithm::Sha256, "abcd"),
            Err(HashError::Length { .. })
        ));
        assert!(matches!(
            Hash::from_hex(HashAlgorithm::Md5, "zz"),
            Err(HashError::NotHex { .. })
        ));
    }

    #[test]
    fn parses_common_spellings() {
        assert_eq!(HashAlgorithm::parse("SHA-256"), Some(HashAlgorithm::Sha256));
        assert_eq!(HashAlgorithm::parse("sha3_512"), Some(HashAlgorithm::Sha3_512));
        assert_eq!(HashAlgorithm::parse("BLAKE2b-256"), Some(HashAlgorithm::Blake2b256));
        assert_eq!(HashAlgorithm::parse("crc32"), None);
        assert_eq!(HashAlgorithm::parse("sha-256-but-much-longer-than-any-name"), None);
        assert_eq!(HashAlgorithm::parse(""), None);
    }
}
