//! Go binaries (ELF, Mach-O, PE): the build information the Go linker embeds
//! (`runtime/debug.BuildInfo`), so a built program can be inventoried without its source.
//! Go 1.18 and later write it inline after the `\xff Go buildinf:` header: the Go version,
//! then the module information (`path`, `mod`, `dep` lines with versions and `h1:` sums, `=>`
//! replacements). Older binaries point into the data segment; they are reported, not read.

use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{DependencyKind, Edge, Role, Source};

pub struct GoBinary;

const MAGIC: &[u8] = b"\xff Go buildinf:";
/// Texts that are never programs: not worth reading.
const TEXT_NAMES: &[&str] = &[
    "LICENSE",
    "README",
    "Makefile",
    "Dockerfile",
    "CODEOWNERS",
    "AUTHORS",
    "NOTICE",
    "CHANGELOG",
    "VERSION",
    "Procfile",
    "Gemfile",
    "Rakefile",
    "Jenkinsfile",
    "Vagrantfile",
];

fn is_program(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
        || bytes.starts_with(b"MZ")
        || [
            [0xfe, 0xed, 0xfa, 0xce],
            [0xfe, 0xed, 0xfa, 0xcf],
            [0xce, 0xfa, 0xed, 0xfe],
            [0xcf, 0xfa, 0xed, 0xfe],
        ]
        .iter()
        .any(|m| bytes.starts_with(m))
}

/// A Go varint-prefixed string at `at`; returns it and the offset after it.
fn read_string(bytes: &[u8], mut at: usize) -> Option<(&[u8], usize)> {
    let mut len: usize = 0;
    let mut shift = 0;
    loop {
        let b = *bytes.get(at)?;
        at += 1;
        len |= ((b & 0x7f) as usize).checked_shl(shift)?;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 35 {
            return None;
        }
    }
    let end = at.checked_add(len)?;
    Some((bytes.get(at..end)?, end))
}

/// (Go version, module information) of a Go 1.18+ binary.
pub fn build_info(bytes: &[u8]) -> Result<Option<(String, String)>, String> {
    let Some(start) = bytes
        .windows(MAGIC.len())
        .enumerate()
        .step_by(16)
        .find(|(_, w)| *w == MAGIC)
        .map(|(i, _)| i)
    else {
        return Ok(None);
    };
    let flags = *bytes.get(start + 15).ok_or("truncated build information")?;
    if flags & 2 == 0 {
        return Err("Go before 1.18 stores its build information by address; not read".into());
    }
    let (version, next) = read_string(bytes, start + 32).ok_or("truncated Go version")?;
    let (modinfo, _) = read_string(bytes, next).ok_or("truncated module information")?;
    // The module information is framed by 16 bytes of sentinel on each side.
    let inner = if modinfo.len() >= 32 {
        &modinfo[16..modinfo.len() - 16]
    } else {
        modinfo
    };
    Ok(Some((
        String::from_utf8_lossy(version).into_owned(),
        String::from_utf8_lossy(inner).into_owned(),
    )))
}

