//! .NET: NuGet `packages.lock.json`.

mod packages_lock;

pub use packages_lock::NugetLock;
