#!/usr/bin/env bash
set -euo pipefail
make install PREFIX="$PREFIX"
