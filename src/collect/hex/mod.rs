//! The BEAM ecosystems, both on the Hex registry: Elixir's `mix.lock` and Erlang's
//! `rebar.lock`, read by one literal-term reader.

mod mix_exs;
mod mix_lock;
mod rebar_lock;
mod terms;

pub use mix_lock::MixLock;
pub use rebar_lock::RebarLock;

use crate::model::Source;

/// A Hex repository name: `hexpm` is hex.pm, `hexpm:org` an organization on it (the purl
/// namespace), anything else a repository of its own.
pub fn repository(repo: &str) -> (Option<String>, Source) {
    match repo {
        "" | "hexpm" => (None, Source::DefaultRegistry),
        r => match r.strip_prefix("hexpm:") {
            Some(org) => (Some(org.to_string()), Source::DefaultRegistry),
            None => (None, Source::Registry { url: r.to_string() }),
        },
    }
}

/// A git reference option (`branch`, `tag`, `ref`) as the model writes it.
pub fn git_reference(kind: &str, value: &str) -> Option<String> {
    matches!(kind, "branch" | "tag" | "ref").then(|| format!("{kind}={value}"))
}
