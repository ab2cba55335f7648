#!/usr/bin/env bash
# Remote channels: whole `krait create --dry-run` (NativeAOT) against the conda-forge-scale generated channel
# (600,000 records, seed 42) served over HTTP on 127.0.0.1, the same records two ways: full repodata
# (repodata.json.zst) and sharded (CEP-16), each cold (empty caches: everything fetched) and warm (cached: only
# conditional requests). Medians of RUNS runs (default 5). The server is python's http.server (Last-Modified and
# 304s; bench/serve.py), DELAY_MS=N adds N ms to each request; VARIANTS=sharded measures one way only; KRAIT=path
# measures another binary. Everything stays under bench/out/remote.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
out="$PWD/bench/out/remote"
port="${PORT:-18642}"
specs=(python numpy scipy pandas matplotlib scikit-learn jupyter)

# KRAIT=path measures that binary instead (an older build, to compare before and after a change).
if [ -n "${KRAIT:-}" ]; then
    krait="$KRAIT"
else
    ./bench/publish.sh >/dev/null
    krait="$PWD/artifacts/krait-aot/krait"
fi
dotnet build bench/Krait.Bench -c Release -nologo -v q >/dev/null
dotnet build bench/Krait.Bench.Generator -c Release -nologo -v q >/dev/null

big=bench/out/conda-forge
[ -f "$big/linux-64/repodata.json" ] || dotnet bench/Krait.Bench.Generator/bin/Release/net10.0/krait-channel-gen.dll --preset conda-forge --seed 42 --out "$big"
mkdir -p "$out/served"
for variant in ${VARIANTS:-full sharded}; do
    for subdir in linux-64 noarch; do
        target="$out/served/$variant/$subdir"
        if [ ! -f "$target/.done" ]; then
            rm -rf "$target" && mkdir -p "$target"
            if [ "$variant" = full ]; then
                zstd -q -T0 -10 "$big/$subdir/repodata.json" -o "$target/repodata.json.zst"
            else
                cp "$big/$subdir/repodata.json" "$target/repodata.json"
                dotnet bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll shard "$target" >/dev/null
                rm "$target/repodata.json"   # a sharded subdir still serves repodata.json; left out so no solve can fall back to it
            fi
            touch "$target/.done"
        fi
    done
done

# DELAY_MS (default 0) adds that much to every request, as a server that far away would.
python3 bench/serve.py "$port" "$out/served" "${DELAY_MS:-0}" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

# median_ms LABEL PREPARE COMMAND...: PREPARE runs untimed before each of RUNS timed runs (after one warm-up).
median_ms() {
    local label="$1" prepare="$2"; shift 2
    local samples=()
    for run in $(seq 0 "$runs"); do
        eval "$prepare"
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@" 2>&1 | tail -3 >&2; exit 1; }
        end=$(date +%s%N)
        if [ "$run" -gt 0 ]; then samples+=($(( (end - start) / 1000 ))); fi
    done
    local median
    median=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    awk -v label="$label" -v us="$median" 'BEGIN { printf "  %-52s %9.1f ms\n", label, us / 1000 }'
}

echo "== krait create --dry-run ${specs[*]} against the conda-forge-scale channel over http://127.0.0.1 (${DELAY_MS:-0} ms per request)"
for variant in ${VARIANTS:-full sharded}; do
    home="$out/home-$variant"
    export HOME="$home" CONDARC="$home/.condarc" CONDA_PKGS_DIRS="$home/pkgs"
    command=("$krait" create -p "$home/env" --dry-run -c "http://127.0.0.1:$port/$variant" --override-channels --platform linux-64 "${specs[@]}")
    median_ms "$variant: cold (empty cache)" "rm -rf '$home' && mkdir -p '$home' && : > '$home/.condarc'" "${command[@]}"
    median_ms "$variant: warm (cached, conditional requests)" ":" "${command[@]}"
    cached=$(du -sb "$home/pkgs/cache" | cut -f1)
    awk -v label="$variant: bytes in the repodata cache" -v b="$cached" 'BEGIN { printf "  %-52s %9.1f MB\n", label, b / 1e6 }'
done
served_full=$(du -cb "$out/served/full"/*/repodata.json.zst | tail -1 | cut -f1)
shards=$(find "$out/served/sharded" -name '*.msgpack.zst' | wc -l)
echo "  served: full repodata.json.zst $(awk -v b="$served_full" 'BEGIN { printf "%.1f MB", b / 1e6 }'); sharded: $shards shard files"
