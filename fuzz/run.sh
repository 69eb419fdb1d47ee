#!/usr/bin/env bash
# Runs the fuzz targets (all, or those named) for SECONDS each, seeded with the testdata.
#   fuzz/run.sh 600                    every target, 10 minutes each
#   fuzz/run.sh 60 gemfile_lock mix_lock
# Needs `cargo install cargo-fuzz`; the stable toolchain builds it with RUSTC_BOOTSTRAP=1.
# Crashes land in fuzz/artifacts/TARGET/; copy each into testdata/hostile/fuzz/TARGET/ once
# fixed, where a test replays it.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
export RUSTC_BOOTSTRAP=1

declare -A path_of
while IFS=$'\t' read -r name path; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    path_of[$name]=$path
done < targets.tsv
path_of[import_sbom]=""
path_of[yaml_block]=""
path_of[toml_simple]=""
path_of[pretty_json]=""

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(printf '%s\n' "${!path_of[@]}" | sort)
fi

seed() {
    local target=$1 dir=corpus/$1 f
    mkdir -p "$dir"
    if [[ $target == import_sbom ]]; then
        find ../testdata/sboms -type f
    elif [[ $target == yaml_block ]]; then
        find ../testdata -type f \( -name '*.yaml' -o -name '*.yml' -o -name yarn.lock -o -name pubspec.lock \)
    elif [[ $target == pretty_json ]]; then
        find ../testdata -type f -name '*.json'
    elif [[ $target == toml_simple ]]; then
        find ../testdata -type f \( -name '*.toml' -o -name Cargo.lock -o -name uv.lock -o -name poetry.lock -o -name pdm.lock \)
    else
        find ../testdata -type f -name "$(basename "${path_of[$target]}")"
    fi | while read -r f; do
        cp "$f" "$dir/seed-$(sha1sum < "$f" | cut -c1-16)"
        # go.mod's target reads a go.sum after the first NUL of its input.
        if [[ $target == go_mod && -f $(dirname "$f")/go.sum ]]; then
            local both
            both=$(mktemp)
            { cat "$f"; printf '\0'; cat "$(dirname "$f")/go.sum"; } > "$both"
            mv "$both" "$dir/seed-$(sha1sum < "$both" | cut -c1-16)"
        fi
    done
}

failed=()
for t in "${targets[@]}"; do
    [[ -v "path_of[$t]" ]] || { echo "unknown target $t" >&2; exit 2; }
    seed "$t"
    echo "== $t (${seconds}s, $(ls "corpus/$t" | wc -l) inputs to start)"
    if ! cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 2>"logs-$t.txt"; then
        failed+=("$t")
        tail -30 "logs-$t.txt"
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "logs-$t.txt" | tr '\n' ' '
        echo
    fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "crashed or hung: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "no crash in ${#targets[@]} target(s)"
