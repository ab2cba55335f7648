#!/usr/bin/env bash
# Repodata benchmarks in one command: whole-parse MB/s and bytes per record beside plain JsonSerializer on the
# largest shared channel and on a generated channel > 100x larger; then the time to load one name lazily from
# the generated 300 MB repodata.json. Medians of RUNS runs (default 7).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-7}"

dotnet build bench/Krait.Bench -c Release -v quiet -nologo >/dev/null
dotnet build bench/Krait.Bench.Generator -c Release -v quiet -nologo >/dev/null

large=bench/out/large
if [ ! -f "$large/linux-64/repodata.json" ]; then
    echo "generating the large synthetic channel (seed 42) into $large ..."
    dotnet bench/Krait.Bench.Generator/bin/Release/net10.0/krait-channel-gen.dll --preset large --seed 42 --out "$large"
fi

inputs=()
shared=../shared/data/channels
for candidate in "$shared/anaconda-r/linux-64/repodata.json" "$shared/conda-forge-subset/linux-64/repodata.json"; do
    [ -f "$candidate" ] && inputs+=("$candidate")
done
inputs+=("$large/linux-64/repodata.json")

bench=bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll
dotnet "$bench" throughput --runs "$runs" "${inputs[@]}"
dotnet "$bench" lazy --runs "$runs" "$large/linux-64/repodata.json" numpy python zlib
