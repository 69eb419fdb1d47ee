//! Collectors turn one lockfile or manifest into components and edges.
//!
//! Every collector implements [`Collector`] and is listed once in [`COLLECTORS`]. Adding an
//! ecosystem means one new module, one line in that list, and one `testdata/` folder.

mod cargo;
mod cocoapods;
mod cpp;
mod dart;
pub mod distinct;
mod dotnet;
mod go;
mod gradle;
mod haskell;
mod hex;
pub mod in_order;
mod javascript;
mod maven;
pub mod memo;
mod php;
mod python;
mod ruby;
mod swift;

use crate::diagnostic::Diagnostic;
use crate::model::{Component, Edge};
use crate::tree::Tree;

pub use javascript::strip_jsonc;

/// Every collector bomsight runs, in the order they are tried on each file name.
pub static COLLECTORS: &[&dyn Collector] = &[
    &cargo::CargoLock,
    &python::RequirementsTxt,
    &python::PoetryLock,
    &python::PipfileLock,
    &python::UvLock,
    &python::PdmLock,
    &python::PyLock,
    &python::PyprojectOnly,
    &javascript::PackageLock,
    &javascript::YarnClassicLock,
    &javascript::YarnBerryLock,
    &javascript::PnpmLock,
    &javascript::BunLock,
    &javascript::PackageJsonOnly,
    &go::GoMod,
    &go::GoWork,
    &go::GoBinary,
    &dotnet::NugetLock,
    &dotnet::PackagesConfig,
    &dotnet::DepsJson,
    &dotnet::ProjectFile,
    &gradle::GradleLock,
    &gradle::VerificationMetadata,
    &gradle::VersionCatalog,
    &maven::PomXml,
    &ruby::GemfileLock,
    &ruby::GemfileOnly,
    &php::ComposerLock,
    &dart::PubspecLock,
    &swift::PackageResolved,
    &cocoapods::PodfileLock,
    &hex::MixLock,
    &hex::RebarLock,
    &haskell::StackLock,
    &haskell::CabalFreeze,
    &cpp::ConanLock,
    &cpp::ConanfileTxt,
    &cpp::VcpkgManifest,
];

/// A lockfile reader.
pub trait Collector: Sync {
    /// Stable kebab-case id (`cargo-lock`), used in messages and SBOM properties.
    fn id(&self) -> &'static str;
    /// The file names this collector reads (for the README's table and `--help`).
    fn file_names(&self) -> &'static str;
    /// Whether this collector reads the file at this root-relative path, whose file name
    /// (`file_name(path)`, found once for all collectors) is `name`.
    fn claims(&self, path: &str, name: &str) -> bool;
    /// Reads one file. Problems that spoil the whole file are the `Err`; problems with parts
    /// of it go in [`Collected::diagnostics`] and the rest is kept.
    fn collect(&self, file: &SourceFile<'_>, ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic>;
    /// True for a collector that claims files by a loose pattern (any extensionless file) and
    /// decides by their content: a file only it claims is not listed, nor its read failure
    /// reported, unless it found something.
    fn speculative(&self) -> bool {
        false
    }
    /// For a speculative collector: whether a file starting with these bytes (at most
    /// [`SNIFF_BYTES`]) may be one of its own. The scan reads the whole file only then.
    fn sniff(&self, _head: &[u8]) -> bool {
        true
    }
}

/// How much of a file speculative collectors see before the scan decides to read it whole.
pub const SNIFF_BYTES: usize = 16;

/// The file being read: its root-relative path and its bytes.
pub struct SourceFile<'a> {
    pub path: &'a str,
    pub bytes: &'a [u8],
}

/// What a collector may use besides the file: the tree it sits in (for neighbouring
/// manifests) and the user's options.
pub struct CollectContext<'a> {
    pub tree: &'a dyn Tree,
    /// Every file of the tree a collector may claim (root-relative, sorted), when the scan's
    /// walk skipped only the default directories (no `--exclude`): an index of the whole tree
    /// can use this list instead of walking the tree again. `None` otherwise.
    pub walked: Option<&'a [String]>,
    pub options: &'a CollectOptions,
    /// Indexes collectors build once per scan.
    pub memo: &'a memo::Memo,
}

/// Opt-in behaviour of collectors.
#[derive(Clone, Debug, Default)]
pub struct CollectOptions {
    /// Run `cargo metadata --locked --offline` to add licenses, authors and descriptions.
    pub cargo_metadata: bool,
}

