"""A batch of tenants: inputs expanded and resolved once, bounded workers, resume.

Every path (parameters, output root, notebooks) is made absolute against the directory the
batch was started in before any work starts, and nothing changes the working directory.
Worker processes collect each tenant's evidence and run its checks; its notebooks then run
in warm kernels this process drives, reused from tenant to tenant (see ``run_batch``). A
tenant that fails (bad parameters, unreachable source, failing cell, timeout) is recorded
with the failing step and error, and the others go on. A tenant
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
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readiness_kit.errors import ReadinessError

PARAMS_SUFFIXES = (".yaml", ".yml")
STATUS_EVENT = "#status"  # the last event of a tenant: its entry's status follows
WORKER_PRELOAD = ("readiness_kit.runner.tenant", "readiness_kit.review",
                  "readiness_kit.checks", "readiness_kit.collect", "readiness_kit.outputs")

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


def new_entry(path: Path) -> dict[str, Any]:
    """A portfolio entry for the tenant at ``path``, failed until filled in."""
    return {"tenant": path.stem, "params_path": str(path), "status": "failed",
            "run_dir": None, "step": None, "error": None, "seconds": None, "gate": None,
            "report": None, "unexpected": False, "timings": {}}


def _failed(entry: dict, res: Any, exc: BaseException, path: Path, started: float) -> dict:
    unexpected = not isinstance(exc, ReadinessError)
    text = exc.render() if isinstance(exc, ReadinessError) else (
        f"{path}: unexpected {type(exc).__name__}: {exc}")
    entry.update(tenant=res.tenant or path.stem, step=res.step, status="failed",
                 error=" ".join(text.split()) or type(exc).__name__,
                 run_dir=str(res.run_dir) if res.run_dir else None,
                 unexpected=unexpected, timings=res.timings,
                 seconds=round(time.perf_counter() - started, 1))
    return entry


def _skipped(entry: dict, path: Path, output_root: str | Path, as_of: dt.date | None,
             started: float) -> dict | None:
    """The entry of a tenant whose latest run finished with these parameters, else None."""
    from readiness_kit.params import load_parameters
    from readiness_kit.runner.tenant import completed_run, params_digest

    loaded = load_parameters(path)
    done = completed_run(Path(output_root) / loaded.params.tenant, params_digest(path), as_of)
    if done is None:
        return None
    entry.update(tenant=loaded.params.tenant, status="skipped", run_dir=str(done["run_dir"]),
                 report=str(done["run_dir"] / "report.html"), gate=done.get("gate"),
                 seconds=round(time.perf_counter() - started, 1))
    return entry


def run_one(params_path: str | Path, output_root: str | Path, *,
            as_of: dt.date | None = None, notebooks_dir: Path | None = None,
            kernels: int = 1, engine: str = "warm", timeout: float | None = None,
            force: bool = False, on_step: Callable[[str], None] | None = None
            ) -> dict[str, Any]:
    """Run one tenant and describe the outcome as a portfolio entry; never raises."""
    from readiness_kit.runner.tenant import TenantRun, run_tenant

    path = Path(params_path)
    started = time.perf_counter()
    entry = new_entry(path)
    res = TenantRun(params_path=path)
    try:
        if not force and (skipped := _skipped(entry, path, output_root, as_of, started)):
            return skipped
        run_tenant(path, output_root, as_of=as_of, notebooks_dir=notebooks_dir,
                   on_step=on_step, kernels=kernels, engine=engine, timeout=timeout,
                   result=res)
    except Exception as exc:  # noqa: BLE001 - one tenant never stops the others
        return _failed(entry, res, exc, path, started)
    entry.update(tenant=res.tenant, status="done", run_dir=str(res.run_dir), gate=res.gate,
                 report=str(res.report), timings=res.timings,
                 seconds=round(time.perf_counter() - started, 1))
    return entry


# -- worker processes: evidence and checks; the notebooks run in this process's kernels ---

_EVENTS: Any = None


def _init_worker(events: Any) -> None:
    global _EVENTS
    _EVENTS = events


def _worker_prepare(path: str, output_root: str, options: dict) -> tuple[dict, Any]:
    """In a worker: skip, or evidence + checks. Returns (entry, prepared run or None)."""
    from readiness_kit.runner.tenant import TenantRun, prepare_run

    def step(msg: str) -> None:
        _EVENTS.put((path, msg))

    p = Path(path)
    started = time.perf_counter()
    entry = new_entry(p)
    res = TenantRun(params_path=p)
    try:
        if not options["force"] and (skipped := _skipped(entry, p, output_root,
                                                         options["as_of"], started)):
            return skipped, None
        prepared = prepare_run(p, output_root, res, as_of=options["as_of"], on_step=step,
                               timeout=options["timeout"])
    except Exception as exc:  # noqa: BLE001 - one tenant never stops the others
        return _failed(entry, res, exc, p, started), None
    entry.update(tenant=res.tenant, run_dir=str(res.run_dir), gate=res.gate,
                 timings=res.timings, seconds=round(time.perf_counter() - started, 1))
    return entry, prepared


def default_workers(tenants: int) -> int:
    return max(1, min(tenants, os.cpu_count() or 1))


def run_batch(paths: list[Path], output_root: Path, *, workers: int | None = None,
              kernels: int = 1, as_of: dt.date | None = None,
              notebooks_dir: Path | None = None, engine: str = "warm",
              timeout: float | None = None, force: bool = False,
              on_event: EventHook | None = None) -> list[dict]:
    """Run every tenant; entries in the order of ``paths``.

    With one worker the tenants run one after another in this process. With more, a
    pipeline: ``workers`` worker processes collect evidence and run the checks, and as
    each tenant's findings are written its notebooks run in one of ``workers x kernels``
    warm kernels driven from this process, so checks of the next tenants overlap the
    notebooks of the previous ones."""
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
    _pipeline(paths, output_root, workers, options, emit, finish)
    return [e for e in entries if e is not None]


def _pipeline(paths: list[Path], output_root: Path, workers: int, options: dict,
              emit: EventHook, finish: Callable[[int, dict], None]) -> None:
    from readiness_kit.runner.engine import kernel_name
    from readiness_kit.runner.kernels import POOL
    from readiness_kit.runner.tenant import TenantRun, kernel_log_path, present_run

    engine, kernels = options["engine"], max(1, options["kernels"])
    groups = workers
    log = kernel_log_path(output_root)
    lanes: queue.SimpleQueue = queue.SimpleQueue()  # free groups of kernels
    if engine == "warm":
        pool_kernels = POOL.get(groups * kernels, kernel_name(), log)
        for kernel in pool_kernels:
            kernel.prestart()
        for g in range(groups):
            lanes.put(pool_kernels[g * kernels:(g + 1) * kernels])
    else:
        for _ in range(groups):
            lanes.put(None)

    def present(i: int, entry: dict, prepared: Any) -> None:
        path = paths[i]
        res = TenantRun(params_path=path, tenant=prepared.tenant, run_dir=prepared.run_dir,
                        gate=prepared.header["gate"], timings=dict(entry["timings"]))
        started = time.perf_counter() - (entry["seconds"] or 0)
        group = lanes.get()
        try:
            present_run(prepared, res, notebooks_dir=options["notebooks_dir"],
                        on_step=lambda m: emit(str(path), m), kernels=kernels,
                        engine=engine, lanes=group, kernel_log=log)
        except Exception as exc:  # noqa: BLE001 - one tenant never stops the others
            finish(i, _failed(entry, res, exc, path, started))
            return
        finally:
            lanes.put(group)
        entry.update(status="done", report=str(res.report), timings=res.timings,
                     seconds=round(time.perf_counter() - started, 1))
        finish(i, entry)

    # Workers fork from a server that has imported the engine once (instead of each
    # worker importing pandas, pyarrow and the catalogue again).
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(WORKER_PRELOAD))
    events = ctx.Queue()

    def drain() -> None:
        while True:
            try:
                path, msg = events.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            emit(path, msg)

    presenters = ThreadPoolExecutor(max_workers=groups, thread_name_prefix="rk-present")
    shown: list[Future] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                             initializer=_init_worker, initargs=(events,)) as pool:
        futures: dict[Future, int] = {
            pool.submit(_worker_prepare, str(p), str(output_root), options): i
            for i, p in enumerate(paths)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            drain()
            for future in done:
                i = futures[future]
                try:
                    entry, prepared = future.result()
                except BrokenProcessPool as exc:
                    entry, prepared = {**new_entry(paths[i]), "step": "worker",
                                       "unexpected": True, "error": "the worker process "
                                       f"running it died: {exc}"}, None
                if prepared is None:
                    finish(i, entry)
                else:
                    shown.append(presenters.submit(present, i, entry, prepared))
        drain()
    events.close()
    while any(not f.done() for f in shown):
        wait(shown, timeout=0.2)
        drain()
    presenters.shutdown(wait=True)
