#!/usr/bin/env bash
set -euo pipefail
site_packages="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
mkdir -p "$site_packages"
cp -r "$SRC_DIR/pygreet" "$site_packages/"
