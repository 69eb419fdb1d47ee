//! `FilePath`: a scanned file's root-relative path, shared by every sighting made in it.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A file's path, compared and hashed as the text. A lockfile names hundreds of components,
/// each found in it; they share one copy of the path instead of holding one each (the bench
/// tree's 313,000 sightings are made in 3,500 files).
#[derive(Clone)]
pub struct FilePath(Arc<str>);

thread_local! {
    /// The path this thread made last: a collector makes all its sightings in one file.
    static LAST: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

impl FilePath {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for FilePath {
    fn from(path: &str) -> FilePath {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            match last.as_ref() {
                Some(shared) if **shared == *path => FilePath(shared.clone()),
                _ => {
                    let shared: Arc<str> = Arc::from(path);
                    *last = Some(shared.clone());
                    FilePath(shared)
                }
            }
        })
    }
}

impl From<String> for FilePath {
    fn from(path: String) -> FilePath {
        FilePath::from(path.as_str())
    }
}

impl std::ops::Deref for FilePath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq for FilePath {
    fn eq(&self, other: &FilePath) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for FilePath {}

impl PartialEq<str> for FilePath {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for FilePath {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for FilePath {
    fn eq(&self, other: &String) -> bool {
        *self.0 == *other.as_str()
    }
}

impl PartialOrd for FilePath {
    fn partial_cmp(&self, other: &FilePath) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FilePath {
    fn cmp(&self, other: &FilePath) -> Ordering {
        if Arc::ptr_eq(&self.0, &other.0) {
            return Ordering::Equal;
        }
        self.0.cmp(&other.0)
    }
}

impl Hash for FilePath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl serde::Serialize for FilePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for FilePath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<FilePath, D::Error> {
        String::deserialize(deserializer).map(FilePath::from)
    }
}

impl fmt::Debug for FilePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for FilePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_made_in_a_row_share_one_copy_and_compare_as_text() {
        let a = FilePath::from("x/Cargo.lock");
        let b = FilePath::from(String::from("x/Cargo.lock"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        let c = FilePath::from("a/Cargo.lock");
        let d = FilePath::from("x/Cargo.lock");
        assert!(!Arc::ptr_eq(&a.0, &d.0), "only the last path is remembered");
        assert_eq!(a, d);
        assert_eq!(a.cmp(&d), Ordering::Equal);
        assert_eq!(c.cmp(&a), Ordering::Less);
        assert_eq!(a.as_str(), "x/Cargo.lock");
        assert_eq!(a, "x/Cargo.lock");
        assert_eq!(a, String::from("x/Cargo.lock"));
        assert_eq!(format!("{c} {c:?}"), "a/Cargo.lock \"a/Cargo.lock\"");
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"a/Cargo.lock\"");
        assert_eq!(serde_json::from_str::<FilePath>("\"a/b\"").unwrap(), "a/b");
    }
}
