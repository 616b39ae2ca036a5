"""Where a tenant's review spends its time, and what the notebook pool buys.

Runs the demo tenant end to end with one notebook kernel at a time and with two, and
prints the stage timings and the ratio measured in the same run. Never fails on time.

    .venv/bin/python benchmarks/bench_run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from readiness_kit.review import load_review
from readiness_kit.runner import run_tenant

ROOT = Path(__file__).resolve().parents[1]
PARAMS = ROOT / "parameters" / "demo-retail.yaml"
AS_OF = dt.date(2026, 11, 27)


def time_checks(repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        load_review(str(PARAMS), as_of=AS_OF)  # fresh Evidence: no warm caches
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def time_run(workers: int, out: Path) -> dict[str, float]:
    start = time.perf_counter()
    result = run_tenant(PARAMS, out, as_of=AS_OF, workers=workers)
    return {**result.timings, "total": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load evidence + run all checks (median of {args.repeat}): "
          f"{time_checks(args.repeat):.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        runs = {w: time_run(w, Path(tmp)) for w in (1, 2)}
    for workers, t in runs.items():
        stages = "  ".join(f"{k} {v:.2f}s" for k, v in t.items())
        print(f"run_tenant, {workers} kernel(s) at a time: {stages}")
    ratio = runs[1]["notebooks"] / runs[2]["notebooks"]
    print(f"notebook stage speed-up with 2 kernels: {ratio:.2f}x")


if __name__ == "__main__":
    main()
