#!/usr/bin/env bash
# Whole-command timings of the NativeAOT krait (process start included), median of RUNS runs (default 15).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-15}"
./bench/publish.sh >/dev/null   # always: the binary must be the code being measured
channel=../shared/data/channels/defaults-2017
[ -d "$channel" ] || channel=./examples/channel

time_command() {
    local label="$1"; shift
    local samples=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s%N)
        samples+=($(( (end - start) / 1000 )))
    done
    local median
    median=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    awk -v label="$label" -v us="$median" -v runs="$runs" 'BEGIN { printf "%-60s median %6.1f ms (%s runs)\n", label, us / 1000, runs }'
}

time_command "krait --version" artifacts/krait-aot/krait --version
time_command "krait search numpy==1.14.0 --json ($(basename "$channel"))" artifacts/krait-aot/krait search --override-channels -c "$channel" --platform linux-64 "numpy==1.14.0" --json
time_command "krait search 'py*' ($(basename "$channel"), full parse)" artifacts/krait-aot/krait search --override-channels -c "$channel" --platform linux-64 "py*"
time_command "krait info --json" artifacts/krait-aot/krait info --json
