//! Dart and Flutter: `pubspec.lock`, single packages and pub workspaces.

mod pubspec_lock;

pub use pubspec_lock::PubspecLock;
