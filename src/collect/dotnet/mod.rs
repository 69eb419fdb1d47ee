//! .NET: NuGet `packages.lock.json` and `packages.config`, `*.deps.json` build output, and
//! project files (`*.csproj`) where no lockfile exists.

mod deps_json;
mod packages_config;
mod packages_lock;
mod project_file;

pub use deps_json::DepsJson;
pub use packages_config::PackagesConfig;
pub use packages_lock::NugetLock;
pub use project_file::ProjectFile;

use crate::collect::CollectContext;

/// The name of the project file (`*.csproj`, `.fsproj`, `.vbproj`) in `dir`, without its extension.
pub fn project_name(ctx: &CollectContext<'_>, dir: &str) -> Option<String> {
    let names = ctx.tree.files_in(dir).ok()?;
    let project = names
        .iter()
        .find(|n| n.ends_with(".csproj") || n.ends_with(".fsproj") || n.ends_with(".vbproj"))?;
    project.rsplit_once('.').map(|(stem, _)| stem.to_string())
}
