#!/usr/bin/env bash
# Every conformance solve as a whole `krait create --dry-run` (NativeAOT binary, process start and repodata loading
# included), median of RUNS runs (default 5), beside micromamba's wall time recorded in solves.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-5}"
shared="${KRAIT_SHARED_DIR:-../shared}"
[ -f "$shared/conformance/solves.jsonl" ] || { echo "needs $shared/conformance/solves.jsonl (the shared test data)" >&2; exit 2; }
./bench/publish.sh >/dev/null   # always: the binary must be the code being measured
dotnet build bench/Krait.Bench -c Release -v quiet -nologo >/dev/null
dotnet bench/Krait.Bench/bin/Release/net10.0/Krait.Bench.dll solves --runs "$runs" \
    "$(pwd)/artifacts/krait-aot/krait" "$shared/conformance/solves.jsonl" "$(cd "$shared/data/channels" && pwd)"
