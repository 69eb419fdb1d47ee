//! CocoaPods: `Podfile.lock`.

mod podfile_lock;

pub use podfile_lock::PodfileLock;
