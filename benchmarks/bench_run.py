"""Where a tenant's review spends its time, and what warm kernels buy.

Runs the demo tenant end to end with a fresh kernel per notebook (the Papermill engine)
and with this process's warm kernel (first run: kernel started; second run: reused), and
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


def time_run(engine: str, kernels: int, out: Path) -> dict[str, float]:
    start = time.perf_counter()
    result = run_tenant(PARAMS, out, as_of=AS_OF, engine=engine, kernels=kernels)
    return {**result.timings, "total": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load evidence + run all checks (median of {args.repeat}): "
          f"{time_checks(args.repeat):.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        runs = {
            "papermill, 2 fresh kernels at a time": time_run("papermill", 2, Path(tmp)),
            "warm kernel, first run (starts it)": time_run("warm", 1, Path(tmp)),
            "warm kernel, next run (reuses it)": time_run("warm", 1, Path(tmp)),
        }
    for name, t in runs.items():
        stages = "  ".join(f"{k} {v:.2f}s" for k, v in t.items())
        print(f"run_tenant, {name}: {stages}")
    fresh, warm = runs["papermill, 2 fresh kernels at a time"], runs[
        "warm kernel, next run (reuses it)"]
    print(f"notebook stage, warm kernel vs fresh kernels: "
          f"{fresh['notebooks'] / warm['notebooks']:.2f}x")


if __name__ == "__main__":
    main()
