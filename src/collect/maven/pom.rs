//! One `pom.xml` as written: coordinates, parent, properties, managed and declared
//! dependencies.

use crate::xml::Element;
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct Dep {
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
    pub scope: Option<String>,
    pub optional: Option<String>,
    pub classifier: Option<String>,
    pub kind: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Pom {
    pub path: String,
    pub group: Option<String>,
    pub artifact: String,
    pub version: Option<String>,
    /// (group, artifact, version, relativePath)
    pub parent: Option<(String, String, String, Option<String>)>,
    pub properties: BTreeMap<String, String>,
    pub managed: Vec<Dep>,
    pub deps: Vec<Dep>,
}

impl Pom {
    pub fn from_xml(path: &str, root: &Element) -> Result<Pom, String> {
        if root.name != "project" {
            return Err(format!("the root element is `{}`, not `project`", root.name));
        }
        let parent = root.child("parent").map(|p| {
            (
                p.text_of("groupId").unwrap_or_default(),
                p.text_of("artifactId").unwrap_or_default(),
                p.text_of("version").unwrap_or_default(),
                p.text_of("relativePath"),
            )
        });
        let artifact = root.text_of("artifactId").ok_or("no <artifactId>")?;
        let properties = root
            .child("properties")
            .map(|p| {
                p.children
                    .iter()
                    .map(|c| (c.name.clone(), c.text.trim().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let deps_of = |e: Option<&Element>| -> Vec<Dep> {
            e.map(|d| {
                d.children("dependency")
                    .map(|x| Dep {
                        group: x.text_of("groupId").unwrap_or_default(),
                        artifact: x.text_of("artifactId").unwrap_or_default(),
                        version: x.text_of("version"),
                        scope: x.text_of("scope"),
                        optional: x.text_of("optional"),
                        classifier: x.text_of("classifier"),
                        kind: x.text_of("type"),
                    })
                    .collect()
            })
            .unwrap_or_default()
        };
        Ok(Pom {
            path: path.to_string(),
            group: root.text_of("groupId"),
            artifact,
            version: root.text_of("version"),
            parent,
            properties,
            managed: deps_of(root.child("dependencyManagement").and_then(|m| m.child("dependencies"))),
            deps: deps_of(root.child("dependencies")),
        })
    }

    pub fn group_id(&self) -> Option<&str> {
        self.group.as_deref().or(self.parent.as_ref().map(|p| p.0.as_str()))
    }

    pub fn version_id(&self) -> Option<&str> {
        self.version.as_deref().or(self.parent.as_ref().map(|p| p.2.as_str()))
    }
}
