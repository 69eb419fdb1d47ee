#!/usr/bin/env bash
# bomsight's scale benchmark: one synthetic monorepo, several measurements on it.
#   bench/run.sh [PROJECTS] [FILLER] [DIFF_COMPONENTS]     (defaults 2000 100000 100000)
# Environment: BENCH_DIR (default /tmp/bomsight-bench), RUNS (best of, default 3),
# CDXGEN_TIMEOUT (seconds, default 600; cdxgen runs when ../shared/oracles/setup.sh installed it),
# CDXGEN_RUNS (cdxgen's best of, default 1: a run takes minutes; bomsight's best of RUNS
# against one cdxgen run favours bomsight by cdxgen's run-to-run spread).
# Measures on the same tree: the I/O floor (walk + read every project file), the parse floor
# (bench/parse_floor.rs: walk + parse every lockfile into a generic document, all cores),
# bomsight scan writing all four outputs and writing only CycloneDX JSON (what cdxgen writes;
# floor and scans in alternating rounds), cdxgen, and
# bomsight diff of two SBOMs of DIFF_COMPONENTS components each; prints seconds, peak memory
# and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
projects=${1:-2000}
filler=${2:-100000}
diff_components=${3:-100000}
dir=${BENCH_DIR:-/tmp/bomsight-bench}
runs=${RUNS:-3}
tree=$dir/tree
mkdir -p "$dir"

cargo build --release --quiet --bin bomsight --example parse_floor
bin=target/release/bomsight
floor=target/release/examples/parse_floor

echo "building the tree: $projects projects, $filler other files" >&2
python3 bench/make_tree.py "$tree" "$projects" "$filler" >&2
python3 bench/make_sboms.py "$diff_components" "$dir/old.cdx.json" "$dir/new.cdx.json"

# best-of-N wall seconds and the peak RSS (KB) of that run: "SECONDS KB"
measure() {
    local best="" best_kb="" out
    for _ in $(seq "$runs"); do
        /usr/bin/time -o "$dir/time.txt" -f "%e %M" "$@" > /dev/null 2> "$dir/stderr.txt" || true
        out=$(tail -1 "$dir/time.txt")
        if [[ -z $best ]] || awk -v a="${out% *}" -v b="$best" 'BEGIN{exit !(a<b)}'; then
            best=${out% *}
            best_kb=${out#* }
        fi
    done
    echo "$best $best_kb"
}

io() {
    find "$tree" -type f > /dev/null
    xargs -d '\n' -a "$tree.lockfiles" cat > /dev/null
}
export -f io
export tree

# The floor and the scan are measured in alternation, one run of each per round: on a shared
# host the load drifts, and two blocks of runs minutes apart would compare different machines.
scan=("$bin" scan "$tree" --quiet
    -o cyclonedx-json="$dir/out.cdx.json" -o cyclonedx-json@1.5="$dir/out.cdx15.json"
    -o spdx-json="$dir/out.spdx.json" -o spdx-tag-value="$dir/out.spdx")
read -r io_s io_kb < <(measure bash -c io)
# What cdxgen writes, for a like-for-like comparison: one CycloneDX JSON file.
scan_one=("$bin" scan "$tree" --quiet -o cyclonedx-json="$dir/one.cdx.json")
floor_s="" scan_s="" one_s=""
# Each scan writes new files, as cdxgen (its script removes the BOM first) and a CI job do:
# replacing the last round's files would add the kernel's freeing of their cached pages.
outputs=("$dir/out.cdx.json" "$dir/out.cdx15.json" "$dir/out.spdx.json" "$dir/out.spdx" "$dir/one.cdx.json")
for _ in $(seq "$runs"); do
    read -r f f_kb < <(runs=1 measure "$floor" "$tree")
    rm -f "${outputs[@]}"
    read -r s s_kb < <(runs=1 measure "${scan[@]}")
    read -r o o_kb < <(runs=1 measure "${scan_one[@]}")
    if [[ -z $floor_s ]] || awk -v a="$f" -v b="$floor_s" 'BEGIN{exit !(a<b)}'; then floor_s=$f floor_kb=$f_kb; fi
    if [[ -z $scan_s ]] || awk -v a="$s" -v b="$scan_s" 'BEGIN{exit !(a<b)}'; then scan_s=$s scan_kb=$s_kb; fi
    if [[ -z $one_s ]] || awk -v a="$o" -v b="$one_s" 'BEGIN{exit !(a<b)}'; then one_s=$o one_kb=$o_kb; fi
done
components=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['components']))" "$dir/out.cdx.json")
read -r diff_s diff_kb < <(measure "$bin" diff "$dir/old.cdx.json" "$dir/new.cdx.json" --quiet -o json="$dir/diff.json")
lock_bytes=$(xargs -d '\n' -a "$tree.lockfiles" cat | wc -c)