/// The result of reading one file.
#[derive(Debug, Default)]
pub struct Collected {
    pub components: Vec<Component>,
    pub edges: Vec<Edge>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Collected {
    /// Keeps a component as a dependency of `from`.
    pub fn depend(&mut self, from: &crate::model::ComponentId, to: Component, kind: crate::model::DependencyKind) {
        self.edges.push(Edge {
            from: from.clone(),
            to: to.id.clone(),
            kind,
        });
        self.components.push(to);
    }
}

/// The collectors that read the file at this root-relative path.
pub fn collectors_for(path: &str) -> impl Iterator<Item = &'static dyn Collector> + '_ {
    let name = file_name(path);
    COLLECTORS.iter().copied().filter(move |c| c.claims(path, name))
}

/// Runs every collector that claims `path` on these bytes, alone in a tree (for fuzzing):
/// each result as a collector returns it.
pub fn collect_bytes(path: &str, bytes: &[u8]) -> Vec<Result<Collected, Diagnostic>> {
    collect_bytes_beside(path, bytes, &[])
}

/// [`collect_bytes`] with other files in the tree beside it (`go.sum` for a `go.mod`), which
/// collectors read as they would on disk.
pub fn collect_bytes_beside(path: &str, bytes: &[u8], beside: &[(&str, &[u8])]) -> Vec<Result<Collected, Diagnostic>> {
    let files = beside.iter().map(|(p, b)| (p.to_string(), b.to_vec()));
    let tree = crate::memory_tree::MemoryTree::new(std::iter::once((path.to_string(), bytes.to_vec())).chain(files));
    let options = CollectOptions::default();
    let memo = memo::Memo::default();
    let ctx = CollectContext {
        tree: &tree,
        walked: None,
        options: &options,
        memo: &memo,
    };
    let file = SourceFile { path, bytes };
    collectors_for(path).map(|c| c.collect(&file, &ctx)).collect()
}

/// A project root found beside a lockfile. One that names itself nowhere is named after its
/// directory and gets no purl: that name is no package.
pub fn project(
    ecosystem: crate::model::Ecosystem,
    namespace: Option<&str>,
    name: Option<&str>,
    version: Option<&str>,
    dir: &str,
    manifest: &str,
) -> Result<Component, String> {
    use crate::model::{Role, Source};
    let path = Source::Path {
        path: Some(if dir.is_empty() { ".".into() } else { dir.to_string() }),
    };
    let fallback = dir_name(dir);
    let shown = name.unwrap_or(&fallback);
    let mut c = Component::new(ecosystem, namespace, shown, version, path)
        .map_err(|e| format!("project `{shown}`: cannot build a purl: {e}"))?;
    if name.is_none() {
        c.purl = None;
    }
    c.role = Role::Project;
    c.found_in(manifest, None);
    Ok(c)
}

/// Parses a JSON lockfile, with the line of any syntax or shape error. `T` may borrow from
/// `text`.
pub fn parse_json<'t, T: serde::Deserialize<'t>>(path: &str, text: &'t str, what: &str) -> Result<T, Diagnostic> {
    parse_json_part(path, text, text, what)
}

/// Parses `part`, a slice of the JSON file `text` that a first reading kept unread (a
/// `RawValue`), with errors at their line in the whole file.
pub fn parse_json_part<'t, T: serde::Deserialize<'t>>(
    path: &str,
    text: &str,
    part: &'t str,
    what: &str,
) -> Result<T, Diagnostic> {
    let start = (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let first_line = crate::text::line_of_offset(text.as_bytes(), start);
    serde_json::from_str(part).map_err(|e| {
        Diagnostic::error(
            path,
            Some(first_line + e.line().saturating_sub(1)),
            format!("invalid {what}: {}", crate::text::without_position(&e.to_string())),
        )
    })
}

/// Parses a TOML lockfile, with the line of any syntax or shape error.
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &str, bytes: &[u8], what: &str) -> Result<T, Diagnostic> {
    let text = crate::text::decode_utf8(bytes).map_err(|(line, msg)| Diagnostic::error(path, line, msg))?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(path, None, "empty file"));
    }
    from_toml(text).map_err(|e| {
        let line = e.span().map(|s| crate::text::line_of_offset(text.as_bytes(), s.start));
        Diagnostic::error(path, line, format!("invalid {what}: {}", e.message().trim()))
    })
}

/// A TOML document read into `T`: by the fast reader where it reads the document and `T`
/// accepts what it built, otherwise by the `toml` crate, whose error says what is wrong.
pub fn from_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, toml::de::Error> {
    let fast = crate::toml_simple::parse_within(text, crate::limits::max_nesting());
    match fast.and_then(|node| T::deserialize(node).ok()) {
        Some(parsed) => Ok(parsed),
        None => toml::from_str(text),
    }
}

/// Parses a YAML lockfile, with the line of any syntax or shape error. Alias expansion is
/// bounded by the parser (a "billion laughs" document is refused), nesting by
/// [`crate::limits`] before the parser starts.
pub fn parse_yaml<'t, T: serde::Deserialize<'t>>(path: &str, text: &'t str, what: &str) -> Result<T, Diagnostic> {
    // Most lockfiles are plain block YAML the fast reader builds the same value from; the
    // full parser reads the rest, and gives the located error when the shape is wrong.
    match crate::yaml_block::parse_node_within(text, crate::limits::max_nesting())
        .and_then(|node| T::deserialize(node).ok())
    {
        Some(parsed) => Ok(parsed),
        None => parse_yaml_fully(path, text, what),
    }
}

