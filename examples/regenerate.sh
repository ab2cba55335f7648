#!/usr/bin/env bash
# Rewrites the bundled example channel (repodata and package archives) with Krait's deterministic channel generator (seed 42).
set -euo pipefail
cd "$(dirname "$0")/.."
# Start from nothing, so archives of records the generator no longer makes do not linger.
rm -rf examples/channel
dotnet run --project bench/Krait.Bench.Generator -c Release -- --preset example --seed 42 --out examples/channel