cdxgen_s="not run"
cdxgen_runs=${CDXGEN_RUNS:-1}
cdxgen_all=""
if [[ -x ${ORACLES_HOME:-/tmp/oracles}/node/node_modules/.bin/cdxgen ]]; then
    for _ in $(seq "$cdxgen_runs"); do
        start=$(date +%s.%N)
        if timeout "${CDXGEN_TIMEOUT:-600}" ../shared/oracles/cdxgen-purls.sh --recurse "$tree" > /dev/null 2> "$dir/cdxgen.txt"; then
            # cdxgen's own time as the script reports it (without the purl listing after it).
            t=$(sed -n 's/.* wall=\([0-9.]*\)s .*/\1/p' "$dir/cdxgen.txt" | tail -1)
            [[ -n $t ]] || t=$(echo "$(date +%s.%N) - $start" | bc)
        else
            # A failed run ends the series; an earlier run's time, if any, still counts.
            [[ $cdxgen_s =~ ^[0-9.]+$ ]] || cdxgen_s="failed or over ${CDXGEN_TIMEOUT:-600} s (see $dir/cdxgen.txt)"
            cdxgen_all="$cdxgen_all failed"
            break
        fi
        cdxgen_all="$cdxgen_all $t"
        if ! [[ $cdxgen_s =~ ^[0-9.]+$ ]] || awk -v a="$t" -v b="$cdxgen_s" 'BEGIN{exit !(a<b)}'; then
            cdxgen_s=$t
        fi
    done
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mb() { awk -v k="$1" 'BEGIN{printf "%.0f MB", k / 1024}'; }
cat <<REPORT

tree: $(find "$tree" -type f | wc -l) files, $(awk -v b="$lock_bytes" 'BEGIN{printf "%.1f", b/1e6}') MB of project files; scan found $components components
| measurement | seconds (best of $runs) | peak memory |
|---|---|---|
| I/O floor (find + cat) | $io_s | $(mb "$io_kb") |
| parse floor (bench/parse_floor.rs) | $floor_s | $(mb "$floor_kb") |
| bomsight scan, 4 outputs | $scan_s | $(mb "$scan_kb") |
| bomsight scan, 1 output (CycloneDX JSON, as cdxgen) | $one_s | $(mb "$one_kb") |
| bomsight diff, 2 x $diff_components components | $diff_s | $(mb "$diff_kb") |
| cdxgen${cdxgen_all:+ (best of $cdxgen_runs:$cdxgen_all)} | $cdxgen_s | |

bomsight / parse floor: $(ratio "$scan_s" "$floor_s")   (target <= 1.5)
bomsight / I/O floor:   $(ratio "$scan_s" "$io_s")
cdxgen / bomsight:      $( [[ $cdxgen_s =~ ^[0-9.]+$ ]] && ratio "$cdxgen_s" "$scan_s" || echo "-")   (target >= 100)
cdxgen / bomsight with the same one output: $( [[ $cdxgen_s =~ ^[0-9.]+$ ]] && ratio "$cdxgen_s" "$one_s" || echo "-")
peak memory / (2 x lockfile bytes + 50 MB): $(awk -v k="$scan_kb" -v b="$lock_bytes" 'BEGIN{printf "%.2f", k*1024 / (2*b + 50e6)}')   (target <= 1)
REPORT
