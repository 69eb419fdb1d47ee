//! Exporters: the graph as CycloneDX or SPDX, through one registry of output formats, and
//! the atomic file writing every output goes through.

mod cyclonedx;
mod digest;
mod ids;
pub mod json;
pub(crate) mod pieces;
mod spdx;
mod spdx_package;
mod spdx_tag_value;
#[cfg(test)]
mod test_component;
mod writeback;

use crate::model::Sbom;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use cyclonedx::{CycloneDxVersion, SUBJECT_REF};
pub use spdx::SUBJECT_ID;

/// An output format: a stable id (`-o ID=PATH`) and the function that writes it. Documents
/// are streamed to their destination, never held whole in memory.
#[derive(Debug)]
pub struct Format {
    pub id: &'static str,
    pub description: &'static str,
    pub write: fn(&Rendering<'_>, &mut (dyn Write + Send)) -> std::io::Result<()>,
    /// Roughly how long writing it takes next to the others (bench/output_costs.rs):
    /// outputs written in parallel start with the longest, so the cores finish together.
    pub relative_cost: u8,
}

impl Format {
    /// The whole document as bytes, for callers that want it in memory.
    pub fn render(&self, sbom: &Sbom) -> Vec<u8> {
        let mut out = Vec::new();
        (self.write)(&Rendering::new(sbom), &mut out).expect("writing to memory cannot fail");
        out
    }
}

/// What the outputs of one run share: the model, its content digest (serial numbers and
/// namespaces derive from it), and the SPDX document that both SPDX formats render. Each is
/// built once, by whichever output asks first (outputs are written in parallel; a second
/// asker waits for the first rather than building it again).
pub struct Rendering<'a> {
    pub sbom: &'a Sbom,
    digest: OnceLock<[u8; 32]>,
    spdx: OnceLock<spdx::Document<'a>>,
}

impl<'a> Rendering<'a> {
    pub fn new(sbom: &'a Sbom) -> Rendering<'a> {
        Rendering {
            sbom,
            digest: OnceLock::new(),
            spdx: OnceLock::new(),
        }
    }

    /// The identifier of this content in one format (`label`, e.g. `cyclonedx-1.6`).
    fn content_uuid(&self, label: &str) -> uuid::Uuid {
        digest::content_uuid(self.digest.get_or_init(|| digest::content_digest(self.sbom)), label)
    }

    fn spdx_document(&self) -> &spdx::Document<'a> {
        self.spdx.get_or_init(|| {
            // The namespace, from the content digest, is set last: the other core is
            // usually computing the digest for CycloneDX meanwhile.
            let mut document = spdx::to_document(self.sbom);
            document.set_namespace(&self.content_uuid("spdx-2.3"));
            document
        })
    }
}

/// Every output format, the default first.
pub static FORMATS: &[Format] = &[
    Format {
        id: "cyclonedx-json",
        description: "CycloneDX 1.6 JSON (the default)",
        write: cyclonedx::write_1_6,
        relative_cost: 4,
    },
    Format {
        id: "cyclonedx-json@1.6",
        description: "CycloneDX 1.6 JSON",
        write: cyclonedx::write_1_6,
        relative_cost: 4,
    },
    Format {
        id: "cyclonedx-json@1.5",
        description: "CycloneDX 1.5 JSON, for older tools",
        write: cyclonedx::write_1_5,
        relative_cost: 2,
    },
    Format {
        id: "spdx-json",
        description: "SPDX 2.3 JSON",
        write: spdx::write_json,
        relative_cost: 3,
    },
    Format {
        id: "spdx-json@2.3",
        description: "SPDX 2.3 JSON",
        write: spdx::write_json,
        relative_cost: 3,
    },
    Format {
        id: "spdx-tag-value",
        description: "SPDX 2.3 tag-value",
        write: spdx_tag_value::write,
        relative_cost: 1,
    },
    Format {
        id: "spdx-tag-value@2.3",
        description: "SPDX 2.3 tag-value",
        write: spdx_tag_value::write,
        relative_cost: 1,
    },
];

pub fn find_format(id: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|f| f.id.eq_ignore_ascii_case(id))
}

/// One `-o FORMAT[=PATH]` request: no path means standard output.
#[derive(Debug)]
pub struct OutputSpec {
    pub format: &'static Format,
    pub path: Option<PathBuf>,
}

impl std::str::FromStr for OutputSpec {
    type Err = String;

    fn from_str(spec: &str) -> Result<OutputSpec, String> {
        let (id, path) = match spec.split_once('=') {
            Some((id, path)) if !path.is_empty() => (id, Some(PathBuf::from(path))),
            Some((_, _)) => return Err(format!("`{spec}`: the path after `=` is empty")),
            None => (spec, None),
        };
        let format = find_format(id).ok_or_else(|| {
            let known: Vec<&str> = FORMATS.iter().map(|f| f.id).collect();
            format!("unknown output format `{id}` (known: {})", known.join(", "))
        })?;
        Ok(OutputSpec { format, path })
    }
}

/// Writes `bytes` to `path` atomically; see `write_atomically_with`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |out| out.write_all(bytes))
}

/// Writes what `write` produces to `path` through a temporary file in the same directory and
/// a rename, so a reader never sees half a document and a failure (of the disk or of `write`)
/// leaves any previous file in place. A symbolic link is followed (the file it names is
/// replaced, the link kept), and a device, pipe or socket (`/dev/stdout`, `/dev/null`, a FIFO)
/// is written in place: a rename would replace it with a regular file.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_unpersisted(path, write)?.persist()
}

