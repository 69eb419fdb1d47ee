//! Output rendered on every core and written in order: a long list (a document's components
//! or packages) is cut into pieces, a batch of pieces is rendered into memory in parallel
//! while the batch before it is written.

use rayon::prelude::*;
use std::io::{self, Write};

/// Items per piece for records of a few kilobytes each (a component, a package): a piece is
/// a few hundred kilobytes, large enough that handing it to a core costs nothing, small
/// enough to balance the cores.
pub const RECORDS: usize = 64;

/// Items per piece for entries of one line (a relationship); entries of a few lines take a
/// fraction of it.
pub const LINES: usize = 1024;

/// Pieces rendered before they are written: the memory held is twice this many pieces (one
/// batch being written, one being rendered), not the whole list.
const PIECES_AT_ONCE: usize = 8;

/// Renders a piece: the items from position `start` of the list, appended to the buffer.
pub type RenderPiece<'a, I> = dyn Fn(usize, &[I], &mut Vec<u8>) -> io::Result<()> + Sync + 'a;

/// Writes every item of `items`, as `render` renders it `piece` items at a time ([`RECORDS`],
/// [`LINES`]), to `out` in order. The bytes are those of rendering the whole list in one go.
pub fn write_in_order<I: Sync, W: Write + Send + ?Sized>(
    out: &mut W,
    items: &[I],
    piece: usize,
    render: &RenderPiece<'_, I>,
) -> io::Result<()> {
    let piece = piece.max(1);
    let mut batches = items.chunks(piece * PIECES_AT_ONCE).enumerate();
    // Buffers are kept from one batch to the next: fresh memory costs a page fault per 4 KiB.
    let (mut ready, mut next) = (Vec::new(), Vec::new());
    if let Some((_, first)) = batches.next() {
        render_batch(&mut ready, 0, first, piece, render)?;
    }
    for (n, batch) in batches {
        let (written, rendered) = rayon::join(
            || ready.iter().try_for_each(|piece| out.write_all(piece)),
            || render_batch(&mut next, n * piece * PIECES_AT_ONCE, batch, piece, render),
        );
        written?;
        rendered?;
        std::mem::swap(&mut ready, &mut next);
    }
    ready.iter().try_for_each(|piece| out.write_all(piece))
}

/// Renders `batch` (starting at position `start` of the list) into `pieces`, one buffer per
/// `piece` items, on all cores.
fn render_batch<I: Sync>(
    pieces: &mut Vec<Vec<u8>>,
    start: usize,
    batch: &[I],
    piece: usize,
    render: &RenderPiece<'_, I>,
) -> io::Result<()> {
    pieces.resize_with(batch.len().div_ceil(piece), Vec::new);
    pieces
        .par_iter_mut()
        .zip(batch.par_chunks(piece))
        .enumerate()
        .try_for_each(|(n, (buf, items))| {
            buf.clear();
            render(start + n * piece, items, buf)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_arrives_once_in_order_with_its_position() {
        for count in [
            0,
            1,
            RECORDS - 1,
            RECORDS + 1,
            RECORDS * PIECES_AT_ONCE,
            RECORDS * PIECES_AT_ONCE * 3 + 7,
        ] {
            let items: Vec<usize> = (0..count).collect();
            let mut out = Vec::new();
            write_in_order(&mut out, &items, RECORDS, &|start, piece, buf| {
                for (i, item) in piece.iter().enumerate() {
                    assert_eq!(start + i, *item);
                    buf.extend_from_slice(format!("{item}\n").as_bytes());
                }
                Ok(())
            })
            .unwrap();
            let expected: String = items.iter().map(|i| format!("{i}\n")).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{count} items");
        }
    }

    #[test]
    fn the_first_error_stops_the_writing() {
        let items: Vec<usize> = (0..RECORDS * PIECES_AT_ONCE * 2).collect();
        let mut out = Vec::new();
        let failed = write_in_order(&mut out, &items, RECORDS, &|start, _, _| {
            if start >= RECORDS * PIECES_AT_ONCE {
                Err(io::Error::other("cannot render"))
            } else {
                Ok(())
            }
        });
        assert_eq!(failed.unwrap_err().to_string(), "cannot render");
    }
}
