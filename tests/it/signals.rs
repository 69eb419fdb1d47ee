//! Every risk signal fires on a change (or release) made to show it, and stays quiet on a
//! near miss. The small lockfiles are built here, next to what they test.

use crate::common::{fixture, scan_dir};
use bomsight::diff::diff;
use bomsight::model::Sbom;
use bomsight::policy::Policy;
use bomsight::signals::{audit, for_diff, Advisories, Context, Finding, PopularNames};
use std::path::Path;
use std::process::Command;

/// An npm package in a test lockfile.
#[derive(Clone)]
struct Pkg {
    name: &'static str,
    version: &'static str,
    resolved: Option<String>,
    integrity: Option<&'static str>,
    install_script: bool,
    license: Option<&'static str>,
}

const SHA512_A: &str =
    "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";
const SHA512_B: &str =
    "sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==";
const SHA1: &str = "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=";

fn pkg(name: &'static str, version: &'static str) -> Pkg {
    Pkg {
        name,
        version,
        resolved: Some(format!(
            "https://registry.npmjs.org/{name}/-/{}-{version}.tgz",
            name.rsplit('/').next().unwrap()
        )),
        integrity: Some(SHA512_A),
        install_script: false,
        license: None,
    }
}

/// A project whose root depends on every package, as package-lock.json v3.
fn npm_project(dir: &Path, packages: &[Pkg]) -> Sbom {
    std::fs::create_dir_all(dir).unwrap();
    let deps: serde_json::Map<String, serde_json::Value> =
        packages.iter().map(|p| (p.name.to_string(), "*".into())).collect();
    let mut entries = serde_json::Map::new();
    entries.insert(
        "".into(),
        serde_json::json!({ "name": "app", "version": "1.0.0", "dependencies": deps }),
    );
    for p in packages {
        let mut e = serde_json::json!({ "version": p.version });
        if let Some(r) = &p.resolved {
            e["resolved"] = r.clone().into();
        }
        if let Some(i) = p.integrity {
            e["integrity"] = i.into();
        }
        if p.install_script {
            e["hasInstallScript"] = true.into();
        }
        if let Some(l) = p.license {
            e["license"] = l.into();
        }
        entries.insert(format!("node_modules/{}", p.name), e);
    }
    let lock = serde_json::json!({ "name": "app", "version": "1.0.0", "lockfileVersion": 3, "packages": entries });
    std::fs::write(dir.join("package-lock.json"), serde_json::to_vec_pretty(&lock).unwrap()).unwrap();
    scan_dir(dir).sbom
}

struct Setup {
    popular: PopularNames,
    advisories: Advisories,
    policy: Policy,
}

impl Setup {
    fn new() -> Setup {
        Setup {
            popular: PopularNames::builtin(),
            advisories: Advisories::load(&fixture("signals/advisories")).unwrap(),
            policy: Policy::default(),
        }
    }

    fn ctx(&self) -> Context<'_> {
        Context {
            popular: &self.popular,
            advisories: &self.advisories,
            policy: &self.policy,
        }
    }
}

fn signals_between(old: &[Pkg], new: &[Pkg], setup: &Setup) -> Vec<Finding> {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        npm_project(&dir.path().join("old"), old),
        npm_project(&dir.path().join("new"), new),
    );
    let report = diff(&a, &b, "old", "new");
    for_diff(&a, &b, &report, &setup.ctx())
}

fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.signal).collect()
}

