"""Read one boundary file in a child process and print what happened as JSON.

``python -m tests.reliability.boundary_child FILE NAME [CRS]``; the parent sets the memory limit,
the timeout, the working directory and TMPDIR.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from observatory import geo
from observatory.domain import Severity


def main() -> None:
    """Read the file named on the command line; print issues, seconds and peak memory."""
    path, name = Path(sys.argv[1]), sys.argv[2]
    crs = sys.argv[3] if len(sys.argv) > 3 else None
    data = path.read_bytes()
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # libraries loaded, file read
    started = time.perf_counter()
    result = geo.read_boundaries(data, name, code_field="code", name_field="name", crs=crs)
    seconds = time.perf_counter() - started
    errors = sorted({i.code for i in result.issues if i.severity is Severity.ERROR})
    warnings = sorted({i.code for i in result.issues if i.severity is Severity.WARNING})
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {"ok": result.ok, "features": len(result.frame), "errors": errors, "warnings": warnings}
    report |= {"seconds": round(seconds, 3), "peak_rss_mb": round(peak_mb, 1)}
    report |= {"reading_rss_mb": round(peak_mb - before_mb, 1)}
    sys.stdout.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