/// The first half of [`write_atomically_with`]: the document is written to its temporary
/// file (or in place, for a device); [`Unpersisted::persist`] does the rest. Between the two
/// the caller may do other work, such as writing its next output while this one waits for
/// the disk.
pub fn write_unpersisted(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> std::io::Result<Unpersisted> {
    let path = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            let mut out = BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
            write(&mut out)?;
            out.flush()?;
            return Ok(Unpersisted(None));
        }
        Ok(_) if path.is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".bomsight-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let flushing = writeback::write_flushing_early(tmp.as_file(), write)?;
    Ok(Unpersisted(Some((tmp, path, flushing))))
}

/// A document written in full to a temporary file, not yet in its place (dropped without
/// [`persist`](Unpersisted::persist), the temporary file is removed and any previous file
/// stays). `None` for a document written in place to a device.
pub struct Unpersisted(Option<(tempfile::NamedTempFile, PathBuf, writeback::Flushing)>);

impl Unpersisted {
    /// Flushes the temporary file to the disk (most of it already is, or is being: see
    /// [`writeback`]) and renames it over the destination.
    pub fn persist(self) -> std::io::Result<()> {
        let Some((tmp, path, flushing)) = self.0 else {
            return Ok(());
        };
        flushing.finish()?;
        tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_written_at_once_on_a_small_pool_share_what_they_build_without_waiting_for_themselves() {
        // The four outputs as a scan writes them: jobs of one rayon scope on two threads,
        // each rendering in parallel, all sharing one Rendering whose digest and SPDX document
        // the first asker builds. (Were those built on rayon's pool, a thread waiting for its
        // helpers could take up another output's job and wait for its own OnceLock; that
        // takes an unlucky moment, which this test may or may not meet: the guard is that
        // `parallel::map_runs` builds them on threads of its own.)
        use crate::model::{Component, Ecosystem, GraphBuilder, Source, Subject, Timestamp};
        let mut builder = GraphBuilder::new();
        for n in 0..5000 {
            let mut c = Component::new(
                Ecosystem::Npm,
                None,
                &format!("p{n}"),
                Some("1.0.0"),
                Source::DefaultRegistry,
            )
            .unwrap();
            c.found_in(&format!("app{}/package-lock.json", n % 7), Some(n));
            builder.add_component(c);
        }
        let sbom = Sbom {
            subject: Subject {
                name: "many".into(),
                version: None,
            },
            created: Timestamp(0),
            graph: builder.build().0,
        };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let (done, finished) = std::sync::mpsc::channel();
        // A thread of its own, not joined: should the outputs wait for themselves, the test
        // fails after the timeout instead of hanging.
        std::thread::spawn(move || {
            for _ in 0..10 {
                let rendering = Rendering::new(&sbom);
                let sizes: Vec<std::sync::Mutex<usize>> = FORMATS.iter().map(|_| Default::default()).collect();
                pool.scope_fifo(|outputs| {
                    for (format, size) in FORMATS.iter().zip(&sizes) {
                        let rendering = &rendering;
                        outputs.spawn_fifo(move |_| {
                            let mut out = Vec::new();
                            (format.write)(rendering, &mut out).unwrap();
                            *size.lock().unwrap() = out.len();
                        });
                    }
                });
                assert!(sizes.iter().all(|s| *s.lock().unwrap() > 100_000));
            }
            done.send(()).unwrap();
        });
        let waited = finished.recv_timeout(std::time::Duration::from_secs(120));
        assert!(
            waited.is_ok(),
            "the outputs did not finish (or failed): waiting for themselves?"
        );
    }

    #[test]
    fn output_specs_parse() {
        let s: OutputSpec = "cyclonedx-json@1.5=out/x.json".parse().unwrap();
        assert_eq!(s.format.id, "cyclonedx-json@1.5");
        assert_eq!(s.path.as_deref(), Some(Path::new("out/x.json")));
        let s: OutputSpec = "spdx-json".parse().unwrap();
        assert!(s.path.is_none());
        assert!("cyclonedx-xml"
            .parse::<OutputSpec>()
            .unwrap_err()
            .contains("unknown output format"));
        assert!("spdx-json=".parse::<OutputSpec>().is_err());
    }

    #[test]
    fn format_ids_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for f in FORMATS {
            assert!(seen.insert(f.id), "{}", f.id);
        }
    }

    #[test]
    fn a_document_not_persisted_leaves_the_previous_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomically(&p, b"old").unwrap();
        let pending = write_unpersisted(&p, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "the temporary file is there"
        );
        drop(pending);
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "and gone");
        write_unpersisted(&p, |out| out.write_all(b"new"))
            .unwrap()
            .persist()
            .unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomically(&p, b"one").unwrap();
        write_atomically(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
        assert!(write_atomically(&dir.path().join("missing/dir/x"), b"x").is_err());

        // A document that fails halfway through leaves the previous one whole.
        let failed = write_atomically_with(&p, |out| {
            out.write_all(b"half a docu")?;
            Err(std::io::Error::other("the exporter stopped"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "the exporter stopped");
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_pipes_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(link.is_symlink(), "the link is kept");
        assert_eq!(std::fs::read(&real).unwrap(), b"new");

        // What `-o spdx-json=/dev/stdout` or a FIFO a CI step reads from looks like.
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomically(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
    }
}