#[test]
fn integrity_changed_fires_on_a_replaced_artifact_only() {
    let s = Setup::new();
    let old = [pkg("ms", "2.1.3")];
    let replaced = [Pkg {
        integrity: Some(SHA512_B),
        ..pkg("ms", "2.1.3")
    }];
    let f = signals_between(&old, &replaced, &s);
    assert_eq!(ids(&f), ["integrity-changed"], "{f:#?}");
    assert_eq!(f[0].severity, bomsight::signals::Severity::Critical);
    assert!(signals_between(&old, &old, &s).is_empty());
    // Near miss: a release gains a wheel; the files it had keep their hashes.
    use bomsight::model::{
        Artifact, Component, Ecosystem, GraphBuilder, Hash, HashAlgorithm, Source, Subject, Timestamp,
    };
    let release = |files: &[(&str, &str)]| {
        let mut c = Component::new(Ecosystem::Pypi, None, "attrs", Some("23.2.0"), Source::DefaultRegistry).unwrap();
        for (name, hex) in files {
            let h = Hash::from_hex(HashAlgorithm::Sha256, &hex.repeat(64 / hex.len())).unwrap();
            c.artifacts.insert(Artifact {
                file_name: name.to_string(),
                url: None,
                hashes: [h].into_iter().collect(),
            });
        }
        let mut b = GraphBuilder::new();
        b.add_component(c);
        Sbom {
            subject: Subject {
                name: "x".into(),
                version: None,
            },
            created: Timestamp(0),
            graph: b.build().0,
        }
    };
    let before = release(&[("attrs-23.2.0.tar.gz", "a")]);
    let after = release(&[("attrs-23.2.0.tar.gz", "a"), ("attrs-23.2.0-py3-none-any.whl", "b")]);
    let report = diff(&before, &after, "a", "b");
    assert!(
        for_diff(&before, &after, &report, &s.ctx()).is_empty(),
        "a new wheel is not a replaced file"
    );
    let swapped = release(&[("attrs-23.2.0.tar.gz", "c")]);
    let report = diff(&before, &swapped, "a", "b");
    assert_eq!(
        ids(&for_diff(&before, &swapped, &report, &s.ctx())),
        ["integrity-changed"]
    );
}

#[test]
fn source_insecure_and_mismatched_urls() {
    let s = Setup::new();
    let old = [pkg("ms", "2.1.3")];
    let git = [Pkg {
        resolved: Some("git+ssh://git@github.com/someone/ms.git#0123456789012345678901234567890123456789".into()),
        integrity: None,
        ..pkg("ms", "2.1.3")
    }];
    assert!(ids(&signals_between(&old, &git, &s)).contains(&"source-changed"));
    let http = [Pkg {
        resolved: Some("http://registry.npmjs.org/ms/-/ms-2.1.3.tgz".into()),
        ..pkg("ms", "2.1.3")
    }];
    // The plain-http registry is another source too.
    assert_eq!(
        ids(&signals_between(&old, &http, &s)),
        ["insecure-source", "source-changed"]
    );
    let other = [Pkg {
        resolved: Some("https://registry.npmjs.org/evil-ms/-/evil-ms-2.1.3.tgz".into()),
        ..pkg("ms", "2.1.4")
    }];
    assert_eq!(ids(&signals_between(&old, &other, &s)), ["url-name-mismatch"]);
    let scoped = [pkg("@types/node", "20.0.0")];
    assert!(
        signals_between(&[], &scoped, &s).is_empty(),
        "a scoped package's own URL is not a mismatch"
    );
}

#[test]
fn install_scripts_downgrades_and_weaker_hashes() {
    let s = Setup::new();
    let plain = [pkg("esbuild", "0.20.2")];
    let scripted = [Pkg {
        install_script: true,
        ..pkg("esbuild", "0.20.3")
    }];
    assert_eq!(ids(&signals_between(&plain, &scripted, &s)), ["install-script-added"]);
    assert!(
        signals_between(
            &[Pkg {
                install_script: true,
                ..pkg("esbuild", "0.20.3")
            }],
            &scripted,
            &s
        )
        .is_empty(),
        "it had one already"
    );
    assert_eq!(
        ids(&signals_between(&[pkg("debug", "4.3.4")], &[pkg("debug", "4.3.1")], &s)),
        ["version-downgraded"]
    );
    assert!(signals_between(&[pkg("debug", "4.3.1")], &[pkg("debug", "4.3.4")], &s).is_empty());
    let weak = [Pkg {
        integrity: Some(SHA1),
        ..pkg("debug", "4.3.5")
    }];
    assert_eq!(
        ids(&signals_between(&[pkg("debug", "4.3.4")], &weak, &s)),
        ["integrity-weakened"]
    );
    let none = [Pkg {
        integrity: None,
        ..pkg("debug", "4.3.5")
    }];
    assert_eq!(
        ids(&signals_between(&[pkg("debug", "4.3.4")], &none, &s)),
        ["integrity-missing"]
    );
}

