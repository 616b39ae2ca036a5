"""A portfolio batch against the naive pipeline, measured in the same run.

Writes 8 demo-like tenants (the demo bundle under other tenant ids) into
``benchmarks/.batch/params/`` and, from the repository root with relative paths:

* batch: ``readiness run benchmarks/.batch/params/t1.yaml ... --output ...`` (workers and
  warm kernels as the command defaults them);
* naive: for every tenant and every domain notebook, the Papermill CLI and then the
  nbconvert CLI, one after the other (what a user without the runner would script).

Prints both wall times, the ratio and the peak memory (RSS) of each process of the batch
(the command, its worker processes, its warm kernels) and of the whole tree. Never fails on time.

    .venv/bin/python benchmarks/bench_batch.py [--tenants 8] [--naive-tenants N]

``--naive-tenants`` below ``--tenants`` times the naive pipeline on fewer tenants and
scales it (printed as such); the default times all of them.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("benchmarks") / ".batch"  # relative to ROOT, as a user types it
AS_OF = "2026-11-27"
BIN = Path(sys.executable).parent


def write_tenants(count: int) -> list[Path]:
    source = (ROOT / "parameters" / "demo-retail.yaml").read_text(encoding="utf-8")
    folder = WORK / "params"
    (ROOT / folder).mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        text = source.replace("tenant: demo-retail", f"tenant: bench-t{n}", 1)
        path = folder / f"t{n}.yaml"
        (ROOT / path).write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and its descendants; keeps each process's peak and
    the largest sum over the tree."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peaks: dict[int, tuple[int, str, int | None]] = {}  # pid -> rss, role, parent
        self.tree_peak = 0
        self.cpu: dict[int, tuple[float, str]] = {}  # pid -> last CPU seconds seen, role
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    cmd = " ".join(p.cmdline())
                    parent = p.ppid()
                except psutil.Error:
                    continue
                total += rss
                if "resource_tracker" in cmd:
                    continue
                role = "kernel" if "ipykernel" in cmd else (
                    "worker" if "multiprocessing" in cmd else "cli")
                with contextlib.suppress(psutil.Error):
                    times = p.cpu_times()
                    self.cpu[p.pid] = (times.user + times.system, role)
                if rss > self.peaks.get(p.pid, (0,))[0]:
                    self.peaks[p.pid] = (rss, role, parent)
            self.tree_peak = max(self.tree_peak, total)
            time.sleep(0.2)

    def by_role(self) -> dict[str, list[int]]:
        """Each process's peak RSS, grouped: the command, its worker processes (and the
        forkserver they fork from), its warm kernels."""
        roles: dict[str, list[int]] = {}
        for rss, role, _parent in self.peaks.values():
            roles.setdefault(role, []).append(rss)
        return {role: sorted(v, reverse=True) for role, v in roles.items()}


def run_batch(paths: list[Path], out: Path) -> tuple[float, TreeSampler, int]:
    argv = [str(BIN / "readiness"), "run", *map(str, paths), "--output", str(out),
            "--as-of", AS_OF, "--force"]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if proc.returncode not in (0, 3):
        sys.exit(f"batch failed ({proc.returncode}):\n{stderr[-2000:]}")
    return elapsed, sampler, proc.returncode


def run_naive(paths: list[Path], out: Path) -> float:
    from readiness_kit.runner import NOTEBOOKS, kernel_name

    kernel = kernel_name()
    start = time.perf_counter()
    for path in paths:
        target = out / path.stem
        (ROOT / target).mkdir(parents=True, exist_ok=True)
        for name in NOTEBOOKS:
            executed = target / name
            subprocess.run(
                [str(BIN / "papermill"), str(Path("notebooks") / name), str(executed),
                 "-p", "params_path", str((ROOT / path).resolve()), "-p", "as_of", AS_OF,
                 "-k", kernel, "--no-progress-bar", "--cwd", "notebooks"],
                cwd=ROOT, check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                           cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=8)
    parser.add_argument("--naive-tenants", type=int, default=None)
    parser.add_argument("--no-naive", action="store_true", help="time the batch only")
    args = parser.parse_args()
    naive_n = min(args.naive_tenants or args.tenants, args.tenants)
    shutil.rmtree(ROOT / WORK, ignore_errors=True)
    paths = write_tenants(args.tenants)
    print(f"{args.tenants} tenants, {psutil.cpu_count()} CPUs; paths relative to {ROOT}")

    batch_s, sampler, code = run_batch(paths, WORK / "out")
    reports = sorted((ROOT / WORK / "out").glob("bench-t*/latest/report.html"))
    print(f"batch (readiness run, exit {code}): {batch_s:.1f} s, {len(reports)} reports")
    mib = lambda values: ", ".join(f"{v / 2**20:.0f}" for v in values)  # noqa: E731
    roles = sampler.by_role()
    print(f"  peak RSS per process (MiB): command {mib(roles.get('cli', []))}; "
          f"workers {mib(roles.get('worker', []))}; kernels {mib(roles.get('kernel', []))}")
    cpu: dict[str, float] = {}
    for seconds, role in sampler.cpu.values():
        cpu[role] = cpu.get(role, 0.0) + seconds
    print("  CPU seconds: " + ", ".join(f"{role} {v:.1f}" for role, v in sorted(cpu.items()))
          + f" (of {batch_s * psutil.cpu_count():.0f} the CPUs had)")
    print(f"  whole process tree: peak {sampler.tree_peak / 2**20:.0f} MiB")

    if args.no_naive:
        return
    naive_s = run_naive(paths[:naive_n], WORK / "naive")
    scaled = naive_s * args.tenants / naive_n
    note = "" if naive_n == args.tenants else f" (timed on {naive_n}, scaled to {args.tenants})"
    print(f"naive (papermill CLI + nbconvert CLI per notebook, sequential): "
          f"{scaled:.1f} s{note}, {scaled / args.tenants:.1f} s per tenant")
    print(f"speed-up batch vs naive: {scaled / batch_s:.1f}x")


if __name__ == "__main__":
    main()
