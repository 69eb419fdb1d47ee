//! `stack.yaml.lock`: the extra dependencies Stack pinned beyond its snapshot (`packages`,
//! each `completed` as a Hackage package with the SHA-256 and size of its `.cabal` revision,
//! a git or hg repository at a commit, or an archive URL) and the snapshot itself (`snapshots`:
//! its URL and SHA-256, kept on the project). The file has no edges: the project links to each
//! package. The Hackage hash is of the `.cabal` file revision, not of the package archive, so
//! it is a property (like the pantry tree hash), not the component's hash.

use super::split_name_version;
use crate::collect::{CollectContext, Collected, Collector, SourceFile};
use crate::diagnostic::Diagnostic;
use crate::model::{Component, DependencyKind, Ecosystem, Source};
use crate::tree::parent;
use serde_yaml_ng::Value;

pub struct StackLock;

impl Collector for StackLock {
    fn id(&self) -> &'static str {
        "stack-yaml-lock"
    }

    fn file_names(&self) -> &'static str {
        "stack.yaml.lock"
    }

    fn claims(&self, _path: &str, name: &str) -> bool {
        name == "stack.yaml.lock"
    }

    fn collect(&self, file: &SourceFile<'_>, _ctx: &CollectContext<'_>) -> Result<Collected, Diagnostic> {
        let text =
            crate::text::decode_utf8(file.bytes).map_err(|(line, msg)| Diagnostic::error(file.path, line, msg))?;
        let doc: Value = crate::collect::parse_yaml(file.path, text, "stack.yaml.lock")?;
        if !doc.is_mapping() {
            return Err(Diagnostic::error(
                file.path,
                None,
                "not a stack.yaml.lock: expected a mapping",
            ));
        }
        let dir = parent(file.path);
        let mut out = Collected::default();
        let mut root = crate::collect::project(Ecosystem::Hackage, None, None, None, dir, file.path)
            .map_err(|m| Diagnostic::error(file.path, None, m))?;
        for snapshot in doc.get("snapshots").and_then(Value::as_sequence).into_iter().flatten() {
            let completed = snapshot.get("completed");
            let name = snapshot
                .get("original")
                .and_then(|o| o.as_str().or_else(|| o.get("url").and_then(Value::as_str)));
            if let Some(name) = name {
                root.properties.insert("stack:snapshot".into(), name.to_string());
            }
            if let Some(url) = completed.and_then(|c| c.get("url")).and_then(Value::as_str) {
                root.properties.insert("stack:snapshot-url".into(), url.to_string());
            }
            if let Some(sha) = completed.and_then(|c| c.get("sha256")).and_then(Value::as_str) {
                root.properties.insert("stack:snapshot-sha256".into(), sha.to_string());
            }
        }
        let packages = doc
            .get("packages")
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default();
        for (i, p) in packages.iter().enumerate() {
            let completed = p
                .get("completed")
                .ok_or_else(|| Diagnostic::error(file.path, None, format!("package {}: no `completed`", i + 1)))?;
            let mut c = component(completed)
                .map_err(|m| Diagnostic::error(file.path, None, format!("package {}: {m}", i + 1)))?;
            c.found_in(file.path, None);
            out.depend(&root.id, c, DependencyKind::Normal);
        }
        out.components.push(root);
        Ok(out)
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)?.as_str()
}

fn component(completed: &Value) -> Result<Component, String> {
    let mut c = if let Some(h) = text(completed, "hackage") {
        // `name-version@sha256:HASH,SIZE` (or `@rev:N`)
        let (pkg, revision) = h.split_once('@').unwrap_or((h, ""));
        let (name, version) = split_name_version(pkg).ok_or_else(|| format!("cannot read `{h}`"))?;
        let mut c = Component::new(Ecosystem::Hackage, None, name, Some(version), Source::DefaultRegistry)
            .map_err(|e| format!("cannot build a purl: {e}"))?;
        if let Some(sha) = revision.strip_prefix("sha256:") {
            let (sha, size) = sha.split_once(',').unwrap_or((sha, ""));
            c.properties
                .insert("hackage:cabal-file-sha256".into(), sha.to_ascii_lowercase());
            if !size.is_empty() {
                c.properties.insert("hackage:cabal-file-size".into(), size.to_string());
            }
        } else if let Some(rev) = revision.strip_prefix("rev:") {
            c.properties.insert("hackage:revision".into(), rev.to_string());
        }
        c
    } else {
        let name = text(completed, "name").ok_or("no package name")?;
        let version = text(completed, "version");
        let source = if let Some(repo) = text(completed, "git").or_else(|| text(completed, "hg")) {
            Source::Git {
                url: repo.to_string(),
                reference: None,
                revision: text(completed, "commit").map(str::to_string),
            }
        } else if let Some(url) = text(completed, "url") {
            Source::Url { url: url.to_string() }
        } else {
            return Err(format!("`{name}`: neither hackage, git, hg nor url"));
        };
        let mut c = Component::new(Ecosystem::Hackage, None, name, version, source)
            .map_err(|e| format!("cannot build a purl: {e}"))?;
        if let Some(sub) = text(completed, "subdir") {
            c.properties.insert("stack:subdir".into(), sub.to_string());
        }
        c
    };
    if let Some(tree) = completed
        .get("pantry-tree")
        .and_then(|t| t.get("sha256"))
        .and_then(Value::as_str)
    {
        c.properties.insert("stack:pantry-tree-sha256".into(), tree.to_string());
    }
    Ok(c)
}
