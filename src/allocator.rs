//! The global allocator (mimalloc) and the two settings bomsight changes in it.
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

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Positions in mimalloc 2's `mi_option_t` (vendored by the libmimalloc-sys that Cargo.lock
// pins; check the header's enum when updating it).
const PURGE_DELAY: std::ffi::c_int = 15;
const ALLOW_THP: std::ffi::c_int = 37;

extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
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
