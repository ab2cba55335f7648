#!/usr/bin/env bash
# Rewrites the bundled example channel with Krait's deterministic channel generator (seed 42).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project bench/Krait.Bench.Generator -c Release -- --preset example --seed 42 --out examples/channel
