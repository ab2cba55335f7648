#!/usr/bin/env bash
# Solver benchmarks in one command:
#  - the conda-forge-scale generated channel (600,000 records over linux-64 + noarch, seed 42): in process (index vs
#    solve) and as a whole `krait create --dry-run` (NativeAOT) with peak memory;
#  - numpy scipy pandas on defaults-2017 and the sudoku channel, whole command;
#  - every conformance solve: ./bench/solves.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
dotnet build bench/Krait.Bench -c Release -v quiet -nologo >/dev/null
dotnet build bench/Krait.Bench.Generator -c Release -v quiet -nologo >/dev/null
./bench/publish.sh >/dev/null   # always: the binary must be the code being measured
big=bench/out/conda-forge
[ -f "$big/linux-64/repodata.json" ] || dotnet bench/Krait.Bench.Generator/bin/Release/net10.0/krait-channel-gen.dll --preset conda-forge --seed 42 --out "$big"
specs=(python numpy scipy pandas matplotlib scikit-learn jupyter)

dotnet bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll scale --runs "$runs" "./$big" linux-64 "${specs[@]}"

whole() {
    local label="$1"; shift
    local samples=() peak=0
    for _ in $(seq "$runs"); do
        local start end rss
        start=$(date +%s%N)
        /usr/bin/time -f "%M" -o /tmp/krait-bench-rss "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        samples+=($(( (end - start) / 1000 )))
        rss=$(tail -n 1 /tmp/krait-bench-rss 2>/dev/null || echo 0)
        [ "$rss" -gt "$peak" ] && peak=$rss
    done
    local median
    median=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    awk -v label="$label" -v us="$median" -v kb="$peak" -v runs="$runs" 'BEGIN { printf "%-70s median %7.1f ms, peak RSS %5.0f MB (%s runs)\n", label, us / 1000, kb / 1024, runs }'
}

krait=artifacts/krait-aot/krait
whole "krait create --dry-run ${specs[*]} (conda-forge scale)" "$krait" create -p /tmp/krait-bench --dry-run --override-channels -c "./$big" --platform linux-64 "${specs[@]}"
shared=../shared/data/channels
if [ -d "$shared" ]; then
    whole "krait create --dry-run numpy scipy pandas (defaults-2017)" "$krait" create -p /tmp/krait-bench --dry-run --override-channels -c "$shared/defaults-2017" --platform linux-64 numpy scipy pandas
    sudoku=$(grep '"channel": "sudoku"' ../shared/conformance/solves.jsonl | head -1 | python3 -c 'import json,sys; print(" ".join(json.loads(sys.stdin.read())["specs"]))' 2>/dev/null || true)
    if [ -n "$sudoku" ]; then
        # shellcheck disable=SC2086
        whole "krait create --dry-run <sudoku puzzle> (sudoku, unsatisfiable)" "$krait" create -p /tmp/krait-bench --dry-run --override-channels -c "$shared/sudoku" --platform linux-64 $sudoku
    fi
fi
