//! A per-scan memo: lets a collector build an index of the tree once and share it across
//! every file it reads in that scan (collectors run in parallel, so it is thread-safe).

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Memo {
    entries: Mutex<HashMap<&'static str, Arc<dyn Any + Send + Sync>>>,
}

impl Memo {
    /// The value stored under `key`, built by `init` the first time. The lock is held while
    /// building, so concurrent callers wait for one index instead of each building their own.
    pub fn get_or_init<T: Any + Send + Sync>(&self, key: &'static str, init: impl FnOnce() -> T) -> Arc<T> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(found) = entries.get(key).and_then(|v| v.clone().downcast::<T>().ok()) {
            return found;
        }
        let value = Arc::new(init());
        entries.insert(key, value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn a_value_is_built_once_per_key() {
        let memo = Memo::default();
        let mut builds = 0;
        let first = memo.get_or_init("k", || {
            builds += 1;
            vec![1, 2]
        });
        let second = memo.get_or_init("k", || -> Vec<i32> { unreachable!("built twice") });
        assert_eq!(builds, 1);
        assert_eq!(first, second);
        assert_eq!(*memo.get_or_init("other", || 7u8), 7);
    }
}
