"""The peer of `krait-bench extract`: conda-package-handling's extract (what `cph x` runs), timed in process.

usage: cph_extract.py DEST_ROOT ARCHIVE...   extracts ARCHIVE number i to DEST_ROOT/dNNN (which must not exist) and
prints one JSON line: {"seconds": time spent in the extract calls, "failed": [archives it could not extract]}.
Interpreter start and imports are left out, as the Krait side is measured in process too.
"""
import json
import os
import sys
import time

from conda_package_handling import api


def main():
    root, archives = sys.argv[1], sys.argv[2:]
    failed = []
    elapsed = 0.0
    for i, archive in enumerate(archives):
        destination = os.path.join(root, "d%03d" % i)
        start = time.perf_counter()
        try:
            api.extract(archive, dest_dir=destination)
        except Exception as error:  # a peer failure is reported, not fatal: the archive is left out of both sides
            failed.append("%s: %s" % (archive, error))
        elapsed += time.perf_counter() - start
    print(json.dumps({"seconds": elapsed, "failed": failed}))


if __name__ == "__main__":
    main()
