//! Writing a file while a helper thread flushes what is already written to the disk, so that
//! the fsync which later makes it durable has only the last stretch left to wait for.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::mpsc::{sync_channel, SyncSender};

/// Bytes written between two requests to flush (a 60 MB SBOM makes seven).
const STEP: usize = 8 << 20;

/// Writes what `write` produces to `file` through a buffer; every [`STEP`] bytes a helper
/// thread flushes the data written so far (`fdatasync`) while writing goes on. The flush
/// still running when the writing is done is not waited for here (the caller would sit idle
/// for the disk): [`Flushing::finish`] waits for it, and returns a failed flush as its error
/// (the kernel reports a failed write-back once per open file, so the final fsync would not
/// see it again).
pub fn write_flushing_early(
    file: &File,
    write: impl FnOnce(&mut (dyn Write + Send)) -> io::Result<()>,
) -> io::Result<Flushing> {
    let flushed_file = file.try_clone()?;
    let (request, requests) = sync_channel::<()>(1);
    let flusher = std::thread::Builder::new()
        .name("bomsight-flush".into())
        .spawn(move || -> io::Result<()> {
            for () in requests {
                flushed_file.sync_data()?;
            }
            Ok(())
        })?;
    let flushing = Flushing(flusher);
    let written = {
        let mut out = BufWriter::with_capacity(
            1 << 16,
            Requesting {
                file,
                since_request: 0,
                request,
            },
        );
        write(&mut out).and_then(|()| out.flush())
        // `out` and its sender go here, which ends the flusher's loop.
    };
    match written {
        Ok(()) => Ok(flushing),
        Err(e) => {
            // The document is abandoned; its flushes are waited for only so that no thread
            // outlives the failure.
            let _ = flushing.finish();
            Err(e)
        }
    }
}

/// The helper thread of [`write_flushing_early`], finishing the flushes asked for.
pub struct Flushing(std::thread::JoinHandle<io::Result<()>>);

impl Flushing {
    /// Waits for the flushes still running; a failed one is the error.
    pub fn finish(self) -> io::Result<()> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the thread flushing the file panicked")))
    }
}

/// Writes to the file and asks for a flush every [`STEP`] bytes (never waiting: a request
/// already pending covers the new bytes too).
struct Requesting<'a> {
    file: &'a File,
    since_request: usize,
    request: SyncSender<()>,
}

impl Write for Requesting<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = (&mut &*self.file).write(bytes)?;
        self.since_request += n;
        if self.since_request >= STEP {
            self.since_request = 0;
            // Full: a flush is pending. Disconnected: the flusher failed, and says so when
            // joined.
            let _ = self.request.try_send(());
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&mut &*self.file).flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_written_arrives_across_many_flush_requests() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        let file = File::create(&path).unwrap();
        let line: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let lines = 3 * STEP / line.len() + 7;
        write_flushing_early(&file, |out| {
            for _ in 0..lines {
                out.write_all(&line)?;
            }
            Ok(())
        })
        .and_then(Flushing::finish)
        .unwrap();
        let read = std::fs::read(&path).unwrap();
        assert_eq!(read.len(), lines * line.len());
        assert!(read.chunks(line.len()).all(|chunk| chunk == line.as_slice()));
    }

    #[test]
    fn the_writers_error_is_returned() {
        let dir = tempfile::tempdir().unwrap();
        let file = File::create(dir.path().join("f")).unwrap();
        let failed = write_flushing_early(&file, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("the exporter stopped"))
        });
        assert_eq!(
            failed.err().map(|e| e.to_string()).as_deref(),
            Some("the exporter stopped")
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_disk_is_an_error() {
        // /dev/full accepts the open and refuses every write.
        let file = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let failed = write_flushing_early(&file, |out| out.write_all(&vec![b'x'; 1 << 20]));
        assert!(failed.and_then(Flushing::finish).is_err());
    }
}
