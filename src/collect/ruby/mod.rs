//! Ruby: Bundler's `Gemfile.lock` (sources, specs with their dependencies, platforms,
//! checksums), and a `Gemfile` alone for its declared gems.

mod gemfile;
mod gemfile_lock;

pub use gemfile::GemfileOnly;
pub use gemfile_lock::GemfileLock;
