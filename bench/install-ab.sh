#!/usr/bin/env bash
# Warm-cache `krait create` with two binaries, alternated run by run (A, B, B, A, …) so that drift in the machine's
# speed falls on both alike: what a change costs a create. Usage: ./bench/install-ab.sh BEFORE_BINARY [AFTER_BINARY]
# (AFTER defaults to a fresh NativeAOT publish of this checkout). Run ./bench/install.sh once first: it fills the
# package caches under bench/out/install that both binaries then read. RUNS (default 40) runs each; medians.
set -euo pipefail
cd "$(dirname "$0")/.."
before="${1:?usage: $0 BEFORE_BINARY [AFTER_BINARY]}"
after="${2:-}"
out="$PWD/bench/out/install"
if [ -z "$after" ]; then
    ./bench/publish.sh >/dev/null
    after="$PWD/artifacts/krait-aot/krait"
fi
export HOME="$out/home" CONDARC="$out/home/.condarc" RUNS="${RUNS:-40}" BEFORE="$before" AFTER="$after" OUT="$out"
python3 - <<'PY'
import os, shutil, statistics, subprocess, time
out, runs = os.environ["OUT"], int(os.environ["RUNS"])
binaries = {"before": os.environ["BEFORE"], "after": os.environ["AFTER"]}
shared = "../shared/data/channels"
cases = [
    ("example-libs", "./examples/channel", "mkl zstd lz4-c xz bzip2 libopenblas intel-openmp libstdcxx-ng zlib libzlib libgcc-ng libgomp libblas _libgcc_mutex"),
    ("example-python", "./examples/channel", "python numpy scipy pandas matplotlib-base jinja2 joblib fonttools cycler attrs pyparsing python-dateutil packaging setuptools pip wheel six mkl zstd lz4-c xz bzip2"),
    ("test-recipes", f"{shared}/conda-test-recipes", "another_dependent other_dependent post_link-b small-executable sample_noarch_python python=3.99 pip versioned=2 buildstring run_constrained activate_deactivate_package private-package pre_link_messages_package post_link_run_in_env_package clobber-a feature=2 post_link-c post_link-d"),
]
print(f"warm-cache krait create, medians of {runs} runs each, before and after alternated")
for name, channel, specs in cases:
    cache = f"{out}/{name}/pkgs"
    if not os.path.isdir(cache):
        print(f"  {name}: no cache; run ./bench/install.sh first")
        continue
    env = f"{out}/{name}/ab-env"
    environment = dict(os.environ, CONDA_PKGS_DIRS=cache)
    times = {"before": [], "after": []}
    for run in range(runs + 2):
        order = ["before", "after"] if run % 2 == 0 else ["after", "before"]
        for label in order:
            shutil.rmtree(env, ignore_errors=True)
            os.sync()
            start = time.perf_counter()
            subprocess.run([binaries[label], "create", "-p", env, "-c", channel, "--override-channels", "--platform", "linux-64", "-y", "-q", *specs.split()],
                           env=environment, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if run >= 2:  # two warm-up rounds
                times[label].append((time.perf_counter() - start) * 1000)
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    print(f"  {name:<16} before {b:6.1f} ms   after {a:6.1f} ms   after/before {a / b:.3f}")
PY
