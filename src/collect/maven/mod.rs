//! Maven: `pom.xml`, each one a project root, its dependencies resolved offline through
//! `<parent>` (by `relativePath`, else by coordinates among the repository's poms),
//! `<properties>` (nested), and `<dependencyManagement>` including imported BOMs found in the
//! repository. What only a remote parent or BOM could say is reported as unresolved, never
//! guessed. XML is read by the safe reader (no DTD, so no external entities or entity bombs).

mod pom;
mod resolve;

pub use resolve::PomXml;
