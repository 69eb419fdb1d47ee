//! One module per subcommand, and what they share: error printing, the signal context
//! (policy, advisories, popular names) and `--fail-on`.

pub mod audit;
pub mod diff;
pub mod init;
mod progress;
pub mod scan;

use crate::cli::SignalArgs;
use bomsight::model::Timestamp;
use bomsight::policy::Policy;
use bomsight::signals::{Advisories, Finding, PopularNames};
use bomsight::ExitStatus;
use std::path::{Path, PathBuf};

pub fn fail(message: impl std::fmt::Display) -> ExitStatus {
    eprintln!("error: {message}");
    ExitStatus::Error
}

/// What the signals consult, loaded from the command line and `bomsight.toml`.
pub struct SignalSetup {
    pub policy: Policy,
    pub advisories: Advisories,
    pub popular: PopularNames,
}

impl SignalSetup {
    /// `--config`, else the first `bomsight.toml` in `search` (the scanned directory, the
    /// repository, the current directory).
    pub fn load(args: &SignalArgs, search: &[&Path]) -> Result<SignalSetup, String> {
        let config: Option<PathBuf> = match &args.config {
            Some(p) => Some(p.clone()),
            None => search.iter().map(|d| d.join("bomsight.toml")).find(|p| p.is_file()),
        };
        let today = Timestamp::from_env_or_now()?;
        let policy = match config {
            Some(p) => Policy::load(&p, today).map_err(|d| d.to_string().trim_start_matches("error: ").to_string())?,
            None => Policy::default(),
        };
        let advisories = match &args.advisories {
            Some(p) => {
                let a = Advisories::load(p)?;
                for problem in &a.problems {
                    eprintln!("warning: {problem}");
                }
                a
            }
            None => Advisories::none(),
        };
        let popular = match &args.popular_names {
            Some(p) => {
                PopularNames::from_text(&std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?)
            }
            None => PopularNames::builtin(),
        };
        Ok(SignalSetup {
            policy,
            advisories,
            popular,
        })
    }

    pub fn context(&self) -> bomsight::signals::Context<'_> {
        bomsight::signals::Context {
            popular: &self.popular,
            advisories: &self.advisories,
            policy: &self.policy,
        }
    }
}

/// The signal setup, with `bomsight.toml` looked for in `anchor` (the scanned directory), the
/// repository and the current directory, and the `--fail-on` ids it and the command line give.
pub fn signal_setup(
    args: &SignalArgs,
    anchor: &str,
    repo: &Path,
    fail_on: Option<&str>,
) -> Result<(SignalSetup, Vec<String>), String> {
    let search: Vec<&Path> = [Path::new(anchor), repo, Path::new(".")]
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    let setup = SignalSetup::load(args, &search)?;
    let ids = fail_on_ids(fail_on, &setup.policy)?;
    Ok((setup, ids))
}

/// Prints a side's diagnostics on stderr (errors even when quiet); true if any is an error.
pub fn print_diagnostics(diagnostics: &[bomsight::diagnostic::Diagnostic], prefix: &str, quiet: bool) -> bool {
    let mut partial = false;
    for d in diagnostics {
        partial |= d.is_error();
        if d.is_error() || !quiet {
            eprintln!("{prefix}{d}");
        }
    }
    partial
}

/// `--fail-on` ids (change kinds and signal ids, comma-separated, or `any`), with the
/// policy's; an unknown id is an error.
pub fn fail_on_ids(cli: Option<&str>, policy: &Policy) -> Result<Vec<String>, String> {
    let mut ids: Vec<String> = policy.fail_on.clone();
    if let Some(list) = cli {
        ids.extend(
            list.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    for id in &ids {
        let known =
            id == "any" || bomsight::diff::ChangeKind::from_id(id).is_some() || bomsight::signals::kind(id).is_some();
        if !known {
            return Err(format!(
                "--fail-on: unknown change kind or signal `{id}` (see `bomsight diff --help`)"
            ));
        }
    }
    Ok(ids)
}

/// The ids among `fail_on` that the findings (not accepted) and changes match.
pub fn matched(fail_on: &[String], findings: &[Finding], change_ids: &[&str]) -> Vec<String> {
    let any = fail_on.iter().any(|f| f == "any");
    let mut hit: Vec<String> = Vec::new();
    for f in findings.iter().filter(|f| f.accepted.is_none()) {
        if any || fail_on.iter().any(|id| id == f.signal) {
            hit.push(f.signal.to_string());
        }
    }
    for c in change_ids {
        if any || fail_on.iter().any(|id| id == c) {
            hit.push(c.to_string());
        }
    }
    hit.sort();
    hit.dedup();
    hit
}
