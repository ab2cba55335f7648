#!/usr/bin/env bash
# Publishes the krait CLI with NativeAOT to artifacts/krait-aot/krait (the binary the whole-command benchmarks use).
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${RID:-linux-x64}"
dotnet publish src/Krait.Cli -c Release -r "$rid" -o artifacts/krait-aot -nologo
echo "built artifacts/krait-aot/krait ($rid)"
