//! The parse floor's unit of work: one lockfile parsed into a generic document by its syntax.

/// Parses by the file's syntax; true when the document was well-formed.
pub fn parse(path: &str, bytes: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match (name, ext) {
        // bun.lock is JSON with trailing commas: made strict first, as bomsight does.
        ("bun.lock", _) => serde_json::from_str::<serde_json::Value>(&bomsight::collect::strip_jsonc(text)).is_ok(),
        ("composer.lock" | "Package.resolved" | "conan.lock" | "Pipfile.lock", _) | (_, "json") => {
            serde_json::from_str::<serde_json::Value>(text).is_ok()
        }
        ("Cargo.lock" | "poetry.lock" | "uv.lock" | "pdm.lock", _) | (_, "toml") => text.parse::<toml::Table>().is_ok(),
        ("pubspec.lock" | "Podfile.lock" | "stack.yaml.lock", _) | (_, "yaml" | "yml") => {
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_ok()
        }
        ("yarn.lock", _) if text.contains("__metadata:") => {
            serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).is_ok()
        }
        // XML's generic document is its element tree (names, attributes, text), as the
        // other syntaxes' are their value trees.
        (_, "xml" | "csproj" | "fsproj" | "vbproj" | "config" | "props") => bomsight::xml::parse(text).is_ok(),
        _ => text.lines().count() > 0,
    }
}
