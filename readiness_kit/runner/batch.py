"""A batch of tenants: inputs expanded and resolved once, bounded workers, resume.

Every path (parameters, output root, notebooks) is made absolute against the directory the
batch was started in before any work starts, and nothing changes the working directory.
Each tenant runs in a worker process of its own pool slot (its warm kernel is reused by the
next tenant the worker takes); one that fails (bad parameters, unreachable source, failing
cell, timeout) is recorded with the failing step and error, and the others go on. A tenant
whose latest run finished with the same parameters file (and review date) is skipped, so
an interrupted batch run again finishes only the rest; ``force`` runs every tenant again.
"""

from __future__ import annotations

import datetime as dt
import glob
import multiprocessing
import os
import queue
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness_kit.errors import ReadinessError

PARAMS_SUFFIXES = (".yaml", ".yml")
STATUS_EVENT = "#status"  # the last event of a tenant: its entry's status follows

EventHook = Callable[[str, str], None]


@dataclass(frozen=True)
class BadInput:
    """A command-line input that names no parameters file."""
    given: str
    error: str


def expand_inputs(items: Iterable[str], base: Path | None = None
                  ) -> tuple[list[Path], list[BadInput]]:
    """Files, globs and folders (their ``*.yaml`` / ``*.yml``) -> absolute, unique
    parameters files in the order given, plus the inputs that named none."""
    base = (base or Path.cwd()).resolve()
    found: list[Path] = []
    bad: list[BadInput] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        path = path.resolve()
        if path not in seen:
            seen.add(path)
            found.append(path)

    for item in items:
        path = Path(item).expanduser()
        path = path if path.is_absolute() else base / path
        if glob.has_magic(item):
            matches = sorted(Path(m) for m in glob.glob(str(path), recursive=True))
            files = [m for m in matches if m.is_file() and m.suffix in PARAMS_SUFFIXES]
            if not files:
                bad.append(BadInput(item, "no parameters file (*.yaml, *.yml) matches"))
            for m in files:
                add(m)
        elif path.is_dir():
            files = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix in PARAMS_SUFFIXES)
            if not files:
                bad.append(BadInput(item, "folder holds no parameters file (*.yaml, *.yml)"))
            for p in files:
                add(p)
        else:
            add(path)  # a missing file fails as that tenant's parameters step
    return found, bad


def run_one(params_path: str | Path, output_root: str | Path, *,
            as_of: dt.date | None = None, notebooks_dir: Path | None = None,
            kernels: int = 1, engine: str = "warm", timeout: float | None = None,
            force: bool = False, on_step: Callable[[str], None] | None = None
            ) -> dict[str, Any]:
    """Run one tenant and describe the outcome as a portfolio entry; never raises."""
    from readiness_kit.params import load_parameters
    from readiness_kit.runner.tenant import (
        TenantRun,
        completed_run,
        params_digest,
        run_tenant,
    )

    path = Path(params_path)
    started = time.perf_counter()
    entry: dict[str, Any] = {
        "tenant": path.stem, "params_path": str(path), "status": "failed", "run_dir": None,
        "step": None, "error": None, "seconds": None, "gate": None, "report": None,
        "unexpected": False, "timings": {}}
    res = TenantRun(params_path=path)
    try:
        if not force:
            loaded = load_parameters(path)
            done = completed_run(Path(output_root) / loaded.params.tenant,
                                 params_digest(path), as_of)
            if done is not None:
                entry.update(tenant=loaded.params.tenant, status="skipped",
                             run_dir=str(done), report=str(done / "report.html"),
                             seconds=round(time.perf_counter() - started, 1))
                return entry
        run_tenant(path, output_root, as_of=as_of, notebooks_dir=notebooks_dir,
                   on_step=on_step, kernels=kernels, engine=engine, timeout=timeout,
                   result=res)
    except Exception as exc:  # noqa: BLE001 - one tenant never stops the others
        unexpected = not isinstance(exc, ReadinessError)
        text = exc.render() if isinstance(exc, ReadinessError) else (
            f"{path}: unexpected {type(exc).__name__}: {exc}")
        entry.update(tenant=res.tenant or path.stem, step=res.step,
                     error=" ".join(text.split()) or type(exc).__name__,
                     run_dir=str(res.run_dir) if res.run_dir else None,
                     unexpected=unexpected, timings=res.timings,
                     seconds=round(time.perf_counter() - started, 1))
        return entry
    entry.update(tenant=res.tenant, status="done", run_dir=str(res.run_dir), gate=res.gate,
                 report=str(res.report), timings=res.timings,
                 seconds=round(time.perf_counter() - started, 1))
    return entry


# -- worker processes ------------------------------------------------------------------

_EVENTS: Any = None


def _init_worker(events: Any) -> None:
    global _EVENTS
    from readiness_kit.runner.kernels import stop_pool_at_worker_exit

    _EVENTS = events
    stop_pool_at_worker_exit()


def _worker_run(path: str, output_root: str, options: dict) -> dict:
    def step(msg: str) -> None:
        _EVENTS.put((path, msg))

    return run_one(path, output_root, on_step=step, **options)


def default_workers(tenants: int) -> int:
    return max(1, min(tenants, os.cpu_count() or 1))


def run_batch(paths: list[Path], output_root: Path, *, workers: int | None = None,
              kernels: int = 1, as_of: dt.date | None = None,
              notebooks_dir: Path | None = None, engine: str = "warm",
              timeout: float | None = None, force: bool = False,
              on_event: EventHook | None = None) -> list[dict]:
    """Run every tenant (``workers`` at a time); entries in the order of ``paths``.

    One worker runs the tenants in this process; more run them in that many worker
    processes, each with its own warm kernels."""
    emit = on_event or (lambda _p, _m: None)
    output_root = Path(output_root).resolve()
    notebooks_dir = notebooks_dir.resolve() if notebooks_dir else None
    options = {"as_of": as_of, "notebooks_dir": notebooks_dir, "kernels": kernels,
               "engine": engine, "timeout": timeout, "force": force}
    workers = workers or default_workers(len(paths))
    entries: list[dict | None] = [None] * len(paths)

    def finish(i: int, entry: dict) -> None:
        entries[i] = entry
        emit(str(paths[i]), f"{STATUS_EVENT} {entry['status']}")

    if workers <= 1 or len(paths) <= 1:
        for i, path in enumerate(paths):
            finish(i, run_one(path, output_root, on_step=lambda m, p=str(path): emit(p, m),
                              **options))
        return [e for e in entries if e is not None]

    ctx = multiprocessing.get_context("spawn")
    events = ctx.Queue()

    def drain() -> None:
        while True:
            try:
                path, msg = events.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            emit(path, msg)

    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                             initializer=_init_worker, initargs=(events,)) as pool:
        futures: dict[Future, int] = {
            pool.submit(_worker_run, str(p), str(output_root), options): i
            for i, p in enumerate(paths)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            drain()
            for future in done:
                i = futures[future]
                try:
                    finish(i, future.result())
                except BrokenProcessPool as exc:
                    finish(i, {"tenant": paths[i].stem, "params_path": str(paths[i]),
                               "status": "failed", "step": "worker", "run_dir": None,
                               "error": f"the worker process running it died: {exc}",
                               "seconds": None, "gate": None, "report": None,
                               "unexpected": True, "timings": {}})
        drain()
    events.close()
    return [e for e in entries if e is not None]
