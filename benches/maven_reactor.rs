//! Scan cost of a large Maven reactor: a parent pom with N modules, each inheriting managed
//! versions from the parent and depending on the module before it, so every pom needs its
//! parent found by coordinates. Guards against resolution that re-reads the repository per pom.
//! `cargo bench --bench maven_reactor -- [MODULES]` (default 1500); prints the best of five.

use bomsight::model::{Subject, Timestamp};
use bomsight::scan::{scan, ScanOptions};
use bomsight::tree::DiskTree;
use std::path::Path;
use std::time::{Duration, Instant};

fn write_reactor(root: &Path, modules: usize) {
    let list: String = (0..modules).map(|i| format!("<module>m{i}</module>")).collect();
    let parent = format!(
        "<project><modelVersion>4.0.0</modelVersion><groupId>org.example</groupId>\
         <artifactId>parent</artifactId><version>1.0</version><packaging>pom</packaging>\
         <properties><guava.version>33.0.0-jre</guava.version></properties>\
         <dependencyManagement><dependencies><dependency><groupId>com.google.guava</groupId>\
         <artifactId>guava</artifactId><version>${{guava.version}}</version></dependency>\
         </dependencies></dependencyManagement><modules>{list}</modules></project>"
    );
    std::fs::write(root.join("pom.xml"), parent).unwrap();
    for i in 0..modules {
        let dir = root.join(format!("m{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        let previous = if i == 0 {
            String::new()
        } else {
            format!(
                "<dependency><groupId>org.example</groupId><artifactId>m{}</artifactId>\
                 <version>${{project.version}}</version></dependency>",
                i - 1
            )
        };
        let pom = format!(
            "<project><modelVersion>4.0.0</modelVersion><parent><groupId>org.example</groupId>\
             <artifactId>parent</artifactId><version>1.0</version><relativePath/></parent>\
             <artifactId>m{i}</artifactId><dependencies><dependency>\
             <groupId>com.google.guava</groupId><artifactId>guava</artifactId></dependency>\
             {previous}</dependencies></project>"
        );
        std::fs::write(dir.join("pom.xml"), pom).unwrap();
    }
}

fn main() {
    let modules: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1500);
    let dir = tempfile::tempdir().unwrap();
    write_reactor(dir.path(), modules);
    let mut best = Duration::MAX;
    let mut size = (0, 0);
    for _ in 0..5 {
        let start = Instant::now();
        let subject = Subject {
            name: "bench".into(),
            version: None,
        };
        let report = scan(
            &DiskTree::new(dir.path()),
            subject,
            Timestamp(0),
            &ScanOptions::default(),
        )
        .expect("scan");
        best = best.min(start.elapsed());
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        size = (report.sbom.graph.len(), report.sbom.graph.edge_count());
    }
    println!(
        "{modules} modules: {} components, {} edges, best {:.1} ms",
        size.0,
        size.1,
        best.as_secs_f64() * 1e3
    );
}