#[test]
fn typosquats_fire_on_new_names_only() {
    let s = Setup::new();
    let f = signals_between(
        &[pkg("react", "18.2.0")],
        &[pkg("react", "18.2.0"), pkg("raect", "1.0.0")],
        &s,
    );
    assert_eq!(ids(&f), ["typosquat"]);
    assert!(f[0].message.contains("`react`"), "{}", f[0].message);
    assert!(signals_between(
        &[pkg("react", "18.2.0")],
        &[pkg("react", "18.2.0"), pkg("react-dom", "18.2.0")],
        &s
    )
    .is_empty());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "reqeusts==2.31.0\nrequests==2.31.0\n",
    )
    .unwrap();
    // A requirements file without --hash also leaves every pin without integrity.
    let findings: Vec<Finding> = audit(&scan_dir(dir.path()).sbom, &s.ctx())
        .into_iter()
        .filter(|f| f.signal != "integrity-missing")
        .collect();
    assert_eq!(ids(&findings), ["typosquat"]);
    assert!(findings[0]
        .message
        .starts_with("reqeusts looks like the popular `requests`"));
    assert_eq!(findings[0].location.as_deref(), Some("requirements.txt:1"));
}

#[test]
fn the_three_backdoored_pypi_packages_are_known_malicious() {
    let s = Setup::new();
    assert_eq!(s.advisories.records, 4, "the withdrawn record is not read");
    let findings = audit(&scan_dir(&fixture("signals/libpesh-project")).sbom, &s.ctx());
    let malicious: Vec<(String, String)> = findings
        .iter()
        .filter(|f| f.signal == "known-malicious")
        .map(|f| (f.name.clone(), f.evidence[0].clone()))
        .collect();
    assert_eq!(
        malicious,
        [
            ("libari".to_string(), "MAL-2024-5308".to_string()),
            ("libpesh".into(), "MAL-2024-5321".into()),
            ("libpeshnx".into(), "MAL-2024-5322".into())
        ]
    );
    assert!(
        findings
            .iter()
            .filter(|f| f.name == "requests")
            .all(|f| f.signal == "integrity-missing"),
        "{findings:#?}"
    );
    // A vulnerable range: ms before 2.0.0.
    assert_eq!(
        ids(&signals_between(&[], &[pkg("ms", "1.0.0")], &s)),
        ["known-vulnerable"]
    );
    assert!(signals_between(&[], &[pkg("ms", "2.1.3")], &s).is_empty());
}

