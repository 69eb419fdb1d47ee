//! The global allocator (mimalloc, entered by its plain functions where it can be) and the
//! two settings bomsight changes in it.
//!
//! The scan allocates many small strings on every core; glibc's allocator spent a third of
//! the scan in malloc/free and its arena locks (bench/run.sh, perf). mimalloc by default
//! gives memory it has not used for a second back to the kernel, which splits the huge pages it
//! sits on; the scan then faults the same memory in again, 4 KiB at a time, zeroed by the
//! kernel each time (bench tree: 13,000-26,000 page faults and 1.1 s of system time, against
//! 470 and 0.75 s without purging, for 20-40 MB more peak memory). A run lasts seconds, so
//! bomsight keeps what it has.
//!
//! mimalloc 2 rather than 3 (the `v2` feature): on the bench tree its per-thread segments
//! touched less fresh memory than 3's shared arena (peak 178 MB against 230 MB, system time
//! 0.33 s against 0.54 s, scan 4% faster, medians of eight paired rounds). Touching fresh
//! memory is what costs on a virtual machine: the kernel clears every page first.
//!
//! Transparent huge pages are off for the process: mimalloc asks for them on its segments,
//! and the kernel then clears (and sometimes first compacts memory for) 2 MiB at the first
//! touch of a segment that may stay mostly unused. Without them: system time 0.64 -> 0.34 s,
//! CPU time -7%, peak 174 -> 163 MB, and far steadier times (medians of eight paired rounds).

// The functions below come from the library this crate builds and links (its own allocator
// type is not used, so it is named here to be linked).
extern crate mimalloc as _;

#[global_allocator]
static ALLOCATOR: Mimalloc = Mimalloc;

/// mimalloc, entered through `mi_malloc` wherever the alignment allows: the `mimalloc` crate's
/// allocator calls `mi_malloc_aligned` for every allocation, whose checks (power of two, a
/// free block of the right alignment, else a generic path) cost ~1% of a scan's samples.
/// Every block mimalloc hands out is aligned to at least a pointer's size.
struct Mimalloc;

/// The alignment every mimalloc block has (`MI_INTPTR_SIZE`).
const BLOCK_ALIGN: usize = std::mem::size_of::<usize>();

// SAFETY: each function passes the layout's size (and, beyond BLOCK_ALIGN, its alignment) to
// the mimalloc function of the same contract; blocks come from and go back to mimalloc only.
unsafe impl std::alloc::GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        new_block(layout, mi_malloc, mi_malloc_aligned)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        new_block(layout, mi_zalloc, mi_zalloc_aligned)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        mi_free(ptr.cast())
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            mi_realloc(ptr.cast(), new_size).cast()
        } else {
            mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
        }
    }
}

/// A block for `layout` from `plain` where mimalloc's own alignment suffices, else from
/// `aligned`.
#[inline(always)]
unsafe fn new_block(
    layout: std::alloc::Layout,
    plain: unsafe extern "C" fn(usize) -> *mut std::ffi::c_void,
    aligned: unsafe extern "C" fn(usize, usize) -> *mut std::ffi::c_void,
) -> *mut u8 {
    if layout.align() <= BLOCK_ALIGN {
        plain(layout.size()).cast()
    } else {
        aligned(layout.size(), layout.align()).cast()
    }
}

// Positions in mimalloc 2's `mi_option_t` (vendored by the libmimalloc-sys that Cargo.lock
// pins; check the header's enum when updating it).
const PURGE_DELAY: std::ffi::c_int = 15;
const ALLOW_THP: std::ffi::c_int = 37;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    fn mi_malloc(size: usize) -> *mut std::ffi::c_void;
    fn mi_zalloc(size: usize) -> *mut std::ffi::c_void;
    fn mi_realloc(ptr: *mut std::ffi::c_void, new_size: usize) -> *mut std::ffi::c_void;
    fn mi_malloc_aligned(size: usize, alignment: usize) -> *mut std::ffi::c_void;
    fn mi_zalloc_aligned(size: usize, alignment: usize) -> *mut std::ffi::c_void;
    fn mi_realloc_aligned(ptr: *mut std::ffi::c_void, new_size: usize, alignment: usize) -> *mut std::ffi::c_void;
    fn mi_free(ptr: *mut std::ffi::c_void);
}

/// Turns purging and transparent huge pages off, each unless the user set mimalloc's
/// environment variable for it themselves. Called first thing in `main`.
pub fn configure() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: the function takes an option number and a plain integer; mimalloc checks
        // the number against its option table, and setting an option is thread-safe.
        unsafe { mi_option_set(PURGE_DELAY, -1) }
    }
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: as above.
        unsafe { mi_option_set(ALLOW_THP, 0) }
        // mimalloc reads the option at start-up to make this call; `main` is later.
        #[cfg(target_os = "linux")]
        // SAFETY: PR_SET_THP_DISABLE takes one integer flag and affects only this process
        // (and children it starts, for which huge pages do not matter either).
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}
