"""A 100,000-resource estate through `readiness run`, against the demo tenant, in one run.

Generates the estate (``benchmarks/estate.py``) as an ``az graph query -o json`` export and
prints, measured in the same run:

* the time Python takes merely to ``json.load`` the export;
* the demo tenant's whole ``readiness run`` and the estate's, and the extra time the estate
  costs over the demo divided by the ``json.load`` time (target: at most 10);
* peak memory: the sum of the resident memory of the run's process tree (CLI plus
  notebook kernels, sampled every 0.1 s from /proc) and the largest single process
  (target: at most 1.5 GB), and each process's own peak (the CLI, then the kernels);
* the CPU seconds each run used (its whole process tree: the machine may be shared, so
  wall times alone can mislead) and when each step finished (from the run folder's files:
  evidence bundle, findings and summary, each executed notebook, the report);
* the report's size (target: at most 7 MB) and findings' sizes;
* the time each report takes in headless Chromium until its first chart is drawn (target:
  the estate's within 1.5x the demo's).

Never fails on time; prints figures.

    .venv/bin/python benchmarks/bench_scale.py [--resources 100000] [--seed 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estate import write_export  # noqa: E402  (a sibling script)

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "parameters" / "demo-retail.yaml"
CHROMIUM = os.environ.get("READINESS_CHROMIUM", "/usr/bin/chromium")
AS_OF = "2026-11-27"
ESTATE_PARAMS = """\
tenant: {tenant}
display_name: Generated estate ({n:,} resources)
hosting_model: dedicated
sources:
  azure:
    export: {export}
targets:
  rpo_minutes: 15
  rto_minutes: 60
"""


def _tree_rss(root: int, each: dict[int, int] | None = None) -> tuple[int, int]:
    """(sum, largest) resident bytes of ``root`` and its descendants, from /proc; ``each``
    keeps every process's own peak."""
    total = largest = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                rss = next((int(line.split()[1]) * 1024 for line in fh
                            if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        total += rss
        largest = max(largest, rss)
        if each is not None:
            each[pid] = max(each.get(pid, 0), rss)
    return total, largest


def run(params: Path, out: Path) -> dict:
    """``readiness run`` in a child process, sampling the memory of its process tree."""
    cmd = [sys.executable, "-m", "readiness_kit.cli", "run", str(params), "--output", str(out),
           "--as-of", AS_OF]
    peak = {"sum": 0, "largest": 0}
    each: dict[int, int] = {}
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    started = time.time()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, largest = _tree_rss(proc.pid, each)
            peak["sum"] = max(peak["sum"], total)
            peak["largest"] = max(peak["largest"], largest)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    report = Path(stdout.strip().splitlines()[-1])
    run_dir = report.parent
    steps = {"evidence bundle": run_dir / "evidence" / "manifest.json",
             "checks and findings files": run_dir / "summary.json",
             **{f"notebook {p.stem}": p for p in sorted((run_dir / "notebooks").glob("*.ipynb"),
                                                         key=lambda p: p.stat().st_mtime)},
             "report": report}
    sizes = {name: (report.parent / name).stat().st_size
             for name in ("report.html", "findings.json", "findings.parquet")
             if (report.parent / name).is_file()}
    return {"seconds": seconds, "peak_sum": peak["sum"], "peak_largest": peak["largest"],
            "report": report, "sizes": sizes,
            "cpu": (used.ru_utime - cpu.ru_utime) + (used.ru_stime - cpu.ru_stime),
            "cli_peak": each.get(proc.pid, 0),
            "kernel_peaks": sorted((v for k, v in each.items() if k != proc.pid), reverse=True),
            "steps": {name: path.stat().st_mtime - started for name, path in steps.items()}}


def first_chart_seconds(reports: list[Path]) -> list[float]:
    """Per report: seconds from navigation start to the first drawn chart, in one headless
    Chromium (each report in a fresh context; the browser started once for both)."""
    from playwright.sync_api import sync_playwright

    probe = """() => new Promise(resolve => {
        const drawn = () => document.querySelector('div.rk-figure[data-rk-drawn="true"]');
        if (drawn()) { resolve(performance.now()); return; }
        new MutationObserver((_, obs) => { if (drawn()) { obs.disconnect();
            resolve(performance.now()); } }).observe(document, {subtree: true,
            attributes: true, attributeFilter: ["data-rk-drawn"]});
    })"""
    seconds = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            for report in reports:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(report.resolve().as_uri(), wait_until="commit", timeout=600_000)
                page.wait_for_selector('div.rk-figure[data-rk-drawn="true"]', state="attached",
                                       timeout=600_000)
                seconds.append(page.evaluate(probe) / 1000)
                context.close()
        finally:
            browser.close()
    return seconds


def json_load_seconds(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``json.load`` of the export."""
    start, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8") as fh:
        json.load(fh)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the export and runs in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="rk-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        export = work / f"estate-{args.resources}.json"
        if not export.is_file():
            write_export(export, args.resources, args.seed)
        export_mb = export.stat().st_size / 1e6
        params = work / f"estate-{args.resources}.yaml"
        params.write_text(ESTATE_PARAMS.format(tenant=f"estate-{args.resources}",
                                               n=args.resources, export=export.name))
        load, load_cpu = json_load_seconds(export)
        demo = run(DEMO, work / "outputs")
        estate = run(params, work / "outputs")
        demo_chart, estate_chart = first_chart_seconds([demo["report"], estate["report"]])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    extra = estate["seconds"] - demo["seconds"]
    print(f"export: {args.resources:,} resources, {export_mb:.0f} MB")
    print(f"json.load of the export:          {load:8.2f} s   (CPU {load_cpu:.2f} s)")
    print(f"demo tenant, whole run:           {demo['seconds']:8.2f} s   (CPU {demo['cpu']:.1f} s)")
    print(f"estate, whole run:                {estate['seconds']:8.2f} s   "
          f"(CPU {estate['cpu']:.1f} s)")
    print(f"(estate - demo) / json.load:      {extra / load:8.2f}   (target <= 10; "
          f"{demo['seconds'] + 10 * load:.1f} s would meet it)")
    print(f"  the same in CPU seconds:        {(estate['cpu'] - demo['cpu']) / load_cpu:8.2f}")
    for name, r in (("demo", demo), ("estate", estate)):
        print(f"{name + ' peak memory (process tree):':34}{r['peak_sum'] / 2**30:8.2f} GiB "
              f"(largest process {r['peak_largest'] / 2**30:.2f} GiB; target <= 1.5 GB)")
        kernels = ", ".join(f"{v / 2**20:.0f}" for v in r["kernel_peaks"])
        print(f"{'':34}CLI {r['cli_peak'] / 2**20:.0f} MiB; other processes (kernels) "
              f"{kernels} MiB")
    for name, r in (("demo", demo), ("estate", estate)):
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["steps"].items())
        print(f"{name + ' steps done at (s):':34}{steps}")
    for name, r in (("demo", demo), ("estate", estate)):
        sizes = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in r["sizes"].items())
        print(f"{name + ' files:':34}{sizes}   (report target <= 7 MB)")
    print(f"first chart in Chromium, demo:    {demo_chart:8.2f} s")
    print(f"first chart in Chromium, estate:  {estate_chart:8.2f} s "
          f"({estate_chart / demo_chart:.2f}x the demo's; target <= 1.5x)")


if __name__ == "__main__":
    main()
