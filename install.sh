#!/usr/bin/env bash
# Installs krait as a native program: publishes the CLI with NativeAOT (milliseconds per command, no .NET needed to
# run it) and copies it to PREFIX/bin (default ~/.local/bin). Usage: ./install.sh [PREFIX]; RID=linux-arm64 etc. for
# another platform.
set -euo pipefail
cd "$(dirname "$0")"
prefix="${1:-$HOME/.local}"
./bench/publish.sh >/dev/null
mkdir -p "$prefix/bin"
install -m 755 artifacts/krait-aot/krait "$prefix/bin/krait.new"
mv -f "$prefix/bin/krait.new" "$prefix/bin/krait"   # replaced in one step: a running krait keeps its old file
echo "installed $prefix/bin/krait ($("$prefix/bin/krait" --version))"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add $prefix/bin to PATH, e.g. in ~/.bashrc: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
