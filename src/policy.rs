//! `bomsight.toml`: what fails CI (`fail-on`), severities, internal name patterns, allowed
//! hosts and licenses, per-package exceptions with a reason and an optional expiry, and a
//! baseline of accepted findings. Unknown keys are an error naming the key and line.

use crate::diagnostic::Diagnostic;
use crate::model::Timestamp;
use crate::signals::{Finding, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Policy {
    /// Signal and change ids that make `diff` and `audit` exit 1 (`any` for all).
    #[serde(default)]
    pub fail_on: Vec<String>,
    /// Severity overrides by signal id.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub internal: Internal,
    #[serde(default)]
    pub licenses: Licenses,
    #[serde(default)]
    pub sources: Sources,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    /// A JSON file of accepted findings (`[{"signal": …, "name": …, "version": …}]`),
    /// relative to the policy file.
    pub baseline: Option<String>,
    #[serde(skip)]
    accepted: Vec<Accepted>,
    #[serde(skip)]
    today: String,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct Internal {
    /// Globs of names that are yours (`@acme/*`, `acme-*`): resolving one from a public
    /// registry is dependency confusion.
    #[serde(default)]
    pub patterns: Vec<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct Licenses {
    /// SPDX license ids allowed; empty: no license policy.
    #[serde(default)]
    pub allowed: Vec<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sources {
    /// Hosts packages may come from besides the public registries (`npm.example.com`).
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub signal: String,
    /// Package name (`@scope/name` for npm).
    pub package: String,
    pub version: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`; after it the exception no longer applies.
    pub expires: Option<String>,
}

#[derive(Deserialize, Debug, Clone)]
struct Accepted {
    signal: String,
    name: String,
    version: Option<String>,
}

impl Policy {
    /// Reads a policy file; `today` (`YYYY-MM-DD`) decides which exceptions have expired.
    pub fn load(path: &Path, today: Timestamp) -> Result<Policy, Diagnostic> {
        let label = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Diagnostic::error(&label, None, format!("cannot read: {e}")))?;
        let mut policy: Policy = crate::collect::parse_toml(&label, &bytes, "bomsight.toml")?;
        policy.today = today.to_string()[..10].to_string();
        for (signal, severity) in &policy.severity {
            if crate::signals::kind(signal).is_none() {
                return Err(Diagnostic::error(
                    &label,
                    None,
                    format!("[severity]: `{signal}` is no signal id"),
                ));
            }
            if Severity::parse(severity).is_none() {
                return Err(Diagnostic::error(
                    &label,
                    None,
                    format!("[severity] {signal}: `{severity}` is not low, medium, high or critical"),
                ));
            }
        }
        for e in &policy.exceptions {
            if let Some(date) = &e.expires {
                if Timestamp::parse_rfc3339(&format!("{date}T00:00:00Z")).is_none() {
                    return Err(Diagnostic::error(
                        &label,
                        None,
                        format!("exception for {}: expires `{date}` is not YYYY-MM-DD", e.package),
                    ));
                }
            }
        }
        if let Some(b) = &policy.baseline {
            let file = path.parent().unwrap_or(Path::new(".")).join(b);
            let text = std::fs::read(&file).map_err(|e| {
                Diagnostic::error(
                    file.display().to_string(),
                    None,
                    format!("cannot read the baseline: {e}"),
                )
            })?;
            policy.accepted = serde_json::from_slice(&text).map_err(|e| {
                Diagnostic::error(
                    file.display().to_string(),
                    Some(e.line()),
                    format!("invalid baseline: {e}"),
                )
            })?;
        }
        Ok(policy)
    }

    pub fn severity_of(&self, signal: &str) -> Option<Severity> {
        self.severity.get(signal).and_then(|s| Severity::parse(s))
    }

    pub fn is_internal(&self, name: &str) -> bool {
        self.internal
            .patterns
            .iter()
            .any(|p| globset::Glob::new(p).is_ok_and(|g| g.compile_matcher().is_match(name)))
    }

    pub fn host_allowed(&self, host: &str) -> bool {
        self.sources.allowed_hosts.is_empty() || self.sources.allowed_hosts.iter().any(|h| h == host)
    }

    /// The reason a finding is accepted: a live exception, or the baseline.
    pub fn exception_for(&self, f: &Finding) -> Option<String> {
        let version_ok = |v: &Option<String>| v.is_none() || *v == f.version;
        for e in &self.exceptions {
            let live = e
                .expires
                .as_deref()
                .is_none_or(|d| self.today.is_empty() || d >= self.today.as_str());
            if live && e.signal == f.signal && e.package == f.name && version_ok(&e.version) {
                return Some(e.reason.clone());
            }
        }
        self.accepted
            .iter()
            .any(|a| a.signal == f.signal && a.name == f.name && version_ok(&a.version))
            .then(|| "in the baseline".to_string())
    }
}
