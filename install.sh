#!/usr/bin/env bash
# Installs krait as a native program: publishes the CLI with NativeAOT (milliseconds per command, no .NET needed to
# run it) and copies it to PREFIX/bin (default ~/.local/bin), with Krait Server (krait-server, which needs .NET).
# Usage: ./install.sh [PREFIX]; RID=linux-arm64 etc. for
# another platform.
set -euo pipefail
cd "$(dirname "$0")"
prefix="${1:-$HOME/.local}"
./bench/publish.sh >/dev/null
mkdir -p "$prefix/bin"
install -m 755 artifacts/krait-aot/krait "$prefix/bin/krait.new"
mv -f "$prefix/bin/krait.new" "$prefix/bin/krait"   # replaced in one step: a running krait keeps its old file
echo "installed $prefix/bin/krait ($("$prefix/bin/krait" --version))"

# Krait Server runs on .NET (ASP.NET Core): published framework-dependent beside, started by `krait server`.
dotnet publish src/Krait.Server -c Release -o "$prefix/lib/krait-server" -nologo >/dev/null
cat > "$prefix/bin/krait-server.new" <<SCRIPT
#!/bin/sh
exec "$prefix/lib/krait-server/krait-server" "\$@"
SCRIPT
chmod 755 "$prefix/bin/krait-server.new"
mv -f "$prefix/bin/krait-server.new" "$prefix/bin/krait-server"
echo "installed $prefix/bin/krait-server"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add $prefix/bin to PATH, e.g. in ~/.bashrc: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