#[test]
fn policy_confusion_licenses_unpinned_and_exceptions() {
    let dir = tempfile::tempdir().unwrap();
    let policy_file = dir.path().join("bomsight.toml");
    std::fs::write(
        &policy_file,
        "fail-on = [\"typosquat\"]\n[internal]\npatterns = [\"@acme/*\"]\n[licenses]\nallowed = [\"MIT\"]\n\n[[exceptions]]\nsignal = \"license-policy\"\npackage = \"gpl-lib\"\nreason = \"legal said yes\"\n\n[[exceptions]]\nsignal = \"license-policy\"\npackage = \"old-gpl\"\nreason = \"expired\"\nexpires = \"2001-01-01\"\n",
    )
    .unwrap();
    let mut s = Setup::new();
    s.policy = Policy::load(&policy_file, bomsight::model::Timestamp(1_700_000_000)).unwrap();
    let internal = [pkg("@acme/tools", "1.0.0")];
    assert_eq!(ids(&signals_between(&[], &internal, &s)), ["dependency-confusion"]);
    let private = [Pkg {
        resolved: Some("https://npm.acme.example/@acme/tools/-/tools-1.0.0.tgz".into()),
        ..pkg("@acme/tools", "1.0.0")
    }];
    assert!(
        signals_between(&[], &private, &s).is_empty(),
        "from the private registry"
    );
    let licensed = [
        Pkg {
            license: Some("GPL-3.0-only"),
            ..pkg("gpl-lib", "1.0.0")
        },
        Pkg {
            license: Some("GPL-3.0-only"),
            ..pkg("old-gpl", "1.0.0")
        },
        Pkg {
            license: Some("MIT OR GPL-3.0-only"),
            ..pkg("dual", "1.0.0")
        },
    ];
    let f = signals_between(&[], &licensed, &s);
    let license: Vec<(&str, Option<&str>)> = f
        .iter()
        .filter(|f| f.signal == "license-policy")
        .map(|f| (f.name.as_str(), f.accepted.as_deref()))
        .collect();
    assert_eq!(license, [("gpl-lib", Some("legal said yes")), ("old-gpl", None)]);
    std::fs::write(
        dir.path().join("requirements.txt"),
        "requests>=2\nidna==3.7 --hash=sha256:82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0\n",
    )
    .unwrap();
    let findings = audit(&scan_dir(dir.path()).sbom, &s.ctx());
    assert_eq!(ids(&findings), ["unpinned"]);
    std::fs::write(&policy_file, "fail-on = []\n[licences]\nallowed = []\n").unwrap();
    let err = Policy::load(&policy_file, bomsight::model::Timestamp(0))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bomsight.toml:2:") && err.contains("unknown field `licences`"),
        "{err}"
    );
}

