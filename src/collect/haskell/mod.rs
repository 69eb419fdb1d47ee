//! Haskell: Stack's `stack.yaml.lock` and Cabal's `cabal.project.freeze`.

mod cabal_freeze;
mod stack_lock;

pub use cabal_freeze::CabalFreeze;
pub use stack_lock::StackLock;

/// `aeson-2.1.2.1` → (`aeson`, `2.1.2.1`): Hackage names may hold `-`, versions may not.
pub fn split_name_version(text: &str) -> Option<(&str, &str)> {
    let (name, version) = text.rsplit_once('-')?;
    (!name.is_empty() && !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then_some((name, version))
}
