//! Work on every core by threads of the caller's own, for where rayon's pool must not be
//! entered (see [`map_runs`]).

/// `f` of each `run`-long stretch of `items`, in order, computed on every core by threads of
/// its own, not rayon's: it is called while something shared is being initialized (a
/// `OnceLock` the outputs share, the scan's memo), where a rayon thread waiting for its
/// helpers could take up another job, reach the same lock and wait for itself. Each thread
/// (the calling one too) takes the next stretch when it is done with one, so stretches of
/// unequal cost still keep every core busy to the end.
pub fn map_runs<I: Sync, T: Send>(items: &[I], run: usize, f: impl Fn(&[I]) -> T + Sync) -> Vec<T> {
    let runs: Vec<&[I]> = items.chunks(run.max(1)).collect();
    let threads = rayon::current_num_threads().clamp(1, runs.len().max(1));
    if threads == 1 {
        return runs.into_iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(run) = runs.get(at) else {
                return done;
            };
            done.push((at, f(run)));
        }
    };
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            done.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    });
    done.sort_unstable_by_key(|&(at, _)| at);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_mapped_in_order() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            for run in [1, 7, 64, 1000, 5000] {
                let sums = pool.install(|| map_runs(&items, run, |r| r.iter().sum::<usize>()));
                let expected: Vec<usize> = items.chunks(run).map(|r| r.iter().sum()).collect();
                assert_eq!(sums, expected, "runs of {run} on {threads} threads");
            }
        }
        assert!(map_runs(&[] as &[u8], 4, |r| r.len()).is_empty());
    }
}