impl Collector for GoBinary {
    fn id(&self) -> &'static str {
        "go-binary"
    }

    fn file_names(&self) -> &'static str {
        "Go programs (ELF, Mach-O, PE: files without an extension, or .exe), Go 1.18+"
    }

    fn speculative(&self) -> bool {
        true
    }

    fn sniff(&self, head: &[u8]) -> bool {
        is_program(head)
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        (!name.contains('.') && !TEXT_NAMES.iter().any(|t| name.eq_ignore_ascii_case(t))) || name.ends_with(".exe")
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let mut out = Collected::default();
        if !is_program(file.bytes) {
            return Ok(out);
        }
        let (go, info) = match build_info(file.bytes) {
            Ok(Some(x)) => x,
            Ok(None) => return Ok(out), // a program, not a Go one
            Err(m) => {
                out.diagnostics.push(Diagnostic::warning(file.path, None, m));
                return Ok(out);
            }
        };
        let mut root: Option<crate::model::Component> = None;
        let mut deps: Vec<crate::model::Component> = Vec::new();
        for line in info.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["mod", path, version, rest @ ..] => {
                    let version = Some(*version).filter(|v| *v != "(devel)");
                    let mut c = super::package(
                        path,
                        version,
                        Source::Path {
                            path: Some(file.path.to_string()),
                        },
                    )
                    .map_err(|m| Diagnostic::error(file.path, None, m))?;
                    c.role = Role::Project;
                    c.purpose = crate::model::Purpose::Application;
                    c.properties.insert("go:go".into(), go.clone());
                    if let Some(h1) = rest.first() {
                        c.properties.insert("go:h1".into(), h1.to_string());
                    }
                    c.found_in(file.path, None);
                    root = Some(c);
                }
                ["dep", path, version, rest @ ..] => {
                    let mut c = super::package(path, Some(version), Source::DefaultRegistry)
                        .map_err(|m| Diagnostic::error(file.path, None, m))?;
                    if let Some(h1) = rest.first() {
                        c.properties.insert("go:h1".into(), h1.to_string());
                    }
                    c.found_in(file.path, None);
                    deps.push(c);
                }
                ["=>", path, version, rest @ ..] => {
                    // Replaces the `dep` line above it.
                    if let Some(last) = deps.pop() {
                        let replaced = format!(
                            "{} {}",
                            last.display_name_without_version(),
                            last.version.clone().unwrap_or_default()
                        );
                        let source = if version.is_empty() || *version == "(devel)" {
                            Source::Path {
                                path: Some(path.to_string()),
                            }
                        } else {
                            Source::DefaultRegistry
                        };
                        let mut c = super::package(
                            path,
                            Some(*version).filter(|v| !v.is_empty() && *v != "(devel)"),
                            source,
                        )
                        .map_err(|m| Diagnostic::error(file.path, None, m))?;
                        c.properties.insert("go:replaces".into(), replaced);
                        if let Some(h1) = rest.first() {
                            c.properties.insert("go:h1".into(), h1.to_string());
                        }
                        c.locations = last.locations;
                        deps.push(c);
                    }
                }
                _ => {}
            }
        }
        let Some(root) = root else {
            out.diagnostics.push(Diagnostic::warning(
                file.path,
                None,
                "Go build information without a `mod` line",
            ));
            return Ok(out);
        };
        for d in deps {
            out.edges.push(Edge {
                from: root.id.clone(),
                to: d.id.clone(),
                kind: DependencyKind::Normal,
            });
            out.components.push(d);
        }
        out.components.push(root);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ELF-looking file with Go 1.18+ build information, laid out as the linker does.
    pub fn fake_binary(modinfo: &str) -> Vec<u8> {
        let mut b = b"\x7fELF".to_vec();
        b.resize(4096, 0);
        b.extend_from_slice(MAGIC);
        b.push(8); // pointer size
        b.push(2); // flags: inline strings
        b.resize(4096 + 32, 0);
        let push = |b: &mut Vec<u8>, s: &[u8]| {
            let mut n = s.len();
            loop {
                let byte = (n & 0x7f) as u8;
                n >>= 7;
                b.push(if n > 0 { byte | 0x80 } else { byte });
                if n == 0 {
                    break;
                }
            }
            b.extend_from_slice(s);
        };
        push(&mut b, b"go1.22.3");
        let framed = [&[0x30u8; 16][..], modinfo.as_bytes(), &[0x31u8; 16][..]].concat();
        push(&mut b, &framed);
        b.resize(b.len() + 100, 0);
        b
    }

    #[test]
    fn reads_inline_build_information() {
        let info =
            "path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:abc=\ndep\tgolang.org/x/text\tv0.14.0\th1:def=\n";
        let (go, modinfo) = build_info(&fake_binary(info)).unwrap().unwrap();
        assert_eq!(go, "go1.22.3");
        assert_eq!(modinfo, info);
        assert_eq!(build_info(b"\x7fELF and nothing else").unwrap(), None);
    }
}