/// Parses a YAML lockfile whose top is a mapping into [`Node`](crate::fast_node::Node)s,
/// which borrow their texts from `text` where the fast reader read it (see [`parse_yaml`]).
pub fn parse_yaml_node<'t>(path: &str, text: &'t str, what: &str) -> Result<crate::fast_node::Node<'t>, Diagnostic> {
    use crate::fast_node::Node;
    match crate::yaml_block::parse_node_within(text, crate::limits::max_nesting()) {
        Some(node @ Node::Map(_)) => Ok(node),
        // Anything else goes to the full parser, for its error at the right line (an empty
        // document reads as an empty mapping).
        _ => parse_yaml_fully::<serde_yaml_ng::Mapping>(path, text, what)
            .map(|mapping| Node::from_value(serde_yaml_ng::Value::Mapping(mapping))),
    }
}

/// [`parse_yaml`] by the full parser, after the nesting check that bounds its time (the fast
/// reader keeps within the limit itself).
fn parse_yaml_fully<'t, T: serde::Deserialize<'t>>(path: &str, text: &'t str, what: &str) -> Result<T, Diagnostic> {
    let limit = crate::limits::max_nesting();
    if let Some(at) = crate::limits::yaml_flow_nesting_exceeds(text, limit) {
        return Err(Diagnostic::error(
            path,
            Some(crate::text::line_of_offset(text.as_bytes(), at)),
            format!("invalid {what}: nested deeper than {limit} (--max-nesting)"),
        ));
    }
    serde_yaml_ng::from_str(text).map_err(|e| {
        Diagnostic::error(
            path,
            e.location().map(|l| l.line()),
            format!("invalid {what}: {}", crate::text::without_position(&e.to_string())),
        )
    })
}

/// Parses an XML file (no DOCTYPE, see `crate::xml`), with the line of any syntax error.
pub fn parse_xml(path: &str, bytes: &[u8], what: &str) -> Result<crate::xml::Element, Diagnostic> {
    let text = crate::text::decode_utf8(bytes).map_err(|(line, msg)| Diagnostic::error(path, line, msg))?;
    crate::xml::parse(text).map_err(|(offset, msg)| {
        Diagnostic::error(
            path,
            Some(crate::text::line_of_offset(text.as_bytes(), offset)),
            format!("invalid {what}: {msg}"),
        )
    })
}

/// The name of a directory, for a project that names itself nowhere (`root` at the top).
pub fn dir_name(dir: &str) -> String {
    match dir.rsplit('/').next() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => "root".to_string(),
    }
}

/// Whether one of the files `names` sits in `dir` or a directory above it, up to the root
/// (a workspace member's lockfile is at the workspace root).
pub fn file_in_or_above(tree: &dyn Tree, dir: &str, names: &[&str]) -> bool {
    let mut d = dir.to_string();
    loop {
        if names
            .iter()
            .any(|n| tree.is_file(&crate::tree::join(&d, n).unwrap_or_default()))
        {
            return true;
        }
        if d.is_empty() {
            return false;
        }
        d = crate::tree::parent(&d).to_string();
    }
}

/// Line numbers of repeated table headers (`[[package]]`), in file order.
pub fn header_lines(bytes: &[u8], header: &str) -> Vec<usize> {
    // The header is searched for, not every line looked at: lockfiles of many megabytes have
    // one header per package.
    let blank = |b: &[u8]| b.iter().all(u8::is_ascii_whitespace);
    let mut lines = Vec::new();
    let (mut line, mut counted_to) = (1, 0);
    for at in memchr::memmem::find_iter(bytes, header.as_bytes()) {
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        if blank(&bytes[start..at]) && blank(&bytes[at + header.len()..end]) {
            line += crate::text::count_newlines(&bytes[counted_to..start]);
            counted_to = start;
            lines.push(line);
        }
    }
    lines
}

/// The last component of a root-relative path.
pub fn file_name(path: &str) -> &str {
    // Every collector asks this of every file the walk meets: a byte search, not a splitter.
    match memchr::memrchr(b'/', path.as_bytes()) {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_are_the_lines_that_are_the_header_alone() {
        let text = b"version = 1\n\n[[package]]\nname = \"a\"\n  [[package]]  \r\nx = \"[[package]]\"\n# [[package]]\n\xff\n[[package]]";
        assert_eq!(header_lines(text, "[[package]]"), [3, 5, 9]);
        assert_eq!(header_lines(b"[[package]]\n[[package]]\n", "[[package]]"), [1, 2]);
        assert!(header_lines(b"", "[[package]]").is_empty());
    }

    #[test]
    fn collector_ids_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for c in COLLECTORS {
            assert!(seen.insert(c.id()), "duplicate collector id {}", c.id());
            assert!(
                c.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.id()
            );
        }
    }
}
