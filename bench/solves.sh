#!/usr/bin/env bash
# Every conformance solve as a whole `krait create --dry-run` (NativeAOT binary, process start and repodata loading
# included), median of RUNS runs (default 5), beside micromamba's wall time recorded in the file:
#   ./bench/solves.sh           solves.jsonl, the stored channels
#   LARGE=1 ./bench/solves.sh   solves-large.jsonl, the generated conda-forge-scale channel (bench/out/large, made and
#                               checked against the recorded sha256s first), plus Krait's agreement in process
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
shared="${KRAIT_SHARED_DIR:-../shared}"
[ -f "$shared/conformance/solves.jsonl" ] || { echo "needs $shared/conformance/solves.jsonl (the shared test data)" >&2; exit 2; }
./bench/publish.sh >/dev/null   # always: the binary must be the code being measured
dotnet build bench/Krait.Bench -c Release -v quiet -nologo >/dev/null
bench=bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll
if [ "${LARGE:-0}" = 1 ]; then
    large=bench/out/large
    if [ ! -f "$large/linux-64/repodata.json" ]; then
        dotnet build bench/Krait.Bench.Generator -c Release -v quiet -nologo >/dev/null
        dotnet bench/Krait.Bench.Generator/bin/Release/net10.0/krait-channel-gen.dll --preset large --seed 42 --out "$large"
    fi
    echo "e34c6c152aed4f935de10fdd47642fbd93ee66a6218b66d093f181faa4dc0f7d  $large/linux-64/repodata.json
f46a4c8da25fc5a09264fce26b0b25af2a0ba6f21071cb340bd626e229aedaf7  $large/noarch/repodata.json" | sha256sum --check --quiet \
        || { echo "$large is not the channel solves-large.jsonl was recorded on: delete it and run again" >&2; exit 2; }
    dotnet "$bench" agreement --runs "$runs" "$large" "$shared/conformance/solves-large.jsonl" || true
    dotnet "$bench" solves --runs "$runs" "$(pwd)/artifacts/krait-aot/krait" "$shared/conformance/solves-large.jsonl" \
        "$(cd "$shared/data/channels" && pwd)" "$large"
else
    dotnet "$bench" solves --runs "$runs" "$(pwd)/artifacts/krait-aot/krait" "$shared/conformance/solves.jsonl" \
        "$(cd "$shared/data/channels" && pwd)"
fi
