//! Swift Package Manager: `Package.resolved` (versions 1, 2 and 3).

mod package_resolved;

pub use package_resolved::PackageResolved;