fn bomsight(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bomsight"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn audit_cli_fails_on_malware_and_writes_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("audit.sarif");
    let project = fixture("signals/libpesh-project");
    let advisories = fixture("signals/advisories");
    let out = bomsight(&[
        "audit",
        project.to_str().unwrap(),
        "--advisories",
        advisories.to_str().unwrap(),
        "--fail-on",
        "known-malicious",
        "-o",
        &format!("sarif={}", sarif.display()),
        "--format",
        "json",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let malicious = report["signals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["signal"] == "known-malicious")
        .count();
    assert_eq!(malicious, 3);
    let sarif: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.iter().filter(|r| r["ruleId"] == "known-malicious").count(), 3);
    assert_eq!(results[0]["ruleId"], "known-malicious");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "requirements.txt"
    );
    assert!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
        .as_u64()
        .is_some());
    // Without advisories nothing is known; the exit code follows.
    let quiet = bomsight(&["audit", project.to_str().unwrap(), "--fail-on", "known-malicious", "-q"]);
    assert_eq!(quiet.status.code(), Some(0));
    let bad = bomsight(&["audit", project.to_str().unwrap(), "--fail-on", "known-evil"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn init_writes_a_policy_that_loads_and_a_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let out = bomsight(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let policy = Policy::load(&dir.path().join("bomsight.toml"), bomsight::model::Timestamp(0))
        .expect("the starter policy loads");
    assert!(policy.fail_on.contains(&"known-malicious".to_string()));
    let workflow = std::fs::read_to_string(dir.path().join(".github/workflows/bomsight.yml")).unwrap();
    assert!(workflow.contains("bomsight diff") && workflow.contains("bomsight scan"));
    assert_eq!(
        bomsight(&["init", dir.path().to_str().unwrap()]).status.code(),
        Some(2),
        "no silent overwrite"
    );
    assert_eq!(
        bomsight(&["init", dir.path().to_str().unwrap(), "--force"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn two_lockfiles_disagreeing_about_one_artifact_and_private_to_public_moves() {
    let s = Setup::new();
    let dir = tempfile::tempdir().unwrap();
    npm_project(&dir.path().join("a"), &[pkg("ms", "2.1.3")]);
    npm_project(
        &dir.path().join("b"),
        &[Pkg {
            integrity: Some(SHA512_B),
            ..pkg("ms", "2.1.3")
        }],
    );
    let findings = audit(&scan_dir(dir.path()).sbom, &s.ctx());
    assert_eq!(ids(&findings), ["integrity-changed"], "{findings:#?}");
    assert_eq!(findings[0].evidence, ["a/package-lock.json", "b/package-lock.json"]);
    let private = [Pkg {
        resolved: Some("https://npm.acme.example/tools/-/tools-1.0.0.tgz".into()),
        ..pkg("tools", "1.0.0")
    }];
    let public = [pkg("tools", "1.0.0")];
    assert_eq!(ids(&signals_between(&private, &public, &s)), ["dependency-confusion"]);
}

#[test]
fn advisories_from_an_osv_zip_and_a_baseline_of_accepted_findings() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("all.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let record = std::fs::read(fixture("signals/advisories/osv/PyPI/libari/MAL-2024-5308.json")).unwrap();
    zip.start_file("MAL-2024-5308.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&record).unwrap();
    zip.start_file("withdrawn/MAL-2099-0001.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&std::fs::read(fixture("signals/advisories/withdrawn/npm/left-pad/MAL-2099-0001.json")).unwrap())
        .unwrap();
    zip.finish().unwrap();
    let mut s = Setup::new();
    s.advisories = Advisories::load(&zip_path).unwrap();
    assert_eq!(s.advisories.records, 1);
    std::fs::write(
        dir.path().join("baseline.json"),
        r#"[{"signal": "known-malicious", "name": "libari"}]"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("bomsight.toml"), "baseline = \"baseline.json\"\n").unwrap();
    s.policy = Policy::load(&dir.path().join("bomsight.toml"), bomsight::model::Timestamp(0)).unwrap();
    let findings = audit(&scan_dir(&fixture("signals/libpesh-project")).sbom, &s.ctx());
    let libari: Vec<&Finding> = findings.iter().filter(|f| f.signal == "known-malicious").collect();
    assert_eq!(libari.len(), 1);
    assert_eq!(libari[0].accepted.as_deref(), Some("in the baseline"));
}

/// A Cargo.lock with one registry package, `name` at `version`.
fn one_crate_lock(name: &str, version: &str) -> String {
    format!(
        "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"{name}\"]\n\n\
         [[package]]\nname = \"{name}\"\nversion = \"{version}\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
    )
}

#[test]
fn rustsec_vulnerabilities_fire_on_the_quick_xml_bomsight_once_locked_and_notices_do_not_fail() {
    let advisories = fixture("signals/rustsec");
    let audit = |lock: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Cargo.lock"), lock).unwrap();
        let out = bomsight(&[
            "audit",
            dir.path().to_str().unwrap(),
            "--advisories",
            advisories.to_str().unwrap(),
            "--fail-on",
            "known-vulnerable",
            "--format",
            "json",
            "-q",
        ]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let advised: Vec<String> = report["signals"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["signal"] == "known-vulnerable" || f["signal"] == "advisory-notice")
            .map(|f| f.to_string())
            .collect();
        (out.status.code(), advised)
    };
    let (code, found) = audit(&one_crate_lock("quick-xml", "0.38.4"));
    assert_eq!(code, Some(1), "{found:#?}");
    assert_eq!(found.len(), 2, "{found:#?}");
    for id in ["RUSTSEC-2026-0194", "RUSTSEC-2026-0195"] {
        assert!(found.iter().any(|f| f.contains(id)), "{id}: {found:#?}");
    }
    assert!(found.iter().all(|f| f.contains("\"known-vulnerable\"")), "{found:#?}");
    assert_eq!(audit(&one_crate_lock("quick-xml", "0.41.0")), (Some(0), Vec::new()));
    // An unmaintained crate is a notice, not a vulnerability: --fail-on known-vulnerable passes.
    let (code, found) = audit(&one_crate_lock("yaml-rust", "0.4.5"));
    assert_eq!(code, Some(0), "{found:#?}");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("\"advisory-notice\"") && found[0].contains("RUSTSEC-2024-0320 (unmaintained)"),
        "{found:#?}"
    );
    // bomsight's own lock, as it is now.
    let own = std::fs::read_to_string(crate::common::repo().join("Cargo.lock")).unwrap();
    assert_eq!(audit(&own), (Some(0), Vec::new()));
}
